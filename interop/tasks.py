"""Celery discovers the interop tasks here."""

from interop.mssante.tasks import poll_inboxes
from interop.outbox.tasks import deliver, sweep

__all__ = ["deliver", "poll_inboxes", "sweep"]
