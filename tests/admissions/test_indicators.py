"""Admission figures in the pilotage, hand-computed: counts by status, mean days per status, to decision, to entry."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from admissions.models import AdmissionStatusChange
from dui.models import Metier
from pilotage.indicators import BY_CODE, evaluate
from pilotage.periods import Period
from pilotage.scope import Scope
from tests.admissions.factories import make_request
from tests.factories import professional

PARIS = ZoneInfo("Europe/Paris")
D = datetime.date
MARCH = Period(D(2026, 3, 1), D(2026, 3, 31))


def at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


def figure(essms, code):
    return evaluate(BY_CODE[code], Scope([essms.pk], MARCH, today=D(2026, 12, 1)))


def step(request, by, from_status, to_status, when):
    AdmissionStatusChange.objects.create(
        essms=request.essms, request=request, from_status=from_status, to_status=to_status, at=when, by=by
    )
    request.status = to_status
    request.save(update_fields=["status"])


@pytest.fixture
def history(essms):
    by = professional(essms, Metier.SECRETAIRE_MEDICALE)
    # A: received 1 March 09:00, en étude 3 March 09:00 (2 days), accepted 8 March 21:00 (5.5 days),
    #    entry planned on 10 March for 20 March (19 days after reception).
    a = make_request(essms, by=by, external_ref="A", birth_name="AAA", received_at=at(D(2026, 3, 1)))
    step(a, by, "recue", "en_etude", at(D(2026, 3, 3)))
    step(a, by, "en_etude", "acceptee", at(D(2026, 3, 8), 21))
    a.planned_entry_on = D(2026, 3, 20)
    a.save(update_fields=["planned_entry_on"])
    step(a, by, "acceptee", "entree_planifiee", at(D(2026, 3, 10)))
    # B: received 20 February, refused 5 March 09:00 (13 days in « reçue », decision after 13 days).
    b = make_request(essms, by=by, external_ref="B", birth_name="BBB", received_at=at(D(2026, 2, 20)))
    step(b, by, "recue", "refusee", at(D(2026, 3, 5)))
    # C: received 30 March, still « reçue »; D: received in April (out of the period).
    make_request(essms, by=by, external_ref="C", birth_name="CCC", received_at=at(D(2026, 3, 30)))
    make_request(essms, by=by, external_ref="D", birth_name="DDD", received_at=at(D(2026, 4, 2)))
    return a, b


@pytest.mark.django_db
def test_requests_received_by_status(essms, history):
    value = figure(essms, "admission_requests")
    assert value.value == 2  # A and C; B was received in February, D in April
    assert value.breakdown == {"Reçue": 1, "Entrée planifiée": 1}


@pytest.mark.django_db
def test_mean_days_per_status(essms, history):
    value = figure(essms, "admission_days_in_status")
    # Stints ended in March: A reçue 2, A en étude 5.5, A acceptée (8 Mar 21:00 → 10 Mar 09:00) 1.5, B reçue 13.
    assert value.breakdown == {"Reçue": 7.5, "En étude": 5.5, "Acceptée": 1.5}
    assert (value.numerator, value.denominator, value.value) == (22.0, 4, 5.5)


@pytest.mark.django_db
def test_mean_days_to_decision_and_to_entry(essms, history):
    decision = figure(essms, "admission_days_to_decision")
    assert (decision.numerator, decision.denominator, decision.value) == (20.5, 2, 10.25)  # A 7.5, B 13
    entry = figure(essms, "admission_days_to_entry")
    assert (entry.numerator, entry.denominator, entry.value) == (19.0, 1, 19.0)


@pytest.mark.django_db
def test_no_request_no_figure(essms):
    assert figure(essms, "admission_days_to_decision").value is None
    assert figure(essms, "admission_requests").value == 0
