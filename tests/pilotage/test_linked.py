"""Figures read from other domains (DLU, MSSanté inbox, activities), computed through the indicator
engine like every other figure."""

import datetime

import pytest
from django.utils import timezone

from activities.models import SessionStatus
from dui.models import Metier
from interop.dlu.services import dlu_generate
from interop.mssante.services import inbox_receive
from pilotage.indicators import BY_CODE, evaluate
from pilotage.periods import Period
from pilotage.scope import Scope
from tests.activities.factories import activity, register, session
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.interop.outbox.mails import cr_message
from tests.pilotage.history import make_stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def month():
    today = timezone.localdate()
    return Period(today.replace(day=1), today), today


def figure(essms, code, month):
    period, today = month
    return evaluate(BY_CODE[code], Scope([essms.pk], period, None, today=today))


def test_dlu_coverage_counts_persons_in_stay_with_a_generated_dlu(essms, month):
    nurse = professional(essms, Metier.IDE)
    cadre = professional(essms, Metier.CADRE_SANTE)
    unit = UnitFactory(essms=essms)
    start = month[0].start - datetime.timedelta(days=30)
    covered, uncovered, gone = (UsagerFactory(essms=essms) for _ in range(3))
    for usager in (covered, uncovered):
        make_stay(usager, cadre, start, placements=[(unit, start, None, None)])
    make_stay(gone, cadre, start, start + datetime.timedelta(days=2), placements=[(unit, start, None, None)])
    dlu_generate(nurse, usager=covered)

    value = figure(essms, "dlu_coverage_rate", month)

    assert (value.numerator, value.denominator, value.value) == (1, 2, 50.0)


def test_received_messages_count_for_their_essms_only(essms, month):
    inbox_receive(essms, cr_message(), source="imap")
    inbox_receive(essms, cr_message(), source="imap")

    assert figure(essms, "mssante_messages_received", month).value == 2
    assert figure(essms, "dmp_documents_sent", month).value == 0
    assert not BY_CODE["mssante_messages_received"].per_unit


def test_activity_figures_of_held_sessions(essms, month):
    animatrice = professional(essms, Metier.ANIMATEUR)
    loto = activity(essms, by=animatrice)
    held = session(loto, by=animatrice, starts_at=timezone.now(),
                   status=SessionStatus.HELD)  # fmt: skip
    ann, bob, cat = (UsagerFactory(essms=essms) for _ in range(3))
    register(held, ann, by=animatrice, attendance="present", satisfaction=5)
    register(held, bob, by=animatrice, attendance="present", satisfaction=2)
    register(held, cat, by=animatrice, attendance="absent")

    assert figure(essms, "activity_sessions_held", month).value == 1
    attendance = figure(essms, "activity_attendance_rate", month)
    assert (attendance.numerator, attendance.denominator) == (2, 3)
    assert attendance.value == pytest.approx(66.67, abs=0.01)
    assert figure(essms, "activity_mean_satisfaction", month).value == 3.5
