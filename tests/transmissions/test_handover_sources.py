"""The relève and the synthèse show the registered sources besides transmissions.

Algoplus 3/5, a refused meal, a "si besoin" Tramadol, prescriptions started or stopped, events,
admissions, hospitalisations and returns; ordered by importance, linked, within the user's
rights, in a fixed number of queries; another ESSMS's unit stays a 404.
"""

import ast
import datetime
import pathlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from dui.models import Absence, AbsenceKind, Metier, Placement, Sejour
from soins.models import CareOccurrence, OccurrenceStatus, PrescriptionKind, PrescriptionLine
from soins.services.evaluations import evaluation_record
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.soins.factories_care import plan
from tests.transmissions.test_handover import count_queries, place, write
from transmissions.models import Event, EventKind
from transmissions.selectors.handover import Poste, Shift, handover_for_unit
from transmissions.selectors.synthese import synthese_for_usager
from transmissions.sources import (
    ALERT,
    IMPORTANT,
    SourceItem,
    collect,
    register_handover_source,
    unregister_handover_source,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2025, 3, 12, 10, 0, tzinfo=PARIS)  # day shift of 12/03: window from 11/03 19:00
TODAY = NOW.date()


def paris(day, hh, mm=0):
    return datetime.datetime(2025, 3, day, hh, mm, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def doctor(essms):
    return professional(essms, Metier.MEDECIN)


def algoplus(by, usager, at, *, yes=3):
    codes = ["visage", "regard", "plaintes", "corps", "comportements"]
    answers = {code: index < yes for index, code in enumerate(codes)}
    return evaluation_record(by, usager=usager, grid="algoplus", answers=answers, evaluated_at=at)


def occurrence(usager, by, *, label, status, at, prescription=None, comment=""):
    item = None if prescription else plan(professional(usager.essms, Metier.CADRE_SANTE), usager)
    return CareOccurrence.objects.create(
        essms=usager.essms, usager=usager, created_by=by, plan_item=item, prescription=prescription, label=label,
        due_at=at, due_before=at + datetime.timedelta(hours=1), status=status, comment=comment,
        performed_at=at if status == OccurrenceStatus.DONE else None, validated_by=by, recorded_at=at,
    )  # fmt: skip


def line(usager, doctor, *, drug="Tramadol", as_needed=False, created_at=None, stopped_at=None):
    row = PrescriptionLine.objects.create(
        essms=usager.essms, usager=usager, created_by=doctor, kind=PrescriptionKind.MEDICAMENT, drug=drug,
        dose="50 mg", as_needed=as_needed, as_needed_condition="douleur" if as_needed else "", max_per_day=3,
        starts_on=datetime.date(2025, 1, 1), validated_by=doctor, validated_at=paris(1, 9),
        stopped_by=doctor if stopped_at else None, stopped_at=stopped_at, stop_reason="fin" if stopped_at else "",
    )  # fmt: skip
    PrescriptionLine.objects.filter(pk=row.pk).update(created_at=created_at or paris(1, 9))
    return row


@pytest.fixture
def marthe(essms, unit, ide, doctor):
    """Room 3: Algoplus 3 at 08:00, a refused meal, a si besoin Tramadol, a new and a stopped line."""
    usager = UsagerFactory(essms=essms, birth_name="LEFEBVRE", first_names="Marthe")
    place(usager, unit, room="3")
    algoplus(ide, usager, paris(12, 8))
    occurrence(usager, ide, label="Repas de midi", status=OccurrenceStatus.REFUSED, at=paris(11, 19, 30),
               comment="Refuse le plateau")  # fmt: skip
    tramadol = line(usager, doctor, as_needed=True)
    occurrence(usager, ide, label="Tramadol 50 mg (si besoin)", status=OccurrenceStatus.DONE, at=paris(12, 3),
               prescription=tramadol)  # fmt: skip
    occurrence(usager, ide, label="Toilette", status=OccurrenceStatus.DONE, at=paris(12, 8))  # done: not news
    line(usager, doctor, drug="Amoxicilline", created_at=paris(12, 9))
    line(usager, doctor, drug="Furosémide", stopped_at=paris(12, 7))
    return usager


def handover(user, unit, shift=None):
    return handover_for_unit(user, unit=unit, shift=shift or Shift(Poste.JOUR, TODAY))


def person(data, usager):
    return next(p for p in (*data.persons, *data.absents) if p.usager.pk == usager.pk)


def test_releve_shows_the_sources_by_importance(ide, unit, marthe):
    signals = person(handover(ide, unit), marthe).signals
    labels = [item.label for item in signals]
    assert labels[0] == "Algoplus 3/5 : douleur probable"
    assert signals[0].importance == ALERT
    assert "Refusé : Repas de midi — Refuse le plateau" in labels
    assert "Donné : Tramadol 50 mg (si besoin)" in labels
    assert "Nouvelle prescription : Amoxicilline 50 mg" in labels
    assert "Arrêt : Furosémide 50 mg (fin)" in labels
    assert not any("Toilette" in label for label in labels)
    assert [item.importance for item in signals] == sorted((item.importance for item in signals), reverse=True)
    assert all(item.url.startswith("/") for item in signals)


def test_releve_page_is_no_longer_rien_de_nouveau(client, ide, unit, marthe):
    client.force_login(ide)
    html = client.get(reverse("handover"), {"unite": unit.pk}).content.decode()
    assert "Algoplus 3/5 : douleur probable" in html
    assert "Refusé : Repas de midi" in html
    assert "Donné : Tramadol 50 mg (si besoin)" in html
    assert "Rien de nouveau" not in html
    evaluation_url = reverse("evaluation-detail", args=[marthe.pk, marthe_eval_pk(marthe)])
    assert f'href="{evaluation_url}"' in html


def marthe_eval_pk(usager):
    from soins.models import Evaluation

    return Evaluation.objects.get(usager=usager).pk


def test_changed_score_is_info_normal_unchanged_is_silent(ide, unit, essms):
    usager = UsagerFactory(essms=essms)
    place(usager, unit, room="4")
    algoplus(ide, usager, paris(10, 8), yes=0)
    algoplus(ide, usager, paris(12, 8), yes=1)  # changed, not abnormal
    other = UsagerFactory(essms=essms)
    place(other, unit, room="5")
    algoplus(ide, other, paris(10, 8), yes=1)
    algoplus(ide, other, paris(12, 8), yes=1)  # same score, not abnormal
    data = handover(ide, unit)
    assert [i.label for i in person(data, usager).signals] == ["Algoplus : 1 (avant : 0)"]
    assert person(data, other).signals == []


def test_events_and_sejour_movements(ide, unit, essms):
    fallen = UsagerFactory(essms=essms)
    place(fallen, unit, room="1")
    fall = write(ide, paris(12, 5), usager=fallen, free_cible="Chute", donnees="Au sol")
    Event.objects.create(essms=essms, usager=fallen, transmission=fall, kind=EventKind.CHUTE,
                         occurred_at=paris(12, 5), created_by=ide)  # fmt: skip
    admitted = UsagerFactory(essms=essms)
    place(admitted, unit, room="2", starts_on=TODAY)
    hospitalised = UsagerFactory(essms=essms)
    placement = place(hospitalised, unit, room="6")
    Absence.objects.create(essms=essms, sejour=placement.sejour, usager=hospitalised, starts_on=TODAY,
                           kind=AbsenceKind.HOSPITALISATION, created_by=ide)  # fmt: skip
    back = UsagerFactory(essms=essms)
    placement = place(back, unit, room="7")
    Absence.objects.create(
        essms=essms, sejour=placement.sejour, usager=back, starts_on=datetime.date(2025, 3, 1),
        ends_on=datetime.date(2025, 3, 11), kind=AbsenceKind.HOSPITALISATION, created_by=ide,
    )  # fmt: skip
    data = handover(ide, unit)
    assert [(i.label, i.importance) for i in person(data, fallen).signals] == [("Chute", ALERT)]
    assert [i.label for i in person(data, admitted).signals] == ["Admission"]
    assert [i.label for i in person(data, hospitalised).signals] == ["Départ en hospitalisation"]
    assert person(data, hospitalised) in data.absents
    assert [i.label for i in person(data, back).signals] == ["Retour d'hospitalisation"]


def test_rights_decide_each_source(essms, unit, marthe):
    """An éducateur reads care but neither prescriptions nor the médical tier: no prescription line shows."""
    educateur = professional(essms, Metier.EDUCATEUR)
    labels = [i.label for i in person(handover(educateur, unit), marthe).signals]
    assert labels and not any("prescription" in label.lower() or "Arrêt" in label for label in labels)
    assert "Refusé : Repas de midi — Refuse le plateau" in labels


def test_a_past_shift_shows_its_own_window_only(ide, unit, marthe):
    night = handover(ide, unit, Shift(Poste.NUIT, datetime.date(2025, 3, 10)))
    assert person(night, marthe).signals == []


def test_synthese_gets_the_same_sources(client, ide, marthe):
    data = synthese_for_usager(ide, usager=marthe, days=7)
    assert "Algoplus 3/5 : douleur probable" in [i.label for i in data.signals]
    client.force_login(ide)
    html = client.get(reverse("synthese", args=[marthe.pk])).content.decode()
    assert "Donné : Tramadol 50 mg (si besoin)" in html
    body = client.get(reverse("api:synthese-detail", args=[marthe.pk])).json()
    assert {"Algoplus 3/5 : douleur probable", "Refusé : Repas de midi — Refuse le plateau"} <= {
        s["label"] for s in body["signals"]
    }


def test_api_handover_includes_signals(client, ide, unit, marthe):
    client.force_login(ide)
    body = client.get(reverse("api:handover-list"), {"unite": unit.pk}).json()
    signals = body["persons"][0]["signals"]
    assert signals[0]["label"] == "Algoplus 3/5 : douleur probable" and signals[0]["importance"] == ALERT
    assert {"usager", "kind", "time", "all_day", "importance", "label", "url"} == set(signals[0])
    assert body["unit_wide"]["signals"] == []


def test_query_count_fixed_with_few_and_many(client, essms, unit, ide, doctor):
    def fill(n, offset):
        for i in range(offset, offset + n):
            usager = UsagerFactory(essms=essms, birth_name=f"NOM{i}")
            place(usager, unit, room=str(i))
            algoplus(ide, usager, paris(12, 8))
            occurrence(usager, ide, label="Repas", status=OccurrenceStatus.REFUSED, at=paris(12, 9))
            line(usager, doctor, created_at=paris(12, 9))

    fill(2, 0)
    client.force_login(ide)
    few = count_queries(client, reverse("handover"), {"unite": unit.pk})
    api_few = count_queries(client, reverse("api:handover-list"), {"unite": unit.pk})
    fill(8, 2)
    assert count_queries(client, reverse("handover"), {"unite": unit.pk}) == few
    assert count_queries(client, reverse("api:handover-list"), {"unite": unit.pk}) == api_few


def test_an_added_source_shows_and_cannot_name_other_persons(ide, unit, marthe, essms):
    stranger = UsagerFactory(essms=essms)

    def nutrition(*, user, essms, unit, start, end, usagers):
        return [
            SourceItem(marthe.pk, paris(12, 9), IMPORTANT, "Perte de poids de 5 %", "/x/", kind="nutrition"),
            SourceItem(stranger.pk, paris(12, 9), ALERT, "Pas dans l'unité", "/y/", kind="nutrition"),
        ]

    register_handover_source("test-nutrition", nutrition)
    try:
        grouped = collect(user=ide, essms=essms, unit=unit, start=paris(12, 0), end=paris(12, 10), usagers=[marthe])
    finally:
        unregister_handover_source("test-nutrition")
    assert "Perte de poids de 5 %" in [i.label for i in grouped[marthe.pk]]
    assert stranger.pk not in grouped


# ---------- Bad input ----------


def test_unknown_unit_and_other_essms_unit_are_404(client, ide, unit, marthe, foreign_essms, sibling_essms):
    client.force_login(ide)
    for pk in (999999, UnitFactory(essms=foreign_essms).pk, UnitFactory(essms=sibling_essms).pk):
        assert client.get(reverse("handover"), {"unite": pk}).status_code == 404
        assert client.get(reverse("api:handover-list"), {"unite": pk}).status_code == 404


def test_unknown_shift_is_refused_clearly(client, ide, unit, marthe):
    client.force_login(ide)
    response = client.get(reverse("api:handover-list"), {"unite": unit.pk, "poste": "matin"})
    assert response.status_code == 400 and "poste" in response.json()
    page = client.get(reverse("handover"), {"unite": unit.pk, "poste": "matin"}, follow=True)
    assert "Poste en cours affiché" in page.content.decode()


def test_synthese_of_another_essms_is_404(client, ide, foreign_essms):
    other = UsagerFactory(essms=foreign_essms)
    client.force_login(ide)
    assert client.get(reverse("synthese", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:synthese-detail", args=[other.pk])).status_code == 404


# ---------- Boundaries between apps ----------


def _imports(package: str) -> set[str]:
    found = set()
    for path in (pathlib.Path(settings.BASE_DIR) / package).rglob("*.py"):
        if "management" in path.parts or path.name in ("scale_data.py",) or path.parent.name == "services":
            continue  # older seams (demo command, scale data, séjour exit) predate the registry
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_transmissions_imports_no_ppa_and_dui_imports_neither():
    assert not {"ppa", "soins"} & _imports("transmissions")
    assert not {"ppa", "soins", "transmissions"} & _imports("dui")


def test_sejour_placement_rows_untouched(ide, unit, marthe):
    """Reading the relève writes nothing but the access log."""
    before = (Sejour.objects.count(), Placement.objects.count(), CareOccurrence.objects.count())
    handover(ide, unit)
    assert (Sejour.objects.count(), Placement.objects.count(), CareOccurrence.objects.count()) == before


def test_releve_shows_weight_loss_and_a_short_day_of_drinks(ide, unit, essms):
    """HAS dénutrition criteria (−5 % in a month) and drinks below the person's target reach the relève."""
    usager = UsagerFactory(essms=essms, birth_name="MARTIN", first_names="Paul")
    place(usager, unit, room="5")
    a_month_before = paris(12, 7) - datetime.timedelta(days=28)
    evaluation_record(ide, usager=usager, grid="poids_imc", answers={"poids": 60}, evaluated_at=a_month_before)
    evaluation_record(ide, usager=usager, grid="poids_imc", answers={"poids": 56}, evaluated_at=paris(12, 7))
    evaluation_record(ide, usager=usager, grid="hydratation", answers={"periode": "24h", "apports_ml": 1100},
                      evaluated_at=paris(12, 9))  # fmt: skip
    signals = person(handover(ide, unit), usager).signals
    nutrition = [item for item in signals if item.kind == "nutrition"]
    assert {item.importance for item in nutrition} <= {ALERT, IMPORTANT}
    assert len(nutrition) == 2, [item.label for item in signals]
    assert any("1100 mL" in item.label for item in nutrition)
    assert all(item.url == reverse("usager-evaluations", args=[usager.pk]) for item in nutrition)
    # A métier without the constantes class sees neither.
    other = professional(essms, Metier.TECHNIQUE)
    assert not [item for item in collect_for(other, unit, usager) if item.kind == "nutrition"]


def collect_for(user, unit, usager):
    shift = Shift(Poste.JOUR, TODAY)
    items = collect(user=user, essms=unit.essms, unit=unit, start=shift.start, end=shift.end, usagers=[usager])
    return items.get(usager.pk, [])
