"""Figures checked against hand-computed histories (the numbers are written here, not recomputed)."""

import datetime

import pytest

from dui.models import AbsenceKind, ExitReason, Metier, Modality
from pilotage import facts
from pilotage.indicators import BY_CODE, compute, evaluate
from pilotage.models import DailyFact
from pilotage.periods import Period
from pilotage.scope import Scope
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.pilotage.history import D, make_gir, make_stay, march
from transmissions.models import Event, EventKind, Transmission

pytestmark = pytest.mark.django_db
TODAY = D(2026, 12, 1)


def figure(essms, code, period, unit=None):
    return evaluate(BY_CODE[code], Scope([essms.pk], period, unit.pk if unit else None, today=TODAY))


@pytest.fixture
def author(essms):
    return professional(essms, Metier.CADRE_SANTE)


@pytest.fixture
def units(essms):
    return UnitFactory(essms=essms, name="Glycine"), UnitFactory(essms=essms, name="Lilas")


def test_unit_move_mid_month_counts_each_day_in_the_unit_of_that_day(essms, author, units):
    glycine, lilas = units
    make_stay(UsagerFactory(essms=essms), author, D(2026, 1, 10), placements=[
        (glycine, D(2026, 1, 10), D(2026, 3, 15), ""), (lilas, D(2026, 3, 16), None, ""),
    ])  # fmt: skip
    assert figure(essms, "days_realised", march(), glycine).value == 15
    assert figure(essms, "days_realised", march(), lilas).value == 16
    assert figure(essms, "days_realised", march()).value == 31
    assert figure(essms, "active_file", march(), glycine).value == 1
    assert figure(essms, "active_file", march(), lilas).value == 1
    assert figure(essms, "active_file", march()).value == 1
    assert figure(essms, "admissions", march()).value == 0


def test_temporary_then_permanent_is_one_stay_split_by_modality(essms, author, units):
    glycine, _ = units
    make_stay(UsagerFactory(essms=essms), author, D(2026, 3, 1), placements=[
        (glycine, D(2026, 3, 1), D(2026, 3, 10), Modality.HEBERGEMENT_TEMPORAIRE),
        (glycine, D(2026, 3, 11), None, Modality.HEBERGEMENT_PERMANENT),
    ])  # fmt: skip
    assert figure(essms, "days_realised", march()).value == 31
    assert figure(essms, "admissions", march()).value == 1
    assert figure(essms, "active_file", march()).value == 1
    facts.rebuild([essms.pk], until=D(2026, 3, 31))
    by_modality = {m: 0 for m in ("ht", "hp")}
    for fact in DailyFact.objects.filter(essms=essms, day__month=3):
        by_modality[fact.modality] += fact.present
    assert by_modality == {"ht": 10, "hp": 21}


def test_hospitalisation_across_month_end(essms, author, units):
    glycine, _ = units
    make_stay(UsagerFactory(essms=essms), author, D(2025, 9, 1), placements=[(glycine, D(2025, 9, 1), None, "")],
              absences=[(AbsenceKind.HOSPITALISATION, D(2026, 3, 25), D(2026, 4, 5))])  # fmt: skip
    april = Period(D(2026, 4, 1), D(2026, 4, 30))
    assert figure(essms, "hospitalisation_days", march()).value == 7
    assert figure(essms, "days_realised", march()).value == 24
    assert figure(essms, "hospitalisation_days", april).value == 5
    assert figure(essms, "days_realised", april).value == 25


def test_open_absence_covers_to_the_period_end(essms, author, units):
    glycine, _ = units
    make_stay(UsagerFactory(essms=essms), author, D(2025, 9, 1), placements=[(glycine, D(2025, 9, 1), None, "")],
              absences=[(AbsenceKind.VACANCES, D(2026, 3, 20), None)])  # fmt: skip
    assert figure(essms, "days_realised", march()).value == 19
    assert figure(essms, "hospitalisation_days", march()).value == 0


def test_exit_and_readmission_in_the_same_month(essms, author, units):
    glycine, _ = units
    usager = UsagerFactory(essms=essms)
    make_stay(usager, author, D(2025, 6, 1), D(2026, 3, 10), placements=[(glycine, D(2025, 6, 1), None, "")],
              exit_reason=ExitReason.HOSPITALISATION)  # fmt: skip
    make_stay(usager, author, D(2026, 3, 20), placements=[(glycine, D(2026, 3, 20), None, "")])
    assert figure(essms, "days_realised", march()).value == 21  # 1–9 March, then 20–31 March
    assert figure(essms, "active_file", march()).value == 1
    assert figure(essms, "admissions", march()).value == 1
    exits = figure(essms, "exits", march())
    assert exits.value == 1
    assert exits.breakdown == {"Hospitalisation longue": 1}
    length = figure(essms, "average_length_of_stay", march())
    assert (length.numerator, length.denominator, length.value) == (282, 1, 282.0)


