"""Scale data of the activities: two sessions a day per ESSMS, about ten persons placed that day
registered to each, attendance on the held ones only, and the add-on command refuses to double."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.utils import timezone

from activities.models import Activity, ActivitySession, Registration, SessionStatus
from dui.models import Essms, Placement


@pytest.fixture
def tiny(db):
    call_command(
        "generate_scale_data", "--essms", "2", "--persons", "12", "--years", "1", "--seed", "4", stdout=io.StringIO()
    )


def test_two_sessions_a_day_with_registered_persons_placed_that_day(tiny):
    for essms in Essms.objects.all():
        sessions = ActivitySession.objects.filter(essms=essms)
        days = {timezone.localtime(s.starts_at).date() for s in sessions}
        assert len(days) > 300 and sessions.count() <= 2 * len(days)
    sizes = Registration.objects.values("session_id").annotate(n=Count("pk")).values_list("n", flat=True)
    assert min(sizes) >= 1 and max(sizes) <= 12
    # Every registration names a person placed in the session's ESSMS on the session's day (a sample).
    for row in Registration.objects.select_related("session").order_by("?")[:50]:
        day = timezone.localtime(row.session.starts_at).date()
        placed = Placement.objects.filter(essms_id=row.essms_id, usager_id=row.usager_id, starts_on__lte=day)
        assert placed.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day)).exists()


def test_attendance_only_on_held_sessions_with_scores_1_to_5(tiny):
    held = Registration.objects.filter(session__status=SessionStatus.HELD)
    assert held.exists() and not held.filter(attendance="").exists()
    assert not Registration.objects.exclude(session__status=SessionStatus.HELD).exclude(attendance="").exists()
    assert set(held.values_list("attendance", flat=True)) == {"present", "absent", "refused"}
    scores = set(held.exclude(satisfaction__isnull=True).values_list("satisfaction", flat=True))
    assert scores <= {1, 2, 3, 4, 5} and len(scores) >= 3
    assert not held.exclude(attendance="present").filter(satisfaction__isnull=False).exists()
    assert ActivitySession.objects.filter(status=SessionStatus.PLANNED).exists()


def test_add_on_command_refuses_to_add_twice(tiny):
    before = Activity.objects.count()
    with pytest.raises(CommandError, match="déjà des activités"):
        call_command("generate_activity_scale_data", stdout=io.StringIO())
    assert Activity.objects.count() == before
