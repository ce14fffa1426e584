"""Celery tasks of the ppa app: thin wrappers around the services."""

import datetime

from celery import shared_task
from django.utils import timezone

from dui.models import Essms
from ppa.services.care import generate_occurrences

# Occurrences are generated this many days ahead (today included): opening a worklist also does it.
GENERATION_DAYS = 2


@shared_task(name="ppa.generate_upcoming_care_occurrences")
def generate_upcoming_care_occurrences(days: int = GENERATION_DAYS) -> int:
    """The care occurrences of today's and the coming shifts, for every ESSMS (idempotent)."""
    today = timezone.localdate()
    last = today + datetime.timedelta(days=max(1, min(days, 7)) - 1)
    created = 0
    for essms_id in Essms.objects.values_list("pk", flat=True).order_by("pk"):
        created += generate_occurrences(essms_id, today, last)
    return created
