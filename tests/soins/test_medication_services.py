"""Medication services: prescribing (médecin only), validation, stop, modification, pharmacist
interventions, administrations generated into the worklist, "si besoin" doses; every bad input refused."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.errors import NotFound
from dui.models import AccessLog, Metier
from soins.models import (
    CareAction,
    CareOccurrence,
    CarePlanItem,
    OccurrenceStatus,
    PharmacistIntervention,
    PrescriptionKind,
    PrescriptionLine,
)
from soins.services import doses as dose_services
from soins.services import medication as medication_services
from soins.services.worklist import occurrence_validate
from tests.factories import UsagerFactory, professional
from tests.soins.factories_medication import (
    as_needed_fields,
    doctor,
    line_fields,
    nurse,
    pharmacist,
    place,
    prescribe,
)

PARIS = ZoneInfo("Europe/Paris")
# A Monday morning in Paris.
MONDAY = datetime.datetime(2025, 3, 10, 6, 0, tzinfo=PARIS)


@pytest.fixture
def medecin(essms):
    return doctor(essms)


def paris(day: datetime.date, hh: int, mm: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hh, mm), tzinfo=PARIS)


def test_a_doctor_prescribes_a_line_waiting_for_validation(medecin, usager):
    line = prescribe(medecin, usager, times=["20:00", "8:00", "08:00"], weekdays="7531")
    assert line.times == ["08:00", "20:00"] and line.weekdays == "1357"
    assert line.validated_at is None and line.created_by == medecin
    assert AccessLog.objects.filter(action="create", object_type="soins.prescriptionline").count() == 1
    assert not CareOccurrence.objects.exists()


def test_the_coordinating_doctor_prescribes_too(essms, usager):
    coordinator = professional(essms, Metier.MEDECIN_COORDONNATEUR)
    assert prescribe(coordinator, usager).pk


@pytest.mark.parametrize("metier", [Metier.IDE, Metier.CADRE_SANTE, Metier.PHARMACIEN, Metier.SECRETAIRE_MEDICALE])
def test_nobody_but_a_doctor_prescribes(essms, usager, metier):
    with pytest.raises(PermissionDenied, match="Seul un médecin peut prescrire"):
        prescribe(professional(essms, metier), usager)
    assert not PrescriptionLine.objects.exists()


def test_the_matrix_still_decides_for_a_doctor(essms, usager, medecin):
    from dui.models import Habilitation

    Habilitation.objects.filter(og=essms.og, metier=Metier.MEDECIN, document_class__code="prescriptions").update(
        can_write=False
    )
    with pytest.raises(PermissionDenied):
        prescribe(medecin, usager)
    assert not PrescriptionLine.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": timezone.localdate() - datetime.timedelta(days=1)}, "ends_on", "La date de fin précède"),
        ({"times": []}, "times", "au moins une heure"),
        ({"times": ["25:00"]}, "times", "Heure invalide « 25:00 »"),
        ({"times": ["8h"]}, "times", "Heure invalide « 8h »"),
        ({"times": "08:00"}, "times", None),  # a string is parsed, not refused
        ({"route": "nasale"}, "route", "Voie d'administration inconnue « nasale »"),
        ({"route": ""}, "route", "Indiquez la voie"),
        ({"drug": "  "}, "drug", "Indiquez le médicament"),
        ({"dose": ""}, "dose", "Indiquez la dose"),
        ({"weekdays": "189"}, "weekdays", "Jours invalides"),
        ({"weekdays": ""}, "weekdays", "Jours invalides"),
        ({"max_per_day": 3}, "max_per_day", "ne s'applique qu'à une ligne « si besoin »"),
        ({"starts_on": timezone.localdate() - datetime.timedelta(days=10)}, "starts_on", "dans le passé"),
        ({"kind": "perfusion"}, "kind", "Nature inconnue"),
    ],
)
def test_bad_scheduled_lines_are_refused(medecin, usager, overrides, field, message):
    if message is None:
        assert prescribe(medecin, usager, **overrides).times == ["08:00"]
        return
    with pytest.raises(ValidationError) as error:
        prescribe(medecin, usager, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert not PrescriptionLine.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"times": ["08:00"]}, "times", "n'a pas d'heures fixes"),
        ({"as_needed_condition": ""}, "as_needed_condition", "Indiquez la condition"),
        ({"max_per_day": None}, "max_per_day", "nombre maximum de prises"),
        ({"max_per_day": 0}, "max_per_day", "nombre maximum de prises"),
    ],
)
def test_bad_as_needed_lines_are_refused(medecin, usager, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        medication_services.prescription_create(medecin, usager, **as_needed_fields(**overrides))
    assert message in " ".join(error.value.message_dict[field])
    assert not PrescriptionLine.objects.exists()


def test_a_restraint_line_needs_an_end_and_no_route(medecin, usager):
    restraint = {"kind": PrescriptionKind.CONTENTION, "drug": "Barrières de lit", "route": "", "dose": ""}
    with pytest.raises(ValidationError, match="durée limitée"):
        prescribe(medecin, usager, **restraint, times=[])
    with pytest.raises(ValidationError, match="pas de voie"):
        prescribe(medecin, usager, **restraint | {"route": "orale"}, ends_on=timezone.localdate())
    with pytest.raises(ValidationError, match="ne se prescrit pas « si besoin »"):
        medication_services.prescription_create(
            medecin, usager, **as_needed_fields(**restraint, ends_on=timezone.localdate())
        )
    line = prescribe(medecin, usager, **restraint, times=[], ends_on=timezone.localdate() + datetime.timedelta(days=3))
    assert line.kind == "contention" and line.times == []
    assert PrescriptionLine.objects.count() == 1


def test_an_archived_dossier_takes_no_prescription(medecin, usager):
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    with pytest.raises(ValidationError, match="archivé"):
        prescribe(medecin, usager)
    assert not PrescriptionLine.objects.exists()


def test_validation_by_a_doctor_generates_the_next_48_hours(medecin, usager):
    with time_machine.travel(MONDAY, tick=False):
        line = prescribe(medecin, usager, validate=True, times=["08:00", "20:00"], weekdays="12")
        rows = list(CareOccurrence.objects.filter(prescription=line).order_by("due_at"))
    # Monday 08:00, Monday 20:00, Tuesday 08:00, Tuesday 20:00 (Wednesday is not prescribed).
    assert [timezone.localtime(r.due_at, PARIS).strftime("%a %H:%M") for r in rows] == [
        "Mon 08:00",
        "Mon 20:00",
        "Tue 08:00",
        "Tue 20:00",
    ]
    first = rows[0]
    assert (
        first.label == "Paracétamol 1 g — voie orale [hors référentiel : non vérifiable]" and first.metier == Metier.IDE
    )
    assert first.due_before - first.due_at == datetime.timedelta(hours=1)
    assert first.status == OccurrenceStatus.PENDING and first.document_class_code == "administration_medicaments"
    assert line.validated_by == medecin


def test_generation_is_idempotent_and_respects_dates_and_dst(medecin, usager, essms):
    start_day = datetime.date(2025, 3, 29)  # Paris moves to summer time on Sunday 30 March
    with time_machine.travel(datetime.datetime(2025, 3, 29, 0, 30, tzinfo=PARIS), tick=False):
        line = prescribe(
            medecin,
            usager,
            times=["02:30", "09:00"],
            starts_on=start_day,
            ends_on=start_day + datetime.timedelta(days=2),
        )
        line = medication_services.prescription_validate(medecin, line)
        start = paris(start_day, 0)
        end = paris(start_day + datetime.timedelta(days=5), 0)
        created = dose_services.administrations_generate(essms, start, end)
        again = dose_services.administrations_generate(essms, start, end)
    rows = CareOccurrence.objects.filter(prescription=line)
    assert again == 0
    assert rows.count() == 6 and created == 6 - 4  # 4 were made on validation (48 h)
    # Nothing after the end date; the 09:00 of the DST day is 07:00 UTC.
    assert max(timezone.localtime(r.due_at, PARIS).date() for r in rows) == start_day + datetime.timedelta(days=2)
    dst_day = rows.get(due_at=datetime.datetime(2025, 3, 30, 7, 0, tzinfo=datetime.UTC))
    assert timezone.localtime(dst_day.due_at, PARIS).hour == 9


def test_unvalidated_stopped_and_as_needed_lines_generate_nothing(medecin, usager, essms):
    prescribe(medecin, usager)
    stopped = prescribe(medecin, usager, validate=True, drug="Aspirine")
    medication_services.prescription_stop(medecin, stopped, reason="Fin du traitement")
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, prn)
    now = timezone.now()
    assert dose_services.administrations_generate(essms, now, now + datetime.timedelta(days=3)) == 0
    assert not CareOccurrence.objects.exclude(prescription=stopped).exists()


def test_validating_twice_or_by_a_non_doctor_is_refused(medecin, essms, usager):
    line = prescribe(medecin, usager)
    for metier in (Metier.IDE, Metier.PHARMACIEN, Metier.CADRE_SANTE):
        with pytest.raises(PermissionDenied, match="Seul un médecin peut valider"):
            medication_services.prescription_validate(professional(essms, metier), line)
    line.refresh_from_db()
    assert line.validated_at is None and not CareOccurrence.objects.exists()
    medication_services.prescription_validate(medecin, line)
    count = CareOccurrence.objects.count()
    with pytest.raises(ValidationError, match="déjà validée"):
        medication_services.prescription_validate(doctor(essms), line)
    assert CareOccurrence.objects.count() == count


def test_another_essms_line_is_out_of_reach(medecin, sibling_essms, essms):
    other_usager = UsagerFactory(essms=sibling_essms)
    other_line = prescribe(doctor(sibling_essms), other_usager)
    with pytest.raises(PermissionDenied):
        medication_services.prescription_validate(medecin, other_line)
    with pytest.raises(PermissionDenied):
        medication_services.prescription_stop(medecin, other_line, reason="x")
    other_line.refresh_from_db()
    assert other_line.validated_at is None and other_line.stopped_at is None


def test_stop_removes_only_pending_future_doses(medecin, usager, unit, essms):
    place(usager, unit, medecin)
    ide = nurse(essms)
    with time_machine.travel(MONDAY, tick=False):
        line = prescribe(medecin, usager, validate=True, times=["06:30", "08:00", "20:00"])
    given = CareOccurrence.objects.get(prescription=line, due_at=paris(MONDAY.date(), 6, 30))
    past_pending = CareOccurrence.objects.get(prescription=line, due_at=paris(MONDAY.date(), 8))
    with time_machine.travel(paris(MONDAY.date(), 7, 0), tick=False):
        occurrence_validate(ide, occurrence_id=given.pk, unit=unit, status="done", idempotency_key=uuid.uuid4())
    with time_machine.travel(paris(MONDAY.date(), 9, 0), tick=False):
        with pytest.raises(ValidationError, match="motif"):
            medication_services.prescription_stop(medecin, line, reason=" ")
        medication_services.prescription_stop(medecin, line, reason="Douleur résolue")
        with pytest.raises(ValidationError, match="déjà arrêtée"):
            medication_services.prescription_stop(medecin, line, reason="Encore")
        with pytest.raises(ValidationError, match="arrêtée"):
            medication_services.prescription_validate(medecin, line)
    remaining = set(CareOccurrence.objects.filter(prescription=line).values_list("pk", flat=True))
    assert remaining == {given.pk, past_pending.pk}  # the validated dose and the overdue one stay
    line.refresh_from_db()
    assert line.stopped_by == medecin and line.stop_reason == "Douleur résolue"


def test_stop_by_a_non_doctor_is_refused(medecin, essms, usager):
    line = prescribe(medecin, usager, validate=True)
    with pytest.raises(PermissionDenied):
        medication_services.prescription_stop(nurse(essms), line, reason="Refus")
    line.refresh_from_db()
    assert line.stopped_at is None


def test_stopping_a_restraint_ends_the_care_scheduled_under_it(medecin, usager, essms):
    line = prescribe(
        medecin, usager, validate=True, kind="contention", drug="Barrières de lit", route="", dose="", times=["21:00"],
        ends_on=timezone.localdate() + datetime.timedelta(days=5),
    )  # fmt: skip
    action = CareAction.objects.create(essms=essms, label="Barrières de lit", category="contention")
    item = CarePlanItem.objects.create(
        essms=essms, usager=usager, action=action, metier=Metier.IDE, poste="nuit", starts_on=timezone.localdate(),
        prescription=line, created_by=medecin,
    )  # fmt: skip
    soon = timezone.now() + datetime.timedelta(hours=3)
    future = CareOccurrence.objects.create(
        essms=essms, usager=usager, plan_item=item, label="Barrières", due_at=soon,
        due_before=soon + datetime.timedelta(hours=1), created_by=medecin,
    )  # fmt: skip
    medication_services.prescription_stop(medecin, line, reason="Plus nécessaire")
    item.refresh_from_db()
    assert item.ended_at is not None and item.ends_on == timezone.localdate()
    assert not CareOccurrence.objects.filter(pk=future.pk).exists()


def test_modification_stops_and_writes_a_new_line(medecin, usager):
    line = prescribe(medecin, usager, validate=True)
    new_line = medication_services.prescription_modify(
        medecin, line, reason="Dose adaptée", **line_fields(dose="500 mg", times=["08:00", "12:00", "20:00"])
    )
    line.refresh_from_db()
    assert line.stopped_at is not None and line.stop_reason == "Dose adaptée"
    assert new_line.pk != line.pk and new_line.dose == "500 mg" and new_line.validated_at is None
    # A bad new content stops nothing.
    with pytest.raises(ValidationError, match="25:00"):
        medication_services.prescription_modify(medecin, new_line, reason="x", **line_fields(times=["25:00"]))
    new_line.refresh_from_db()
    assert new_line.stopped_at is None and PrescriptionLine.objects.count() == 2


def test_pharmacist_comment_and_substitution_are_traced(medecin, essms, usager):
    line = prescribe(medecin, usager, validate=True)
    pharma = pharmacist(essms)
    comment = medication_services.intervention_create(pharma, line, kind="commentaire", text="Écraser possible.")
    substitution = medication_services.intervention_create(
        pharma, line, kind="substitution", substitute="Doliprane 1 g"
    )
    line.refresh_from_db()
    assert line.dispensed_as == "Doliprane 1 g" and line.display_drug == "Paracétamol (délivré : Doliprane 1 g)"
    assert (
        substitution.created_by == pharma
        and substitution.created_at
        and substitution.text == "Délivré sous Doliprane 1 g."
    )
    assert comment.kind == "commentaire"
    pending = CareOccurrence.objects.filter(prescription=line, status="pending")
    assert pending.exists() and all("délivré sous Doliprane 1 g" in row.label for row in pending)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "substitution", "substitute": ""}, "Indiquez la spécialité"),
        ({"kind": "commentaire", "text": ""}, "Écrivez le commentaire"),
        ({"kind": "commentaire", "text": "x", "substitute": "Autre"}, "qu'avec une substitution"),
        ({"kind": "avis"}, "Nature inconnue"),
    ],
)
def test_bad_interventions_are_refused(medecin, essms, usager, kwargs, message):
    line = prescribe(medecin, usager)
    with pytest.raises(ValidationError, match=message):
        medication_services.intervention_create(pharmacist(essms), line, **kwargs)
    assert not PharmacistIntervention.objects.exists()


@pytest.mark.parametrize("metier", [Metier.MEDECIN, Metier.IDE])
def test_substitution_by_a_non_pharmacist_is_refused(medecin, essms, usager, metier):
    line = prescribe(medecin, usager)
    with pytest.raises(PermissionDenied, match="Seul un pharmacien"):
        medication_services.intervention_create(
            professional(essms, metier), line, kind="substitution", substitute="Doliprane"
        )
    line.refresh_from_db()
    assert line.dispensed_as == "" and not PharmacistIntervention.objects.exists()


def test_generated_doses_are_validated_through_the_worklist(medecin, essms, usager, unit):
    place(usager, unit, medecin)
    with time_machine.travel(MONDAY, tick=False):
        line = prescribe(medecin, usager, validate=True, times=["08:00", "12:00", "20:00"])
    rows = list(CareOccurrence.objects.filter(prescription=line).order_by("due_at")[:3])
    aide = professional(essms, Metier.AIDE_SOIGNANT)
    ide = nurse(essms)
    with time_machine.travel(paris(MONDAY.date(), 21), tick=False):
        with pytest.raises(ValidationError, match="motif de l'écart"):
            occurrence_validate(ide, occurrence_id=rows[0].pk, unit=unit, status="done", idempotency_key=uuid.uuid4())
        occurrence_validate(
            ide, occurrence_id=rows[0].pk, unit=unit, status="done", reason="Oubli", idempotency_key=uuid.uuid4()
        )
        with pytest.raises(PermissionDenied, match="infirmier"):  # not marked "aide à la prise"
            occurrence_validate(
                aide, occurrence_id=rows[1].pk, unit=unit, status="refused", comment="Refuse",
                idempotency_key=uuid.uuid4(),
            )  # fmt: skip
        with pytest.raises(ValidationError, match="motif"):
            occurrence_validate(
                ide, occurrence_id=rows[2].pk, unit=unit, status="not_done", idempotency_key=uuid.uuid4()
            )
        occurrence_validate(
            ide, occurrence_id=rows[2].pk, unit=unit, status="not_done", comment="À jeun (bilan)",
            idempotency_key=uuid.uuid4(),
        )  # fmt: skip
    found = list(CareOccurrence.objects.filter(pk__in=[r.pk for r in rows]).order_by("due_at"))
    assert [r.status for r in found] == ["done", "pending", "not_done"]
    assert [r.timing for r in found] == ["late", "", "on_time"] and found[0].timing_reason == "Oubli"


def test_as_needed_dose_is_recorded_once_and_capped_per_day(medecin, essms, usager):
    line = medication_services.prescription_create(medecin, usager, **as_needed_fields(max_per_day=2))
    ide = nurse(essms)
    key = uuid.uuid4()
    with pytest.raises(ValidationError, match="pas encore validée"):
        dose_services.as_needed_record(ide, line, idempotency_key=key)
    medication_services.prescription_validate(medecin, line)
    first, created = dose_services.as_needed_record(ide, line, idempotency_key=key, comment="Agitée")
    assert created and first.status == "done" and first.validated_by == ide and first.recorded_at
    assert first.label == "Oxazépam 10 mg — voie orale [hors référentiel : non vérifiable] (si besoin)"
    replay, created = dose_services.as_needed_record(ide, line, idempotency_key=key)
    assert replay.pk == first.pk and not created
    dose_services.as_needed_record(
        ide, line, idempotency_key=uuid.uuid4(), status="refused", comment="Refuse le comprimé"
    )
    dose_services.as_needed_record(ide, line, idempotency_key=uuid.uuid4())
    with pytest.raises(ValidationError, match="Maximum atteint : 2 prise"):
        dose_services.as_needed_record(ide, line, idempotency_key=uuid.uuid4())
    assert CareOccurrence.objects.filter(prescription=line).count() == 3  # 2 given, 1 refused


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "refused"}, "motif du refus"),
        ({"status": "pending"}, "État inconnu"),
        ({"performed_at": timezone.now() + datetime.timedelta(hours=2)}, "dans le futur"),
        ({"performed_at": timezone.now() - datetime.timedelta(days=2)}, "trop ancienne"),
        ({"idempotency_key": "pas-une-clé"}, "UUID attendu"),
    ],
)
def test_bad_as_needed_records_are_refused(medecin, essms, usager, kwargs, message):
    line = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, line)
    kwargs = {"idempotency_key": uuid.uuid4()} | kwargs
    with pytest.raises(ValidationError, match=message):
        dose_services.as_needed_record(nurse(essms), line, **kwargs)
    assert not CareOccurrence.objects.exists()


def test_as_needed_refused_for_other_metiers_and_scheduled_lines(medecin, essms, usager):
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, prn)
    with pytest.raises(PermissionDenied, match="infirmier"):
        dose_services.as_needed_record(professional(essms, Metier.AIDE_SOIGNANT), prn, idempotency_key=uuid.uuid4())
    scheduled = prescribe(medecin, usager, validate=True)
    count = CareOccurrence.objects.count()
    with pytest.raises(ValidationError, match="n'est pas « si besoin »"):
        dose_services.as_needed_record(nurse(essms), scheduled, idempotency_key=uuid.uuid4())
    assert CareOccurrence.objects.count() == count


def test_no_membership_is_404(medecin, usager):
    line = prescribe(medecin, usager)
    medecin.membership = None
    with pytest.raises(NotFound):
        medication_services.prescription_validate(medecin, line)


def test_daily_task_generates_the_doses_of_validated_lines_once(medecin, usager):
    from soins.tasks import generate_medication_administrations

    line = prescribe(medecin, usager, validate=True, times=["08:00", "20:00"])
    CareOccurrence.objects.filter(prescription=line).delete()  # as if validated before the last run
    created = generate_medication_administrations.apply().get()
    assert created == CareOccurrence.objects.filter(prescription=line).count() >= 3
    assert generate_medication_administrations.apply().get() == 0


def test_generated_doses_are_logged_once_per_line_by_the_scheduler(medecin, usager):
    from soins.tasks import generate_medication_administrations

    line = prescribe(medecin, usager, validate=True, times=["08:00", "20:00"])
    other = prescribe(medecin, usager, validate=True, drug="Furosémide", dose="40 mg", times=["09:00"])
    CareOccurrence.objects.filter(prescription=line).delete()  # as if validated before the last run
    created = generate_medication_administrations.apply().get()
    rows = AccessLog.objects.filter(action="create", channel="task", object_type="soins.prescriptionline")
    assert [(row.object_id, row.user_id, row.usager_id) for row in rows] == [(str(line.pk), None, usager.pk)]
    assert rows.get().detail == f"{created} prise(s) générée(s) dans la liste de soins"
    assert not AccessLog.objects.filter(action="create", object_id=str(other.pk), channel="task").exists()
    generate_medication_administrations.apply().get()
    assert rows.count() == 1  # nothing new, nothing logged
