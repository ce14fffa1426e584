"""Plan de soins services: catalogue, scheduling (restraint under prescription only), end, generation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.actor import Actor
from dui.errors import NotFound
from dui.models import AccessAction, AccessLog, Channel, Habilitation, Metier
from dui.shifts import Poste, Shift
from soins.models import CareAction, CareOccurrence, CarePlanItem, OccurrenceStatus, PrescriptionKind
from soins.services import care as care_services
from soins.tasks import generate_upcoming_care_occurrences
from tests.factories import UnitFactory, professional
from tests.soins import factories_care as f

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2025, 3, 10)
PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def cadre(essms):
    return professional(essms, Metier.CADRE_SANTE)


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def aide(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


@pytest.fixture
def placed(usager, unit, cadre):
    f.place(usager, unit, cadre, room="12")
    return usager


# --- Catalogue ----------------------------------------------------------------------------------


def test_default_catalogue_is_created_once(essms):
    assert care_services.catalogue_ensure_default(essms) == len(care_services.DEFAULT_CATALOGUE)
    assert care_services.catalogue_ensure_default(essms) == 0
    labels = set(CareAction.objects.filter(essms=essms).values_list("label", flat=True))
    assert {"Toilette complète", "Aide au repas", "Distribution des médicaments", "Change", "Pesée"} <= labels
    assert {"Prise des constantes", "Prévention d'escarres (changement de position)"} <= labels
    assert "Entretien du fauteuil roulant" in labels
    restraints = CareAction.objects.filter(essms=essms, category="contention")
    assert restraints.exists() and all(a.requires_prescription for a in restraints)


def test_cadre_adds_and_deactivates_an_action(essms, cadre):
    action = care_services.care_action_create(cadre, label="  Soins de bouche ", category="hygiene")
    assert action.label == "Soins de bouche" and action.essms == essms and action.is_active
    care_services.care_action_set_active(cadre, action, active=False)
    action.refresh_from_db()
    assert not action.is_active
    restraint = care_services.care_action_create(cadre, label="Sangle pelvienne", category="contention")
    assert restraint.requires_prescription


def test_catalogue_writes_are_audited_with_the_actor(essms, cadre):
    actor = Actor(cadre, channel=Channel.API, ip="10.0.0.7")
    action = care_services.care_action_create(actor, label="Soins de bouche", category="hygiene")
    rows = AccessLog.objects.filter(object_type="soins.careaction", object_id=str(action.pk))
    created = rows.get(action=AccessAction.CREATE)
    assert (created.user, created.channel, created.ip, created.essms_id) == (cadre, Channel.API, "10.0.0.7", essms.pk)
    assert created.detail == "Soins de bouche"
    care_services.care_action_set_active(actor, action, active=False)
    care_services.care_action_set_active(actor, action, active=False)  # no change: nothing more written
    care_services.care_action_set_active(actor, action, active=True)
    updates = AccessLog.objects.filter(object_id=str(action.pk), action=AccessAction.UPDATE).order_by("pk")
    assert [row.detail for row in updates] == ["retiré du catalogue", "remis au catalogue"]


def test_another_essms_action_is_not_found(essms, cadre, sibling_essms):
    foreign = care_services.care_action_create(
        professional(sibling_essms, Metier.CADRE_SANTE), label="Soins de bouche", category="hygiene"
    )
    with pytest.raises(NotFound):
        care_services.care_action_set_active(Actor(cadre), foreign, active=False)


def test_catalogue_bad_input_writes_nothing(essms, cadre, aide):
    care_services.care_action_create(cadre, label="Soins de bouche", category="hygiene")
    before = CareAction.objects.count()
    with pytest.raises(ValidationError, match="existe déjà"):
        care_services.care_action_create(cadre, label="soins de BOUCHE", category="hygiene")
    with pytest.raises(ValidationError, match="Catégorie inconnue"):
        care_services.care_action_create(cadre, label="Autre chose", category="magie")
    with pytest.raises(ValidationError, match="libellé"):
        care_services.care_action_create(cadre, label="   ", category="hygiene")
    with pytest.raises(PermissionDenied):
        care_services.care_action_create(aide, label="Massage", category="hygiene")
    assert CareAction.objects.count() == before


# --- Plan items ---------------------------------------------------------------------------------


def test_schedule_an_item(placed, nurse):
    item = f.plan(nurse, placed, "Aide au repas", time=datetime.time(12, 0), weekdays="531", instructions="Mixé")
    assert item.weekdays == "135"
    assert item.metier == Metier.AIDE_SOIGNANT  # the action's usual métier
    assert item.prescription is None and item.ends_on is None
    assert AccessLog.objects.filter(object_type="soins.careplanitem", object_id=str(item.pk), action="create").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"poste": "jour", "time": datetime.time(21, 0)}, "entre 07 h 00 et 19 h 00"),
        ({"poste": "nuit", "time": datetime.time(10, 0)}, "entre 19 h 00 et 07 h 00"),
        ({"poste": "soir"}, "Poste inconnu"),
        ({"weekdays": ""}, "au moins un jour"),
        ({"weekdays": "189"}, "au moins un jour"),
        ({"metier": "sorcier"}, "métier"),
        ({"ends_on": datetime.date(2023, 1, 1)}, "ne peut pas précéder"),
        ({"instructions": "x" * 301}, "trop longues"),
    ],
)
def test_plan_item_bad_input_writes_nothing(placed, nurse, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        f.plan(nurse, placed, **kwargs)
    assert not CarePlanItem.objects.exists()


def test_a_metier_without_the_right_cannot_plan(placed, essms):
    with pytest.raises(PermissionDenied):
        f.plan(professional(essms, Metier.ANIMATEUR), placed)
    assert not CarePlanItem.objects.exists()


def test_archived_dossier_refuses_planning(placed, nurse):
    placed.archived_at = timezone.now()
    placed.save()
    with pytest.raises(ValidationError, match="archivé"):
        f.plan(nurse, placed)
    assert not CarePlanItem.objects.exists()


def test_deactivated_action_is_not_scheduled(placed, nurse, cadre, essms):
    action = f.action(essms, "Douche")
    care_services.care_action_set_active(cadre, action, active=False)
    with pytest.raises(ValidationError, match="retiré du catalogue"):
        f.plan(nurse, placed, "Douche")


# --- Restraint only under prescription ----------------------------------------------------------


def _restraint(nurse, usager, prescription=None, **kwargs):
    return care_services.plan_item_create(
        nurse,
        usager=usager,
        action=f.restraint_action(usager.essms),
        poste=Poste.NUIT,
        time=datetime.time(21, 0),
        starts_on=kwargs.pop("starts_on", timezone.localdate()),
        prescription=prescription,
        **kwargs,
    )


def test_restraint_under_an_active_prescription(placed, nurse):
    line = f.prescription(placed, days=7)
    item = _restraint(nurse, placed, line)
    assert item.prescription == line
    assert item.ends_on == line.ends_on  # ends with the prescription when no end is given
    assert item.document_class_code == "contention"


@pytest.mark.parametrize(
    ("line_kwargs", "message"),
    [
        (None, "ne peut être planifiée que sous une prescription médicale validée"),
        ({"validated": False}, "pas encore été validée par un médecin"),
        ({"stopped": True}, "a été arrêtée le"),
        (
            {"starts_on": datetime.date(2024, 1, 1), "ends_on": datetime.date(2024, 1, 8)},
            "a expiré le 08/01/2024",
        ),
        ({"kind": PrescriptionKind.MEDICAMENT}, "n'est pas une prescription de contention"),
        ({"starts_on": "tomorrow"}, "ne commence que le"),
    ],
    ids=["sans", "non-validee", "arretee", "expiree", "medicament", "future"],
)
def test_restraint_without_an_active_prescription_is_refused(placed, nurse, line_kwargs, message):
    line = None
    if line_kwargs is not None:
        line_kwargs = dict(line_kwargs)
        if line_kwargs.get("starts_on") == "tomorrow":
            line_kwargs["starts_on"] = timezone.localdate() + datetime.timedelta(days=1)
        line = f.prescription(placed, **line_kwargs)
    with pytest.raises(ValidationError, match=message):
        _restraint(nurse, placed, line)
    assert not CarePlanItem.objects.exists()


def test_restraint_cannot_outlast_its_prescription(placed, nurse):
    line = f.prescription(placed, days=7)
    with pytest.raises(ValidationError, match="au plus tard à la fin de la prescription"):
        _restraint(nurse, placed, line, ends_on=line.ends_on + datetime.timedelta(days=1))
    assert not CarePlanItem.objects.exists()


def test_restraint_under_another_persons_prescription_is_refused(placed, nurse, essms, unit, cadre):
    other = f.placed_person(essms, unit, cadre)
    with pytest.raises(ValidationError, match="ne concerne pas cette personne"):
        _restraint(nurse, placed, f.prescription(other))
    assert not CarePlanItem.objects.exists()


def test_the_contention_class_decides_who_schedules_a_restraint(placed, aide):
    """Writing a restraint needs the matrix's write right on "contention", not only on "plan_soins"."""
    Habilitation.objects.filter(
        og=placed.essms.og, metier=Metier.AIDE_SOIGNANT, document_class__code="contention"
    ).update(can_write=False)
    f.plan(aide, placed)  # ordinary care: allowed
    with pytest.raises(PermissionDenied):
        _restraint(aide, placed, f.prescription(placed))
    assert CarePlanItem.objects.count() == 1


