"""Thin Celery wrappers around the outbox services."""

from celery import shared_task

from interop.outbox import services


@shared_task(name="interop.outbox.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> None:
    delay = services.delivery_deliver(delivery_id)
    if delay is not None:
        from interop.outbox.dispatch import enqueue

        enqueue(delivery_id, countdown=delay)


@shared_task(name="interop.outbox.sweep", ignore_result=True)
def sweep() -> int:
    return services.outbox_sweep()
