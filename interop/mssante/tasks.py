"""Thin Celery wrapper: read the configured MSSanté boxes."""

from celery import shared_task

from interop.mssante.boxes import poll_configured


@shared_task(name="interop.mssante.poll_inboxes", ignore_result=True)
def poll_inboxes() -> int:
    return poll_configured()