# --- End ----------------------------------------------------------------------------------------


def test_end_item(placed, nurse):
    item = f.plan(nurse, placed, "Change", poste=Poste.NUIT)
    today = timezone.localdate()
    care_services.occurrences_generate(
        placed.essms, today - datetime.timedelta(days=1), today + datetime.timedelta(days=3)
    )
    assert CareOccurrence.objects.filter(plan_item=item).count() == 5
    yesterday_night = CareOccurrence.objects.get(
        plan_item=item, due_at=Shift(Poste.NUIT, today - datetime.timedelta(days=1)).start
    )
    yesterday_night.status = OccurrenceStatus.DONE
    yesterday_night.save()
    with pytest.raises(ValidationError, match="motif de l'arrêt"):
        care_services.plan_item_end(nurse, item, reason="  ")
    item.refresh_from_db()
    assert item.ended_at is None and CareOccurrence.objects.filter(plan_item=item).count() == 5
    care_services.plan_item_end(nurse, item, reason="Retour à l'autonomie")
    item.refresh_from_db()
    assert item.ends_on == today and item.ended_at is not None and item.ended_by == nurse
    assert item.end_reason == "Retour à l'autonomie"
    # Yesterday's (validated) and tonight's nights stay; the three after are withdrawn.
    assert CareOccurrence.objects.filter(plan_item=item).count() == 2
    assert CarePlanItem.objects.filter(pk=item.pk).exists()
    with pytest.raises(ValidationError, match="déjà arrêté"):
        care_services.plan_item_end(nurse, item, reason="Encore")
    # Generating again does not bring back the withdrawn nights.
    care_services.occurrences_generate(placed.essms, today, today + datetime.timedelta(days=3))
    assert CareOccurrence.objects.filter(plan_item=item).count() == 2


