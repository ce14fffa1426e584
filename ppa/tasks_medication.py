"""Daily generation of the medication administrations (the next 48 hours of every validated line)."""

from celery import shared_task
from django.utils import timezone

from dui.models import Essms
from ppa.models import PrescriptionLine
from ppa.services.medication import GENERATION_HORIZON, generate_administrations


@shared_task(name="ppa.generate_medication_administrations")
def generate_medication_administrations() -> int:
    """Idempotent: run it as often as wanted; a dose already in the worklist is never doubled."""
    start = timezone.now()
    end = start + GENERATION_HORIZON
    essms_ids = (
        PrescriptionLine.objects.filter(validated_at__isnull=False, stopped_at__isnull=True)
        .values_list("essms_id", flat=True)
        .distinct()
    )
    return sum(generate_administrations(essms, start, end) for essms in Essms.objects.filter(pk__in=essms_ids))
