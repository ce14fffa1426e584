"""Hands a delivery to the broker. A broker that is down loses nothing: the row stays pending and the
sweeper (beat) enqueues it again once the broker is back."""

import logging

logger = logging.getLogger(__name__)


def enqueue(delivery_id: int, *, countdown: float | None = None) -> bool:
    from interop.outbox.tasks import deliver

    try:
        deliver.apply_async((delivery_id,), countdown=countdown, retry=False)
    except Exception:  # broker unreachable (kombu OperationalError, redis ConnectionError, …)
        logger.warning("Envoi %s non transmis au broker : il sera repris par le balayage.", delivery_id, exc_info=True)
        return False
    return True