def test_end_in_the_past_is_refused(placed, nurse):
    item = f.plan(nurse, placed)
    with pytest.raises(ValidationError, match="dans le passé"):
        care_services.plan_item_end(
            nurse, item, reason="Erreur", ends_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    item.refresh_from_db()
    assert item.ended_at is None


# --- Generation ---------------------------------------------------------------------------------


def test_timed_and_shift_items_get_their_due_times(placed, nurse):
    meal = f.plan(nurse, placed, "Aide au repas", time=datetime.time(12, 0))
    toilet = f.plan(nurse, placed, "Toilette complète")
    turn = f.plan(
        nurse, placed, "Prévention d'escarres (changement de position)", poste=Poste.NUIT, time=datetime.time(1, 0)
    )
    created = care_services.occurrences_generate(placed.essms, MONDAY, MONDAY)
    assert created == 3
    day, night = Shift(Poste.JOUR, MONDAY), Shift(Poste.NUIT, MONDAY)
    o = CareOccurrence.objects.get(plan_item=meal)
    assert o.due_at == datetime.datetime(2025, 3, 10, 12, 0, tzinfo=PARIS)
    assert o.due_before == o.due_at + datetime.timedelta(hours=1)
    assert o.label == "Aide au repas" and o.metier == Metier.AIDE_SOIGNANT and o.status == OccurrenceStatus.PENDING
    o = CareOccurrence.objects.get(plan_item=toilet)
    assert (o.due_at, o.due_before) == (day.start, day.end)
    o = CareOccurrence.objects.get(plan_item=turn)
    assert o.due_at == datetime.datetime(2025, 3, 11, 1, 0, tzinfo=PARIS)  # the night of Monday, after midnight
    assert night.contains(o.due_at)


def test_generation_is_idempotent(placed, nurse):
    f.plan(nurse, placed, "Aide au repas", time=datetime.time(12, 0))
    f.plan(nurse, placed, "Change", poste=Poste.NUIT)
    assert care_services.occurrences_generate(placed.essms, MONDAY, MONDAY + datetime.timedelta(days=1)) == 4
    assert care_services.occurrences_generate(placed.essms, MONDAY, MONDAY + datetime.timedelta(days=1)) == 0
    assert care_services.occurrences_generate_for_shift(placed.essms, Shift(Poste.JOUR, MONDAY)) == 0
    assert CareOccurrence.objects.count() == 4


def test_dst_night(placed, nurse):
    """The night of 29 March 2025 loses an hour: an item at 03:00 is due at 03:00 summer time."""
    f.plan(nurse, placed, "Change", poste=Poste.NUIT, time=datetime.time(3, 0))
    care_services.occurrences_generate_for_shift(placed.essms, Shift(Poste.NUIT, datetime.date(2025, 3, 29)))
    o = CareOccurrence.objects.get()
    assert o.due_at == datetime.datetime(2025, 3, 30, 1, 0, tzinfo=datetime.UTC)


def test_only_present_persons_on_their_days(essms, unit, nurse, cadre):
    present = f.placed_person(essms, unit, cadre)
    absent = f.placed_person(essms, unit, cadre)
    absent_sejour = absent.sejours.get()
    absent_sejour.absences.create(
        essms=essms, usager=absent, kind="hospitalisation", starts_on=MONDAY, ends_on=MONDAY, created_by=cadre
    )
    gone = f.placed_person(essms, unit, cadre)
    gone.sejours.get().placements.update(ends_on=MONDAY - datetime.timedelta(days=1))
    archived = f.placed_person(essms, unit, cadre)
    for person in (present, absent, gone, archived):
        f.plan(nurse, person)
    f.plan(nurse, present, "Pesée", weekdays="2")  # Tuesdays only
    f.plan(nurse, present, "Douche", starts_on=MONDAY + datetime.timedelta(days=1))
    archived.archived_at = timezone.now()
    archived.save()
    assert care_services.occurrences_generate(essms, MONDAY, MONDAY) == 1
    assert list(CareOccurrence.objects.values_list("usager_id", "label")) == [(present.pk, "Toilette complète")]
    tuesday = MONDAY + datetime.timedelta(days=1)
    care_services.occurrences_generate(essms, tuesday, tuesday)
    assert set(CareOccurrence.objects.filter(due_at__date=tuesday).values_list("usager_id", "label")) == {
        (present.pk, "Toilette complète"),
        (present.pk, "Pesée"),
        (present.pk, "Douche"),
        (absent.pk, "Toilette complète"),
    }


def test_generation_per_unit(essms, unit, nurse, cadre):
    other_unit = UnitFactory(essms=essms, name="Unité Mimosa")
    here = f.placed_person(essms, unit, cadre)
    there = f.placed_person(essms, other_unit, cadre)
    f.plan(nurse, here)
    f.plan(nurse, there)
    assert care_services.occurrences_generate_for_shift(essms, Shift(Poste.JOUR, MONDAY), unit=unit) == 1
    assert CareOccurrence.objects.get().usager == here


def test_generation_period_is_bounded(essms):
    with pytest.raises(ValidationError, match="précède"):
        care_services.occurrences_generate(essms, MONDAY, MONDAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="trop longue"):
        care_services.occurrences_generate(essms, MONDAY, MONDAY + datetime.timedelta(days=40))


def test_task_generates_today_and_tomorrow(placed, nurse, sibling_essms):
    f.plan(nurse, placed)
    f.plan(nurse, placed, "Change", poste=Poste.NUIT)
    assert generate_upcoming_care_occurrences.apply().get() == 4
    assert generate_upcoming_care_occurrences() == 0
    today = timezone.localdate()
    assert CareOccurrence.objects.filter(due_at=Shift(Poste.JOUR, today).start).count() == 1


def test_plan_page_and_api_log_their_reads(client, placed, nurse):
    item = f.plan(nurse, placed)
    client.force_login(nurse)
    assert client.get(f"/soins/personne/{placed.pk}/").status_code == 200
    page = AccessLog.objects.filter(detail="plan de soins", channel=Channel.WEB, user=nurse)
    assert {(row.object_type, row.object_id) for row in page} == {
        ("dui.usager", str(placed.pk)),
        ("soins.careplanitem", str(item.pk)),
    }
    assert client.get("/api/v1/care-plan-items/", {"usager": placed.pk}).status_code == 200
    assert AccessLog.objects.filter(detail="plan de soins", channel=Channel.API, object_id=str(item.pk)).count() == 1
    assert client.get(f"/api/v1/care-plan-items/{item.pk}/").status_code == 200
    assert AccessLog.objects.filter(detail="", channel=Channel.API, object_id=str(item.pk), action="read").exists()