def test_admission_on_the_periods_last_day(essms, author, units):
    glycine, _ = units
    make_stay(UsagerFactory(essms=essms), author, D(2026, 3, 31), placements=[(glycine, D(2026, 3, 31), None, "")])
    assert figure(essms, "days_realised", march()).value == 1
    assert figure(essms, "admissions", march()).value == 1
    assert figure(essms, "active_file", march()).value == 1
    assert figure(essms, "admissions", Period(D(2026, 4, 1), D(2026, 4, 30))).value == 0


def test_occupancy_of_an_open_stay_and_a_stay_ended_mid_month(essms, author, units):
    glycine, _ = units
    essms.capacity = 2
    essms.save()
    make_stay(UsagerFactory(essms=essms), author, D(2025, 1, 1), placements=[(glycine, D(2025, 1, 1), None, "")])
    make_stay(UsagerFactory(essms=essms), author, D(2025, 1, 1), D(2026, 3, 16),
              placements=[(glycine, D(2025, 1, 1), None, "")], exit_reason=ExitReason.DECES)  # fmt: skip
    occupancy = figure(essms, "occupancy_rate", march())
    assert (occupancy.numerator, occupancy.denominator) == (46, 62)  # 31 + 15 days over 2 places × 31 days
    assert occupancy.value == 74.19
    assert figure(essms, "occupancy_rate", march(), glycine).value is None  # no capacity per unit


def test_gir_change_in_the_period_and_gmp(essms, author, units):
    glycine, _ = units
    first, second = UsagerFactory(essms=essms), UsagerFactory(essms=essms)
    for usager in (first, second):
        make_stay(usager, author, D(2025, 1, 1), placements=[(glycine, D(2025, 1, 1), None, "")])
    make_gir(first, author, 4, D(2026, 1, 5))
    make_gir(first, author, 2, D(2026, 3, 12))
    make_gir(second, author, 5, D(2025, 11, 2))
    distribution = figure(essms, "gir_distribution", march())
    assert distribution.breakdown == {"GIR 1": 0, "GIR 2": 1, "GIR 3": 0, "GIR 4": 0, "GIR 5": 1, "GIR 6": 0}
    assert figure(essms, "gmp", march()).value == 545.0  # (840 + 250) / 2
    assert figure(essms, "gmp", Period(D(2026, 2, 1), D(2026, 2, 28))).value == 335.0  # (420 + 250) / 2


def test_dst_weeks_count_local_days(essms, author, units):
    """Week of 23–29 March 2026 (clocks go forward on the 29th) and of 19–25 October 2026 (back on the 25th)."""
    glycine, _ = units
    usager = UsagerFactory(essms=essms)
    make_stay(usager, author, D(2025, 1, 1), placements=[(glycine, D(2025, 1, 1), None, "")])
    utc = datetime.UTC

    def fall(at):
        transmission = Transmission.objects.create(
            essms=essms, usager=usager, unit=glycine, theme="soins", observed_at=at, written_at=at, author=author,
            author_metier=Metier.CADRE_SANTE, visibility="all",
        )  # fmt: skip
        Event.objects.create(
            essms=essms,
            usager=usager,
            transmission=transmission,
            kind=EventKind.CHUTE,
            occurred_at=at,
            created_by=author,
        )

    fall(datetime.datetime(2026, 3, 22, 23, 30, tzinfo=utc))  # 23 March 00:30 CET: in the week
    fall(datetime.datetime(2026, 3, 29, 21, 30, tzinfo=utc))  # 29 March 23:30 CEST: in the week
    fall(datetime.datetime(2026, 3, 29, 22, 30, tzinfo=utc))  # 30 March 00:30 CEST: next week
    fall(datetime.datetime(2026, 10, 25, 22, 30, tzinfo=utc))  # 25 October 23:30 CET: in the autumn week
    spring = Period(D(2026, 3, 23), D(2026, 3, 29))
    autumn = Period(D(2026, 10, 19), D(2026, 10, 25))
    falls = figure(essms, "falls_per_1000_days", spring)
    assert (falls.numerator, falls.denominator) == (2, 7)
    assert falls.value == 285.71
    assert figure(essms, "falls_per_1000_days", autumn).numerator == 1
    assert figure(essms, "transmissions_per_day", spring).numerator == 2
    assert figure(essms, "days_realised", spring).value == 7
    assert figure(essms, "days_realised", autumn).value == 7


def test_rates_are_null_when_the_denominator_is_zero(essms):
    values = {v.code: v for v in compute(Scope([essms.pk], march(), today=TODAY))}
    assert values["occupancy_rate"].value is None or values["occupancy_rate"].value == 0.0
    assert values["average_length_of_stay"].value is None
    assert values["gmp"].value is None
    assert values["dmp_documents_sent"].value == 0
