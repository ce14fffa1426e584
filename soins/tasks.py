"""Celery tasks of the soins app: thin wrappers around the services."""

import datetime

from celery import shared_task
from django.utils import timezone

from dui.models import Essms
from soins.models import PrescriptionLine
from soins.services.care import occurrences_generate
from soins.services.doses import GENERATION_HORIZON, administrations_generate

# Occurrences are generated this many days ahead (today included): opening a worklist also does it.
GENERATION_DAYS = 2


@shared_task(name="ppa.generate_upcoming_care_occurrences")
def generate_upcoming_care_occurrences(days: int = GENERATION_DAYS) -> int:
    """The care occurrences of today's and the coming shifts, for every ESSMS (idempotent)."""
    today = timezone.localdate()
    last = today + datetime.timedelta(days=max(1, min(days, 7)) - 1)
    created = 0
    for essms_id in Essms.objects.values_list("pk", flat=True).order_by("pk"):
        created += occurrences_generate(essms_id, today, last)
    return created


@shared_task(name="ppa.generate_medication_administrations")
def generate_medication_administrations() -> int:
    """The doses of the next 48 hours of every validated line (idempotent: a dose is never doubled)."""
    start = timezone.now()
    end = start + GENERATION_HORIZON
    essms_ids = (
        PrescriptionLine.objects.filter(validated_at__isnull=False, stopped_at__isnull=True)
        .values_list("essms_id", flat=True)
        .distinct()
    )
    return sum(administrations_generate(essms, start, end) for essms in Essms.objects.filter(pk__in=essms_ids))
