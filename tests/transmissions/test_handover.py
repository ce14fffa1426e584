"""Handover (relève de poste) of a unit: content, open cibles, absents, visibility, scope, audit, queries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dui.models import Absence, AccessLog, Metier, Placement, Sejour
from interop.services import api_token_create
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.logged import logged_events
from transmissions.models import Cible, Event, EventKind, Theme, Visibility
from transmissions.selectors.handover import Poste, Shift, handover_for_unit
from transmissions.services.transmissions import transmission_add_result, transmission_create

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
def cible(og):
    return Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)


@pytest.fixture
def sommeil(og):
    return Cible.objects.create(og=og, label="Sommeil", theme=Theme.SOMMEIL)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


def place(usager, unit, *, room="", starts_on=datetime.date(2025, 1, 1), ends_on=None):
    by = professional(usager.essms, Metier.DIRECTION)
    sejour = Sejour.objects.create(
        essms=usager.essms,
        usager=usager,
        status="active",
        first_contact_on=starts_on,
        admitted_on=starts_on,
        created_by=by,
    )
    return Placement.objects.create(
        essms=usager.essms,
        sejour=sejour,
        usager=usager,
        unit=unit,
        room=room,
        modality="hp",
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )


def make_absent(placement, kind="hospitalisation", starts_on=datetime.date(2025, 3, 10)):
    return Absence.objects.create(
        essms=placement.essms,
        sejour=placement.sejour,
        usager=placement.usager,
        kind=kind,
        starts_on=starts_on,
        created_by=placement.created_by,
    )


def write(user, observed_at, *, written_at=None, **kwargs):
    """A transmission observed at `observed_at` and written at that moment (or at `written_at`)."""
    with time_machine.travel(written_at or observed_at, tick=False):
        return transmission_create(user, observed_at=observed_at, **kwargs)


def event(user, transmission, kind, occurred_at=None, **kwargs):
    return Event.objects.create(
        essms_id=transmission.essms_id,
        usager_id=transmission.usager_id,
        transmission=transmission,
        kind=kind,
        occurred_at=occurred_at or transmission.observed_at,
        created_by=user,
        **kwargs,
    )


def handover(user, unit, shift=None):
    return handover_for_unit(user, unit=unit, shift=shift or Shift(Poste.JOUR, TODAY))


@pytest.fixture
def people(essms, unit):
    """Three persons in rooms 10, 2 and none, and one in another unit."""
    persons = {
        "dix": UsagerFactory(essms=essms, birth_name="BERNARD", first_names="Alice"),
        "deux": UsagerFactory(essms=essms, birth_name="ZELLER", first_names="Bruno"),
        "sans": UsagerFactory(essms=essms, birth_name="ADAM", first_names="Chloé"),
        "ailleurs": UsagerFactory(essms=essms, birth_name="MARTIN", first_names="Denis"),
    }
    place(persons["dix"], unit, room="10")
    place(persons["deux"], unit, room="2")
    place(persons["sans"], unit)
    place(persons["ailleurs"], UnitFactory(essms=essms, name="Unité Lilas"), room="1")
    return persons


# ---------- Content ----------


def test_persons_of_the_unit_ordered_by_room_then_name(aide_soignant, unit, people):
    data = handover(aide_soignant, unit)
    assert [p.usager for p in data.persons] == [people["deux"], people["dix"], people["sans"]]
    assert people["ailleurs"] not in [p.usager for p in data.persons]


def test_window_shows_what_happened_since_the_previous_shift(aide_soignant, unit, people, cible):
    alice = people["dix"]
    before = write(aide_soignant, paris(11, 18, 30), usager=alice, narrative="Avant la nuit")
    night = write(aide_soignant, paris(11, 23), usager=alice, cible=cible, donnees="Se plaint du genou")
    morning = write(aide_soignant, paris(12, 8), usager=alice, narrative="Petit-déjeuner pris\nen entier")
    person = next(p for p in handover(aide_soignant, unit).persons if p.usager == alice)
    assert person.transmissions == [morning, night]
    assert before not in person.transmissions
    assert [item.summary for item in person.items] == ["Petit-déjeuner pris", "Se plaint du genou"]
    assert person.items[1].cible == "Douleur"
    assert person.items[0].author_metier_label == "Aide-soignant(e)"


def test_late_writing_about_an_earlier_observation_shows(client, aide_soignant, unit, people):
    late = write(aide_soignant, paris(9, 15), written_at=NOW, usager=people["deux"], narrative="Oubli : visite")
    write(aide_soignant, paris(9, 16), usager=people["deux"], narrative="Écrite à temps, avant le poste précédent")
    person = next(p for p in handover(aide_soignant, unit).persons if p.usager == people["deux"])
    assert person.transmissions == [late]
    assert person.items[0].late
    client.force_login(aide_soignant)
    body = client.get(reverse("handover"), {"unite": unit.pk}).content.decode()
    assert "09/03 15:00" in body
    assert "écrite le 12/03 à 10:00" in body


def test_a_chosen_past_shift_shows_that_shift_only(aide_soignant, unit, people):
    alice = people["dix"]
    day = write(aide_soignant, paris(10, 9), usager=alice, narrative="Jour du 10")
    write(aide_soignant, paris(10, 21), usager=alice, narrative="Nuit du 10")
    data = handover(aide_soignant, unit, Shift(Poste.JOUR, datetime.date(2025, 3, 10)))
    assert next(p for p in data.persons if p.usager == alice).transmissions == [day]
    assert not data.window.is_current


def test_people_with_nothing_new_collapse_to_one_line(client, aide_soignant, unit, people):
    write(aide_soignant, paris(12, 8), usager=people["dix"], narrative="Bonne nuit")
    client.force_login(aide_soignant)
    body = client.get(reverse("handover"), {"unite": unit.pk}).content.decode()
    assert body.count("ho-quiet") == 2
    assert body.count("Rien de nouveau") == 2


def test_many_transmissions_show_the_latest_and_link_to_the_rest(aide_soignant, unit, people):
    for hour in range(1, 7):
        write(aide_soignant, paris(12, hour), usager=people["dix"], narrative=f"Passage {hour} h")
    person = next(p for p in handover(aide_soignant, unit).persons if p.usager == people["dix"])
    assert (person.new_count, len(person.items), person.more_count) == (6, 3, 3)
    assert person.items[0].summary == "Passage 6 h"


def test_unit_wide_transmissions(aide_soignant, unit, essms, people):
    mine = write(aide_soignant, paris(12, 6), unit=unit, narrative="Ascenseur en panne")
    write(aide_soignant, paris(12, 6), unit=UnitFactory(essms=essms, name="Unité Rose"), narrative="Autre unité")
    data = handover(aide_soignant, unit)
    assert data.unit_transmissions == [mine]
    assert [item.transmission for item in data.unit_items] == [mine]


def test_absent_people_are_listed_apart(client, aide_soignant, unit, people):
    placement = Placement.objects.get(usager=people["sans"])
    make_absent(placement)
    write(aide_soignant, paris(12, 9), usager=people["sans"], narrative="Nouvelles de l'hôpital")
    data = handover(aide_soignant, unit)
    assert people["sans"] not in [p.usager for p in data.persons]
    assert [p.usager for p in data.absents] == [people["sans"]]
    assert data.absents[0].new_count == 1
    client.force_login(aide_soignant)
    body = client.get(reverse("handover"), {"unite": unit.pk}).content.decode()
    assert "Absents (1)" in body
    assert "hospitalisation depuis le 10/03 (1 transmission)" in body


def test_a_finished_absence_counts_as_present(aide_soignant, unit, people):
    absence = make_absent(Placement.objects.get(usager=people["sans"]), starts_on=datetime.date(2025, 3, 1))
    absence.ends_on = datetime.date(2025, 3, 5)
    absence.save()
    assert people["sans"] in [p.usager for p in handover(aide_soignant, unit).persons]


# ---------- Open cibles ----------


def test_open_cible_until_a_later_version_brings_results(aide_soignant, ide, unit, people, cible, sommeil):
    alice = people["dix"]
    old = write(aide_soignant, paris(5, 9), usager=alice, cible=cible, donnees="Douleur genou", actions="Glace")
    write(aide_soignant, paris(12, 2), usager=alice, cible=sommeil, actions="Tisane proposée")
    write(aide_soignant, paris(12, 3), usager=alice, narrative="Note sans cible")
    write(aide_soignant, paris(12, 4), usager=alice, free_cible="Appétit", donnees="Peu mangé", resultats="A repris")
    person = next(p for p in handover(aide_soignant, unit).persons if p.usager == alice)
    # Opened before the window, still open: listed with the time it was opened.
    assert [(c.label, c.since) for c in person.open_cibles] == [("Douleur", paris(5, 9)), ("Sommeil", paris(12, 2))]
    transmission_add_result(ide, transmission=old, resultats="Soulagée après 30 min")
    person = next(p for p in handover(aide_soignant, unit).persons if p.usager == alice)
    assert [c.label for c in person.open_cibles] == ["Sommeil"]


def test_the_same_cible_open_twice_is_one_line(aide_soignant, unit, people, cible):
    write(aide_soignant, paris(10, 9), usager=people["dix"], cible=cible, donnees="Genou")
    write(aide_soignant, paris(11, 9), usager=people["dix"], cible=cible, donnees="Dos")
    person = next(p for p in handover(aide_soignant, unit).persons if p.usager == people["dix"])
    assert [(c.label, c.count, c.since) for c in person.open_cibles] == [("Douleur", 2, paris(10, 9))]


def test_open_cibles_older_than_the_horizon_are_counted_not_listed(client, aide_soignant, unit, people, cible):
    old = datetime.datetime(2025, 1, 20, 9, 0, tzinfo=PARIS)  # 51 days before
    write(aide_soignant, old, usager=people["dix"], cible=cible, donnees="Genou")
    write(aide_soignant, old, usager=people["dix"], free_cible="Appétit", actions="Compléments")
    write(aide_soignant, paris(11, 9), usager=people["dix"], free_cible="Sommeil", actions="Tisane")
    write(aide_soignant, paris(12, 9), usager=people["dix"], narrative="Du nouveau : la carte est ouverte")
    person = next(p for p in handover(aide_soignant, unit).persons if p.usager == people["dix"])
    assert [c.label for c in person.open_cibles] == ["Sommeil"]
    assert (person.older_open.count, person.older_open.since) == (2, old)
    client.force_login(aide_soignant)
    body = client.get(reverse("handover"), {"unite": unit.pk}).content.decode()
    assert "2 plus anciennes (depuis le 20/01/2025)" in body
    assert reverse("synthese", args=[people["dix"].pk]) in body


def test_open_cibles_stay_visible_on_a_quiet_line(client, aide_soignant, unit, people, cible):
    write(aide_soignant, paris(1, 9), usager=people["deux"], cible=cible, donnees="Genou")
    client.force_login(aide_soignant)
    body = client.get(reverse("handover"), {"unite": unit.pk}).content.decode()
    assert "Cibles ouvertes : Douleur (01/03)" in body


# ---------- Events ----------


def test_event_counts_by_kind_with_a_red_badge(client, aide_soignant, unit, people):
    alice = people["dix"]
    fall = write(aide_soignant, paris(12, 5), usager=alice, free_cible="Chute", donnees="Retrouvée au sol")
    event(aide_soignant, fall, EventKind.CHUTE, place="Chambre")
    other = write(aide_soignant, paris(12, 6), usager=alice, narrative="Agitation")
    event(aide_soignant, other, EventKind.COMPORTEMENT)
    old = write(aide_soignant, paris(10, 6), usager=alice, narrative="Chute ancienne")
    event(aide_soignant, old, EventKind.CHUTE)
    person = next(p for p in handover(aide_soignant, unit).persons if p.usager == alice)
    assert [(c.kind, c.count, c.is_alert) for c in person.event_counts] == [
        (EventKind.CHUTE, 1, True),
        (EventKind.COMPORTEMENT, 1, False),
    ]
    assert person.has_alert
    assert person.items[1].event_kind == EventKind.CHUTE
    client.force_login(aide_soignant)
    body = client.get(reverse("handover"), {"unite": unit.pk}).content.decode()
    assert '<span class="badge badge-alert">Chute</span>' in body
    assert "ho-person-alert" in body


# ---------- Visibility, scope ----------


def test_aide_soignant_does_not_see_medical_items_nor_their_counts(ide, aide_soignant, unit, people, cible):
    alice = people["dix"]
    medical = write(ide, paris(12, 7), usager=alice, cible=cible, donnees="Crise", visibility=Visibility.MEDICAL)
    event(ide, medical, EventKind.EPILEPSIE, duration_seconds=120)
    write(aide_soignant, paris(12, 8), usager=alice, narrative="Toilette faite")
    as_view = next(p for p in handover(aide_soignant, unit).persons if p.usager == alice)
    assert (as_view.new_count, as_view.event_counts, as_view.open_cibles) == (1, [], [])
    ide_view = next(p for p in handover(ide, unit).persons if p.usager == alice)
    assert ide_view.new_count == 2
    assert [(c.kind, c.count) for c in ide_view.event_counts] == [(EventKind.EPILEPSIE, 1)]
    assert [c.label for c in ide_view.open_cibles] == ["Douleur"]


def test_unit_of_another_essms_is_404(client, aide_soignant, sibling_essms, foreign_essms):
    client.force_login(aide_soignant)
    for other in (sibling_essms, foreign_essms):
        response = client.get(reverse("handover"), {"unite": UnitFactory(essms=other).pk})
        assert response.status_code == 404
    assert client.get(reverse("handover"), {"unite": "abc"}).status_code == 404


def test_metier_without_transmissions_right_gets_403(client, essms, unit):
    client.force_login(professional(essms, Metier.ACCUEIL))
    assert client.get(reverse("handover"), {"unite": unit.pk}).status_code == 403


def test_bad_shift_falls_back_to_the_current_shift_with_a_message(client, aide_soignant, unit, people):
    client.force_login(aide_soignant)
    response = client.get(reverse("handover"), {"unite": unit.pk, "poste": "soir", "date": "demain"})
    assert response.status_code == 200
    assert "Poste en cours affiché" in response.content.decode()
    assert response.context["shift"] == Shift(Poste.JOUR, TODAY)


def test_page_is_printable(client, aide_soignant, unit, people):
    client.force_login(aide_soignant)
    body = client.get(reverse("handover"), {"unite": unit.pk}).content.decode()
    assert "transmissions-handover.css" in body
    assert "data-print" in body
    assert "print-sheet.js" in body


def test_default_unit_is_the_first_one(client, aide_soignant, unit, people):
    client.force_login(aide_soignant)
    response = client.get(reverse("handover"))
    assert response.status_code == 200
    assert response.context["unit"] == unit


# ---------- Audit ----------


def test_reads_are_audited_in_bulk(client, aide_soignant, unit, people, cible):
    shown = [
        write(aide_soignant, paris(12, 8), usager=people["dix"], narrative="Vu"),
        write(aide_soignant, paris(1, 8), usager=people["deux"], cible=cible, donnees="Ouverte"),
        write(aide_soignant, paris(12, 8), unit=unit, narrative="Unité"),
    ]
    last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    client.force_login(aide_soignant)
    client.get(reverse("handover"), {"unite": unit.pk})
    rows = logged_events(pk__gt=last, action="read")
    assert {(r.user_id, r.document_class) for r in rows} == {(aide_soignant.pk, "transmissions")}
    assert sorted(int(r.object_id) for r in rows) == sorted(t.pk for t in shown)
    assert all(r.detail.startswith("relève jour du 12/03/2025") for r in rows)


# ---------- Query count ----------


def fill(unit, writer, essms, cible, count, offset=0):
    for index in range(count):
        usager = UsagerFactory(essms=essms, birth_name=f"PERSONNE{offset + index}")
        place(usager, unit, room=str(offset + index))
        fall = write(writer, paris(12, 5), usager=usager, free_cible="Chute", donnees="Au sol", resultats="Relevée")
        event(writer, fall, EventKind.CHUTE)
        write(writer, paris(11, 20), usager=usager, cible=cible, donnees="Douleur", actions="Antalgique")
        write(writer, paris(12, 6), usager=usager, narrative="Nuit calme")
    absent = UsagerFactory(essms=essms, birth_name=f"ABSENT{offset}")
    make_absent(place(absent, unit, room="99"))


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_persons(client, essms, unit, ide, cible):
    fill(unit, ide, essms, cible, 3)
    client.force_login(ide)
    few = count_queries(client, reverse("handover"), {"unite": unit.pk})
    fill(unit, ide, essms, cible, 17, offset=3)
    many = count_queries(client, reverse("handover"), {"unite": unit.pk})
    assert many == few


def test_selector_query_count_is_fixed(django_assert_num_queries, essms, unit, ide, cible):
    fill(unit, ide, essms, cible, 20)
    handover(ide, unit)  # warms the per-request rights cache
    # placements, absences, transmissions of the window, open cibles, events; then the registered
    # sources (transmissions.sources): events 1, séjours 2, evaluations 1, care and doses 1, prescriptions 1
    with django_assert_num_queries(14):  # transmissions, events, then one query per registered source (nutrition: 3)
        data = handover(ide, unit)
    assert len(data.persons) == 20
    assert all(p.new_count == 3 and len(p.open_cibles) == 1 and p.has_alert for p in data.persons)


# ---------- API ----------


@pytest.fixture
def api(client, ide):
    client.force_login(ide)
    return client


def test_api_handover(api, ide, unit, people, cible):
    alice = people["dix"]
    fall = write(ide, paris(12, 5), usager=alice, cible=cible, donnees="Au sol\nsans blessure")
    event(ide, fall, EventKind.CHUTE)
    write(ide, paris(12, 6), unit=unit, narrative="Réunion d'équipe")
    make_absent(Placement.objects.get(usager=people["sans"]))
    body = api.get(reverse("api:handover-list"), {"unite": unit.pk, "poste": "jour", "date": "2025-03-12"}).json()
    assert body["unit"] == {"id": unit.pk, "name": unit.name}
    assert body["shift"]["poste"] == "jour"
    assert body["window"]["is_current"] is True
    assert [p["usager"] for p in body["persons"]] == [people["deux"].pk, alice.pk]
    person = body["persons"][1]
    assert person["transmissions"] == 1
    assert person["events"] == [{"kind": "chute", "label": "Chute", "count": 1, "alert": True}]
    assert person["open_cibles"][0]["label"] == "Douleur"
    assert person["older_open_cibles"] == {"count": 0, "since": None}
    assert person["latest"][0]["summary"] == "Au sol"
    assert person["latest"][0]["event_kind"] == "chute"
    assert body["absents"][0]["usager"] == people["sans"].pk
    assert body["unit_wide"]["latest"][0]["usager"] is None


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"poste": "soir"}, "poste", "choisissez « jour » ou « nuit »"),
        ({"date": "12/03/2025"}, "date", "n'est pas une date valide"),
        ({"unite": "abc"}, "unite", "Identifiant d'unité invalide"),
        ({"unite": str(2**64)}, "unite", "Identifiant d'unité invalide"),
    ],
)
def test_api_bad_parameters_are_400_in_french(api, unit, params, field, message):
    response = api.get(reverse("api:handover-list"), params)
    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_api_unit_of_another_essms_is_404(client, essms, unit, foreign_essms):
    _, raw = api_token_create(essms_finess=foreign_essms.finess, name="Partenaire")
    response = client.get(reverse("api:handover-list"), {"unite": unit.pk}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404
    assert unit.name not in response.content.decode()


def test_api_query_count_does_not_grow_with_persons(api, essms, unit, ide, cible):
    fill(unit, ide, essms, cible, 3)
    few = count_queries(api, reverse("api:handover-list"), {"unite": unit.pk})
    fill(unit, ide, essms, cible, 17, offset=3)
    assert count_queries(api, reverse("api:handover-list"), {"unite": unit.pk}) == few
