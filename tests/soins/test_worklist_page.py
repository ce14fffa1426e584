"""The worklist page and selector (grouping, flags, fixed queries), the cadre's late list, the catalogue
and a person's plan pages, and the read API (care actions, plan items, worklist)."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dui.errors import NotFound
from dui.models import Metier
from dui.shifts import Poste, Shift, shift_at
from soins.models import CareAction, CareOccurrence, CarePlanItem, OccurrenceStatus
from soins.selectors.worklist import worklist_for_unit
from soins.services import care as care_services
from tests.factories import UnitFactory, professional
from tests.soins import factories_care as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadre(essms):
    return professional(essms, Metier.CADRE_SANTE)


@pytest.fixture
def aide(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


def fill_unit(essms, unit, cadre, count, shift, *, start=0):
    people = []
    for n in range(start, start + count):
        person = f.placed_person(essms, unit, cadre, name=f"PERSONNE{n:03d}", room=str(100 + n))
        f.plan(cadre, person, "Toilette complète", poste=shift.poste)
        f.plan(cadre, person, "Change", poste=shift.poste)
        people.append(person)
    care_services.occurrences_generate_for_shift(essms, shift)
    return people


def test_page_groups_by_person_with_big_buttons(client, essms, unit, cadre, aide):
    shift = shift_at(timezone.now())
    people = fill_unit(essms, unit, cadre, 2, shift)
    client.force_login(aide)
    response = client.get(reverse("worklist"), {"unite": unit.pk, "poste": shift.poste, "date": shift.date})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="wl-person"') == 2
    assert page.index("PERSONNE000") < page.index("PERSONNE001")  # by room
    # One form in a <template>, copied by the script into each of the four items to do.
    assert page.count('class="wl-form"') == 1 and page.count('value="refused"') == 1
    assert page.count('class="wl-validate') == 4
    assert "js/worklist.js" in page and 'id="wl-queue"' in page
    assert f"{reverse('care-plan', args=[people[0].pk])}" in page


def test_opening_the_worklist_generates_its_shift(client, essms, unit, cadre, aide):
    shift = shift_at(timezone.now())
    person = f.placed_person(essms, unit, cadre)
    f.plan(cadre, person, "Toilette complète", poste=shift.poste)
    client.force_login(aide)
    url = reverse("worklist")
    client.get(url, {"unite": unit.pk})
    client.get(url, {"unite": unit.pk})
    assert CareOccurrence.objects.count() == 1


def test_opening_generates_only_what_is_missing(client, essms, unit, cadre, aide):
    shift = shift_at(timezone.now())
    person = f.placed_person(essms, unit, cadre, name="PRESENTE")
    away = f.placed_person(essms, unit, cadre, name="HOSPITALISEE")
    away.sejours.get().absences.create(
        essms=essms, usager=away, kind="hospitalisation", starts_on=shift.date, created_by=cadre
    )
    f.plan(cadre, person, "Toilette complète", poste=shift.poste)
    f.plan(cadre, away, "Change", poste=shift.poste)
    client.force_login(aide)
    params = {"unite": unit.pk, "poste": shift.poste, "date": shift.date.isoformat()}
    client.get(reverse("worklist"), params)
    assert list(CareOccurrence.objects.values_list("label", flat=True)) == ["Toilette complète"]
    with CaptureQueriesContext(connection) as steady:
        client.get(reverse("worklist"), params)
    assert not any('INSERT INTO "ppa_careoccurrence"' in q["sql"] for q in steady.captured_queries)
    f.plan(cadre, person, "Pesée", poste=shift.poste)  # planned after the rows were made
    with CaptureQueriesContext(connection) as catching_up:
        page = client.get(reverse("worklist"), params).content.decode()
    assert "Pesée" in page and CareOccurrence.objects.filter(label="Pesée").count() == 1
    assert len(catching_up) > len(steady)
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("worklist"), params)
    assert len(again) == len(steady) and CareOccurrence.objects.count() == 2


def test_late_missed_and_validated_items_are_shown(essms, unit, cadre, aide):
    shift = Shift(Poste.JOUR, timezone.localdate() - datetime.timedelta(days=1))
    person = f.placed_person(essms, unit, cadre)
    f.plan(cadre, person, "Aide au repas", time=datetime.time(12, 0))
    f.plan(cadre, person, "Toilette complète")
    f.plan(cadre, person, "Pesée", time=datetime.time(10, 0))
    care_services.occurrences_generate_for_shift(essms, shift)
    weigh = CareOccurrence.objects.get(label="Pesée")
    weigh.status, weigh.validated_by, weigh.performed_at = "done", aide, weigh.due_at
    weigh.save()
    during = datetime.datetime.combine(shift.date, datetime.time(14, 0), tzinfo=datetime.UTC)
    data = worklist_for_unit(aide, unit, shift, now=during)
    states = {item.occurrence.label: item.state for item in data.persons[0].items}
    assert states == {"Pesée": "done", "Aide au repas": "late", "Toilette complète": "pending"}
    after = worklist_for_unit(aide, unit, shift, now=shift.end + datetime.timedelta(minutes=1))
    states = {item.occurrence.label: item.state for item in after.persons[0].items}
    assert states == {"Pesée": "done", "Aide au repas": "missed", "Toilette complète": "missed"}
    assert after.late_count == 2 and after.done_count == 1 and after.total == 3


def test_absent_person_is_listed_apart(essms, unit, cadre, aide):
    shift = shift_at(timezone.now())
    person = f.placed_person(essms, unit, cadre)
    person.sejours.get().absences.create(
        essms=essms, usager=person, kind="hospitalisation", starts_on=shift.date, created_by=cadre
    )
    data = worklist_for_unit(aide, unit, shift)
    assert data.persons == [] and data.absents == [person]


def count_selector_queries(user, unit, shift):
    with CaptureQueriesContext(connection) as queries:
        worklist_for_unit(user, unit, shift)
    return len(queries)


def count_page_queries(client, unit, shift):
    url = reverse("worklist")
    params = {"unite": unit.pk, "poste": shift.poste, "date": shift.date.isoformat()}
    client.get(url, params)  # generation done, rights read
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_fixed_number_of_queries_whatever_the_number_of_persons(client, essms, cadre, aide):
    shift = shift_at(timezone.now())
    few, many = UnitFactory(essms=essms, name="Petite"), UnitFactory(essms=essms, name="Grande")
    fill_unit(essms, few, cadre, 2, shift)
    fill_unit(essms, many, cadre, 12, shift, start=10)
    worklist_for_unit(aide, few, shift)  # the matrix row is read once per request, then cached
    assert count_selector_queries(aide, few, shift) == count_selector_queries(aide, many, shift)
    assert count_selector_queries(aide, many, shift) <= 5  # the fifth: allergies of the banners
    client.force_login(aide)
    assert count_page_queries(client, few, shift) == count_page_queries(client, many, shift)


def test_medication_rows_need_the_medication_class(essms, unit, cadre):
    shift = shift_at(timezone.now())
    person = f.placed_person(essms, unit, cadre)
    line = f.prescription(person, kind="medicament")
    CareOccurrence.objects.create(
        essms=essms,
        usager=person,
        prescription=line,
        label="Paracétamol 1 g",
        due_at=shift.start,
        due_before=shift.start + datetime.timedelta(hours=1),
        created_by=cadre,
    )
    nurse = professional(essms, Metier.IDE)
    data = worklist_for_unit(nurse, unit, shift)
    assert [item.kind for item in data.persons[0].items] == ["medicament"]
    assert "Paracétamol" in data.persons[0].items[0].instructions
    educ = professional(essms, Metier.ANIMATEUR)  # no care, no medication
    with pytest.raises(NotFound):
        worklist_for_unit(educ, unit, shift)


def test_worklist_page_of_another_essms_unit_is_404(client, essms, foreign_essms, unit):
    client.force_login(professional(foreign_essms, Metier.CADRE_SANTE))
    assert client.get(reverse("worklist"), {"unite": unit.pk}).status_code == 404
    assert client.get(reverse("worklist-late"), {"unite": unit.pk}).status_code == 404


def test_bad_shift_falls_back_to_the_current_one(client, essms, unit, aide):
    client.force_login(aide)
    response = client.get(reverse("worklist"), {"unite": unit.pk, "poste": "soir", "date": "demain"})
    assert response.status_code == 200
    assert "Poste « soir » inconnu" in response.content.decode()


# --- Late list (cadre) --------------------------------------------------------------------------


def test_cadre_sees_late_and_missed_items(client, essms, unit, cadre, aide):
    yesterday = Shift(Poste.JOUR, timezone.localdate() - datetime.timedelta(days=1))
    person = f.placed_person(essms, unit, cadre, name="RETARDATAIRE")
    f.plan(cadre, person, "Aide au repas", time=datetime.time(12, 0))
    f.plan(cadre, person, "Pesée", time=datetime.time(10, 0))
    care_services.occurrences_generate_for_shift(essms, yesterday)
    CareOccurrence.objects.filter(label="Pesée").update(status="done", validated_by=aide)
    client.force_login(cadre)
    response = client.get(reverse("worklist-late"), {"unite": unit.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aide au repas" in page and "RETARDATAIRE" in page and "Pesée" not in page
    assert "Non validé, poste terminé" in page
    client.force_login(aide)
    assert client.get(reverse("worklist-late")).status_code == 404


def test_late_list_bad_dates_warn(client, essms, unit, cadre):
    client.force_login(cadre)
    response = client.get(reverse("worklist-late"), {"unite": unit.pk, "du": "2025-13-01", "au": "2025-01-01"})
    assert response.status_code == 200
    assert "n&#x27;est pas une date valide" in response.content.decode()


# --- Catalogue and plan pages -------------------------------------------------------------------


def test_catalogue_page_add_and_deactivate(client, essms, cadre, aide):
    client.force_login(aide)
    page = client.get(reverse("care-catalogue")).content.decode()
    assert "Toilette complète" in page and "Ajouter un soin" not in page
    assert client.post(reverse("care-catalogue"), {"label": "Massage", "category": "hygiene"}).status_code == 404
    client.force_login(cadre)
    response = client.post(reverse("care-catalogue"), {"label": "Soins de bouche", "category": "hygiene"})
    assert response.status_code == 302
    action = CareAction.objects.get(label="Soins de bouche")
    response = client.post(reverse("care-catalogue"), {"label": "Soins de bouche", "category": "hygiene"})
    assert response.status_code == 400 and "existe déjà" in response.content.decode()
    client.post(reverse("care-action-deactivate"), {"action": action.pk})
    action.refresh_from_db()
    assert not action.is_active
    client.post(reverse("care-action-reactivate"), {"action": action.pk})
    action.refresh_from_db()
    assert action.is_active


def test_plan_page_schedules_and_refuses_a_restraint_without_prescription(client, essms, unit, cadre, usager):
    f.place(usager, unit, cadre)
    nurse = professional(essms, Metier.IDE)
    client.force_login(nurse)
    url = reverse("care-plan", args=[usager.pk])
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    meal = f.action(essms, "Aide au repas")
    response = client.post(
        reverse("care-plan-add", args=[usager.pk]),
        {"action": meal.pk, "weekdays": ["1", "3"], "poste": "jour", "time": "12:00", "starts_on": today},
    )
    assert response.status_code == 302
    assert CarePlanItem.objects.get().weekdays == "13"
    rails = f.restraint_action(essms)
    response = client.post(
        reverse("care-plan-add", args=[usager.pk]),
        {"action": rails.pk, "weekdays": ["1"], "poste": "nuit", "starts_on": today},
    )
    assert response.status_code == 400
    assert "ne peut être planifiée que sous une prescription médicale validée" in response.content.decode()
    assert CarePlanItem.objects.count() == 1
    line = f.prescription(usager)
    response = client.post(
        reverse("care-plan-add", args=[usager.pk]),
        {"action": rails.pk, "weekdays": ["1"], "poste": "nuit", "starts_on": today, "prescription": line.pk},
    )
    assert response.status_code == 302
    item = CarePlanItem.objects.get(action=rails)
    assert item.prescription == line
    response = client.post(reverse("care-plan-end", args=[item.pk]), {"ends_on": today, "reason": "Levée"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.ended_at is not None
    page = client.get(url).content.decode()
    assert "Soins arrêtés ou terminés (1)" in page


def test_plan_page_of_another_essms_is_404(client, usager, foreign_essms, cadre, unit):
    f.place(usager, unit, cadre)
    item = f.plan(cadre, usager)
    client.force_login(professional(foreign_essms, Metier.CADRE_SANTE))
    assert client.get(reverse("care-plan", args=[usager.pk])).status_code == 404
    assert client.post(reverse("care-plan-end", args=[item.pk])).status_code == 404
    assert CarePlanItem.objects.get().ended_at is None


# --- Read and plan API --------------------------------------------------------------------------


def test_api_actions_plan_items_and_worklist(client, essms, unit, cadre, usager):
    f.place(usager, unit, cadre, room="7")
    client.force_login(cadre)
    actions = client.get(reverse("api:care-action-list")).json()["results"]
    toilet = next(a for a in actions if a["label"] == "Toilette complète")
    shift = shift_at(timezone.now())
    created = client.post(
        reverse("api:care-plan-item-list"),
        data=json.dumps({"usager": usager.pk, "action": toilet["id"], "poste": shift.poste, "starts_on": "2024-06-01"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    listed = client.get(reverse("api:care-plan-item-list"), {"usager": usager.pk}).json()["results"]
    assert [row["id"] for row in listed] == [item_id]
    worklist = client.get(reverse("api:worklist-list"), {"unit": unit.pk, "poste": shift.poste, "date": shift.date})
    assert worklist.status_code == 200
    persons = worklist.json()["persons"]
    assert persons[0]["room"] == "7" and persons[0]["items"][0]["label"] == "Toilette complète"
    assert client.get(reverse("api:worklist-list"), {"poste": "soir"}).status_code == 400
    ended = client.post(
        reverse("api:care-plan-item-end", args=[item_id]), data={"reason": "Fin"}, content_type="application/json"
    )
    assert ended.status_code == 200 and ended.json()["ended"] is True


def test_api_restraint_without_prescription_is_400(client, essms, unit, cadre, usager):
    f.place(usager, unit, cadre)
    client.force_login(cadre)
    rails = f.restraint_action(essms)
    response = client.post(
        reverse("api:care-plan-item-list"),
        data=json.dumps({"usager": usager.pk, "action": rails.pk, "poste": "nuit", "starts_on": "2030-01-01"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "prescription médicale validée" in response.json()["prescription"][0]
    assert not CarePlanItem.objects.exists()


def test_validated_item_shows_who_and_when(client, essms, unit, cadre, aide):
    shift = shift_at(timezone.now())
    fill_unit(essms, unit, cadre, 1, shift)
    occurrence = CareOccurrence.objects.first()
    occurrence.status = OccurrenceStatus.REFUSED
    occurrence.comment = "Ne souhaite pas"
    occurrence.validated_by = aide
    occurrence.performed_at = timezone.now()
    occurrence.save()
    client.force_login(aide)
    page = client.get(reverse("worklist"), {"unite": unit.pk}).content.decode()
    assert "Refusé" in page and aide.last_name in page and "Ne souhaite pas" in page


def test_unit_choice_offers_open_units_and_the_closed_one_asked_for(client, essms, aide):
    closed = UnitFactory(essms=essms, name="Ancienne aile", is_active=False)
    open_one = UnitFactory(essms=essms, name="Bleuets")
    client.force_login(aide)
    url = reverse("worklist")
    assert client.get(url).context["unit"] == open_one
    response = client.get(url, {"unite": closed.pk})
    assert response.status_code == 200 and response.context["unit"] == closed
    assert closed in response.context["units"] and open_one in response.context["units"]
    assert closed not in client.get(url, {"unite": open_one.pk}).context["units"]
    for bad in ("abc", "99999999", "-1"):
        assert client.get(url, {"unite": bad}).status_code == 404
