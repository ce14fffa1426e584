"""Daily facts: the nightly, incremental run and the signals give exactly what a full rebuild gives."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from dui.models import AbsenceKind, Essms, Metier, Sejour
from pilotage import facts
from pilotage.models import DailyFact, FactsWatermark, TransmissionDayFact
from pilotage.periods import Period
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.pilotage.history import D, make_stay
from transmissions.models import Transmission

ONE_DAY = facts.ONE_DAY


def snapshot():
    days = DailyFact.objects.values_list("essms_id", "unit_id", "modality", "day", "present", "hospitalised", "absent")
    notes = TransmissionDayFact.objects.values_list("essms_id", "unit_id", "author_metier", "day", "count")
    return sorted(days), sorted(notes)


def note(author, usager, unit, at):
    return Transmission.objects.create(
        essms=usager.essms, usager=usager, unit=unit, theme="soins", observed_at=at, written_at=at, author=author,
        author_metier=Metier.CADRE_SANTE, visibility="all",
    )  # fmt: skip


@pytest.fixture
def author(essms):
    return professional(essms, Metier.CADRE_SANTE)


def test_incremental_nights_and_corrections_equal_the_rebuild(essms, author, django_capture_on_commit_callbacks):
    glycine, lilas = UnitFactory(essms=essms), UnitFactory(essms=essms)
    leaving = make_stay(UsagerFactory(essms=essms), author, D(2026, 1, 3), D(2026, 3, 5),
                        placements=[(glycine, D(2026, 1, 3), None, "")])  # fmt: skip
    staying = make_stay(UsagerFactory(essms=essms), author, D(2026, 2, 1), placements=[
        (glycine, D(2026, 2, 1), D(2026, 2, 20), ""), (lilas, D(2026, 2, 21), None, ""),
    ])  # fmt: skip
    paris = datetime.timezone(datetime.timedelta(hours=1))
    note(author, staying.usager, lilas, datetime.datetime(2026, 3, 5, 23, 30, tzinfo=paris))
    facts.nightly(until=D(2026, 3, 1))  # first night: everything up to then
    day = D(2026, 3, 2)
    while day <= D(2026, 3, 20):
        facts.nightly(until=day)
        day += ONE_DAY
    assert FactsWatermark.objects.get(essms=essms).computed_until == D(2026, 3, 20)
    # Corrections of the past: a later exit date, a hospitalisation entered late.
    with django_capture_on_commit_callbacks(execute=True):
        leaving.ended_on = D(2026, 3, 12)
        leaving.save()
    with django_capture_on_commit_callbacks(execute=True):
        staying.absences.create(
            essms=essms, usager=staying.usager, kind=AbsenceKind.HOSPITALISATION, starts_on=D(2026, 2, 25),
            ends_on=D(2026, 3, 2), created_by=author,
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # written late, for a past evening
        note(author, staying.usager, lilas, datetime.datetime(2026, 3, 6, 23, 45, tzinfo=paris))
    incremental = snapshot()
    assert [(row[3], row[4]) for row in incremental[1]] == [(D(2026, 3, 5), 1), (D(2026, 3, 6), 1)]
    march = sum(f[4] for f in incremental[0] if f[3].month == 3)
    assert march == 11 + 18  # leaving: 1–11 March; staying: 20 days minus 1–2 March in hospital
    facts.rebuild([essms.pk], until=D(2026, 3, 20))
    assert snapshot() == incremental


def test_figures_read_the_same_with_or_without_facts(essms, author):
    glycine = UnitFactory(essms=essms)
    make_stay(UsagerFactory(essms=essms), author, D(2026, 1, 3), placements=[(glycine, D(2026, 1, 3), None, "")],
              absences=[(AbsenceKind.HOSPITALISATION, D(2026, 2, 10), D(2026, 2, 12))])  # fmt: skip
    period, today = Period(D(2026, 1, 1), D(2026, 3, 31)), D(2026, 6, 1)
    live = facts.present_days([essms.pk], period.start, period.end, today=today)
    facts.rebuild([essms.pk], until=D(2026, 2, 11))  # facts for a part, history for the rest
    assert facts.present_days([essms.pk], period.start, period.end, today=today) == live
    assert live == {"present": 85, "hospitalised": 3, "absent": 0}


def test_rebuild_command_reports_its_rows(essms, author):
    make_stay(UsagerFactory(essms=essms), author, D(2026, 1, 1), D(2026, 1, 11),
              placements=[(UnitFactory(essms=essms), D(2026, 1, 1), None, "")])  # fmt: skip
    out = io.StringIO()
    call_command("pilotage_rebuild_facts", stdout=out)
    assert "10 lignes de faits écrites" in out.getvalue()
    assert sum(DailyFact.objects.values_list("present", flat=True)) == 10


@pytest.mark.django_db
def test_incremental_equals_rebuild_on_generated_scale_data():
    call_command(
        "generate_scale_data", "--essms", "2", "--persons", "6", "--years", "1", "--seed", "4", stdout=io.StringIO()
    )
    yesterday = timezone.localdate() - ONE_DAY
    facts.rebuild(until=yesterday - 20 * ONE_DAY)
    for back in range(19, -1, -1):
        facts.nightly(until=yesterday - back * ONE_DAY)
    # A correction written through the ORM (signals fire) on the scale data itself.
    sejour = Sejour.objects.filter(ended_on__isnull=False, ended_on__lt=yesterday - 5 * ONE_DAY).first()
    sejour.ended_on -= 2 * ONE_DAY
    sejour.save()
    facts.recompute_touched(sejour.essms_id, sejour.ended_on, sejour.ended_on + 2 * ONE_DAY)
    incremental = snapshot()
    assert incremental[0] and Essms.objects.count() == 2
    facts.rebuild(until=yesterday)
    assert snapshot() == incremental


def test_side_by_side_reads_give_the_per_essms_figures(og, essms, sibling_essms, author):
    from pilotage.indicators import compute
    from pilotage.scope import Scope
    from pilotage.selectors import OG_CODES, side_by_side

    for place in (essms, sibling_essms):
        unit = UnitFactory(essms=place)
        make_stay(UsagerFactory(essms=place), author, D(2026, 1, 3), D(2026, 2, 20),
                  placements=[(unit, D(2026, 1, 3), None, "")],
                  absences=[(AbsenceKind.HOSPITALISATION, D(2026, 2, 1), D(2026, 2, 4))])  # fmt: skip
    facts.rebuild([essms.pk], until=D(2026, 2, 10))  # one ESSMS with facts, the other read live
    period, today = Period(D(2026, 1, 1), D(2026, 3, 31)), D(2026, 6, 1)
    columns = side_by_side([essms, sibling_essms], period, today=today)
    for place, values in columns:
        alone = compute(Scope([place.pk], period, today=today), OG_CODES)
        assert [v.as_dict() for v in values] == [v.as_dict() for v in alone]
    assert columns[0][1][OG_CODES.index("days_realised")].value == 44  # 3 Jan – 19 Feb minus 4 days


def test_a_change_recomputes_only_the_days_between_the_old_and_new_dates(essms, author):
    from pilotage.signals import _touched

    unit = UnitFactory(essms=essms)
    sejour = make_stay(UsagerFactory(essms=essms), author, D(2021, 1, 4), placements=[(unit, D(2021, 1, 4), None, "")])
    before = Sejour.objects.get(pk=sejour.pk)
    sejour.ended_on = D(2026, 3, 12)
    assert _touched(before, sejour) == (D(2026, 3, 12), None)  # not five years back
    closed = Sejour.objects.get(pk=sejour.pk)
    closed.ended_on = D(2026, 3, 12)
    sejour.ended_on = D(2026, 3, 9)
    assert _touched(closed, sejour) == (D(2026, 3, 9), D(2026, 3, 12))
    placement = sejour.placements.get()
    moved = sejour.placements.get()
    moved.unit = UnitFactory(essms=essms)
    assert _touched(placement, moved) == (D(2021, 1, 4), None)  # another unit: every day of the row
