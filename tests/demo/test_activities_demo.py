"""seed_demo gives the EHPAD and the IME activities with past attendance and today's session to record, idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity, ActivitySession, Registration, SessionStatus
from dui.models import EssmsKind


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_both_establishments_have_activities_with_attendance(seeded):
    for kind in (EssmsKind.EHPAD, EssmsKind.IME):
        assert Activity.objects.filter(essms__kind=kind).count() >= 3
        held = ActivitySession.objects.filter(essms__kind=kind, status=SessionStatus.HELD)
        assert held.count() >= 2
        rows = Registration.objects.filter(session__in=held).exclude(attendance="")
        assert {"present", "refused"} <= set(rows.values_list("attendance", flat=True))
        assert rows.filter(satisfaction__isnull=False).exists()


def test_todays_session_waits_for_the_tablet_and_reseeding_adds_nothing(seeded):
    today = ActivitySession.objects.filter(
        essms__kind=EssmsKind.EHPAD, starts_at__date=timezone.localdate(), activity__name="Loto"
    ).get()
    assert today.registrations.count() == 5
    assert not today.registrations.exclude(attendance="").exists()
    counts = (Activity.objects.count(), ActivitySession.objects.count(), Registration.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Activity.objects.count(), ActivitySession.objects.count(), Registration.objects.count()) == counts
