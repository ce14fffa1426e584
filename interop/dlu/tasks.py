"""Celery task of the DLU: a thin wrapper around `dlu_refresh`."""

from celery import shared_task
from django.core.cache import cache

from interop.dlu.services import dlu_refresh

DEBOUNCE_SECONDS = 30


def debounce_key(usager_id: int) -> str:
    return f"interop:dlu-refresh:{usager_id}"


@shared_task(name="interop.dlu_refresh", acks_late=True)
def refresh_dlu(usager_id: int) -> int | None:
    """Regenerate one dossier's DLU if its sources changed; returns the new version's number, or None."""
    cache.delete(debounce_key(usager_id))  # a change made from now on queues a new run
    generation = dlu_refresh(usager_id)
    return generation.version.number if generation else None
