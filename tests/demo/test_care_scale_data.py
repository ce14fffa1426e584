"""Scale data of the plan de soins: everyone present is planned, the days around today are on the
worklist, past items are validated as a ward would, and the add-on command refuses to double."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.utils import timezone

from demo.scale.care import SCHEDULE
from dui.models import Placement, SejourStatus
from soins.models import CareOccurrence, CarePlanItem, OccurrenceStatus


@pytest.fixture
def tiny(db):
    call_command(
        "generate_scale_data", "--essms", "2", "--persons", "6", "--years", "1", "--seed", "4", stdout=io.StringIO()
    )


def test_every_person_present_gets_the_reference_schedule(tiny):
    today = timezone.localdate()
    present = set(
        Placement.objects.filter(sejour__status=SejourStatus.ACTIVE, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("usager_id", flat=True)
    )
    counts = dict(CarePlanItem.objects.values_list("usager_id").annotate(n=Count("pk")))
    assert present and set(counts) == present
    assert set(counts.values()) == {len(SCHEDULE)}


def test_past_occurrences_are_mostly_validated_and_future_ones_wait(tiny):
    now = timezone.now()
    past = CareOccurrence.objects.filter(due_before__lt=now - timezone.timedelta(minutes=5))
    assert past.count() > 50
    validated = past.exclude(status=OccurrenceStatus.PENDING)
    assert validated.count() / past.count() > 0.9
    assert not validated.filter(Q(validated_by__isnull=True) | Q(idempotency_key__isnull=True)).exists()
    assert not CareOccurrence.objects.filter(due_at__gt=now).exclude(status=OccurrenceStatus.PENDING).exists()
    refused = validated.filter(status__in=[OccurrenceStatus.REFUSED, OccurrenceStatus.NOT_DONE])
    assert not refused.filter(comment="").exists()


def test_add_on_command_refuses_to_plan_twice(tiny):
    before = CarePlanItem.objects.count()
    with pytest.raises(CommandError, match="déjà des soins planifiés"):
        call_command("generate_care_scale_data", stdout=io.StringIO())
    assert CarePlanItem.objects.count() == before


def test_add_on_command_rejects_out_of_range_days(db):
    with pytest.raises(CommandError, match="--days-back"):
        call_command("generate_care_scale_data", "--days-back", "40", stdout=io.StringIO())
    assert not CarePlanItem.objects.exists()
