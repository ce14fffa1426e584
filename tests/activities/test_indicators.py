"""Activity indicators on a hand-computed March 2026 (the DST change of 29 March inside it).

Units A and B; p1 and p4 in A all month, p2 in A until 10 March then in B, p3 in B.
  S1  1 March 00:30 (Paris: still 28 Feb in UTC), held, opened to A: p1 present (5), p2 absent, p3 refused
  S2  15 March 15:00, held, whole ESSMS: p1 present (3), p2 present (no score), p4 present (4)
  S3  20 March, cancelled: p1 registered          S6  25 March, planned: p4 registered
  S4  1 April 00:30 (Paris: still 31 March in UTC), held: p1 present (1)   — outside the period
  S5  28 February 16:00, held: p2 present (2)                             — outside the period
  S7  15 March in another ESSMS, held: its person present (5)            — another ESSMS
ESSMS: 2 sessions held; attendance 4 present / 6 registered; satisfaction 5 + 3 + 4 = 12 over 3.
Unit A (by the unit of the person on the day): S1 p1, p2; S2 p1, p4 → 3 / 4; scores 5, 3, 4 → 12 / 3;
sessions held for A: S1 (opened to A) and S2 (whole ESSMS) → 2.
Unit B: S1 p3 (refused); S2 p2 (present) → 1 / 2; no score → 0 / 0 (no value); sessions held for B: S2 → 1.
"""

import datetime

import pytest
from django.utils import timezone

from activities import indicators
from activities.models import ActivitySession
from dui.models import Metier, Placement, Sejour
from tests.activities.factories import activity, register
from tests.factories import UnitFactory, UsagerFactory, professional

MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def placed(usager, unit, by, starts_on, ends_on=None, sejour=None):
    sejour = sejour or Sejour.objects.create(
        essms=usager.essms, usager=usager, status="active", first_contact_on=datetime.date(2025, 1, 1),
        admitted_on=datetime.date(2025, 1, 1), created_by=by,
    )  # fmt: skip
    Placement.objects.create(
        essms=usager.essms, sejour=sejour, usager=usager, unit=unit, modality="hp", starts_on=starts_on,
        ends_on=ends_on, created_by=by,
    )  # fmt: skip
    return sejour


@pytest.fixture
def march(essms, sibling_essms):
    by = professional(essms, Metier.ANIMATEUR)
    unit_a, unit_b = UnitFactory(essms=essms, name="A"), UnitFactory(essms=essms, name="B")
    p1, p2, p3, p4 = (UsagerFactory(essms=essms) for _ in range(4))
    placed(p1, unit_a, by, datetime.date(2025, 1, 1))
    sejour = placed(p2, unit_a, by, datetime.date(2025, 1, 1), datetime.date(2026, 3, 10))
    placed(p2, unit_b, by, datetime.date(2026, 3, 11), sejour=sejour)
    placed(p3, unit_b, by, datetime.date(2025, 1, 1))
    placed(p4, unit_a, by, datetime.date(2025, 1, 1))
    act = activity(essms, by=by)

    def session(starts_at, status, units=(), of=act):
        created = ActivitySession.objects.create(
            essms_id=of.essms_id, activity=of, starts_at=starts_at, status=status, created_by=by
        )
        created.units.set(units)
        return created

    s1 = session(at(datetime.date(2026, 3, 1), 0, 30), "held", [unit_a])
    register(s1, p1, by=by, attendance="present", satisfaction=5)
    register(s1, p2, by=by, attendance="absent")
    register(s1, p3, by=by, attendance="refused")
    s2 = session(at(datetime.date(2026, 3, 15), 15), "held")
    register(s2, p1, by=by, attendance="present", satisfaction=3)
    register(s2, p2, by=by, attendance="present")
    register(s2, p4, by=by, attendance="present", satisfaction=4)
    register(session(at(datetime.date(2026, 3, 20), 15), "cancelled"), p1, by=by)
    register(session(at(datetime.date(2026, 4, 1), 0, 30), "held"), p1, by=by, attendance="present", satisfaction=1)
    register(session(at(datetime.date(2026, 2, 28), 16), "held"), p2, by=by, attendance="present", satisfaction=2)
    register(session(at(datetime.date(2026, 3, 25), 15), "planned"), p4, by=by)
    other_by = professional(sibling_essms, Metier.ANIMATEUR)
    other = session(at(datetime.date(2026, 3, 15), 15), "held", of=activity(sibling_essms, by=other_by))
    register(other, UsagerFactory(essms=sibling_essms), by=other_by, attendance="present", satisfaction=5)
    return {"essms": essms, "a": unit_a, "b": unit_b, "people": (p1, p2, p3, p4)}


def figures(march, unit=None):
    kwargs = {"essms_id": march["essms"].pk, "start": MARCH[0], "end": MARCH[1], "unit_id": unit.pk if unit else None}
    return (
        indicators.sessions_held(**kwargs),
        indicators.attendance_rate(**kwargs),
        indicators.mean_satisfaction(**kwargs),
    )


def test_essms_figures_of_march(march):
    held, attendance, satisfaction = figures(march)
    assert held == 2
    assert (attendance.numerator, attendance.denominator) == (4, 6)
    assert attendance.value == pytest.approx(4 / 6)
    assert (satisfaction.numerator, satisfaction.denominator) == (12, 3)
    assert satisfaction.value == 4.0


def test_unit_a_counts_each_person_in_the_unit_of_the_session_day(march):
    held, attendance, satisfaction = figures(march, march["a"])
    assert held == 2
    assert (attendance.numerator, attendance.denominator) == (3, 4)
    assert (satisfaction.numerator, satisfaction.denominator) == (12, 3)


def test_unit_b_and_an_empty_satisfaction_has_no_value(march):
    held, attendance, satisfaction = figures(march, march["b"])
    assert held == 1
    assert (attendance.numerator, attendance.denominator) == (1, 2)
    assert (satisfaction.numerator, satisfaction.denominator, satisfaction.value) == (0, 0, None)


def test_persons_behind_the_numerator(march):
    p1, p2, _p3, p4 = march["people"]
    essms = march["essms"].pk
    assert indicators.persons_present(essms_id=essms, start=MARCH[0], end=MARCH[1]) == {p1.pk, p2.pk, p4.pk}
    assert indicators.persons_present(essms_id=essms, start=MARCH[0], end=MARCH[1], unit_id=march["b"].pk) == {p2.pk}


def test_recomputing_a_past_period_gives_the_same_figures(march):
    assert figures(march) == figures(march)
    first_half = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 14))
    attendance = indicators.attendance_rate(essms_id=march["essms"].pk, start=first_half[0], end=first_half[1])
    assert (attendance.numerator, attendance.denominator) == (1, 3)
