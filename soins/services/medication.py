"""Writes of the prescription lines: prescribe, validate, stop, modify, and the pharmacist's
interventions.

Prescribing and validating are reserved acts: the matrix decides them twice, on the line's
class and on the act's class (prescription_medicale, intervention_pharmaceutique in
dui.catalogue), whose defaults give them to the médecins and the pharmacist; an OG may edit them
like every class (soins.services.prescription_rules).
A line is never edited: a modification stops it and writes a new one, so the history stays.
Only validated, unstopped lines produce administrations (soins.services.doses); stopping a line
removes its pending future administrations that nobody validated (validated ones are never touched).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import VALIDATE, WRITE
from dui.models import AccessAction, Drug, Usager
from dui.services.common import refuse_archived
from soins.models import (
    CareOccurrence,
    CarePlanItem,
    InterventionKind,
    OccurrenceStatus,
    PharmacistIntervention,
    PrescriptionKind,
    PrescriptionLine,
)
from soins.services import drug_checks
from soins.services.doses import GENERATION_HORIZON, UNVERIFIABLE, administration_label, doses_generate
from soins.services.prescription_rules import (
    AS_NEEDED_ACT,
    NOT_A_PHARMACIST,
    NOT_A_PRESCRIBER,
    NOT_A_STOPPER,
    NOT_A_VALIDATOR,
    PHARMACY_ACT,
    PRESCRIPTION_ACT,
    STOPPED,
    check_act,
    check_line_fields,
    clean_text,
    locked_line,
    who,
)

__all__ = [  # the acts and messages the pages, API and tests read here too
    "AS_NEEDED_ACT",
    "LINE_FIELDS",
    "NOT_A_PRESCRIBER",
    "PHARMACY_ACT",
    "PRESCRIPTION_ACT",
    "UNVERIFIABLE",
    "intervention_create",
    "prescription_create",
    "prescription_modify",
    "prescription_stop",
    "prescription_validate",
]  # fmt: skip

# --- Prescription lines


# What a prescriber writes on a line (the rest is validation, stop and pharmacy history).
LINE_FIELDS = (
    "kind", "drug", "dose", "route", "times", "weekdays", "as_needed", "as_needed_condition", "max_per_day",
    "starts_on", "ends_on", "instructions", "aide_a_la_prise", "drug_ref", "units_per_dose", "allergy_override_reason",
)  # fmt: skip
UNKNOWN_DRUG = "Médicament inconnu du référentiel : choisissez-le dans la liste, ou écrivez-le en texte libre."


def _resolve_drug(line: PrescriptionLine) -> None:
    """The referential speciality (instance or id) behind the line; its name becomes the line's drug."""
    value = line.__dict__.pop("_drug_ref_input", None)
    if value in (None, ""):
        line.drug_ref = None
    elif isinstance(value, Drug):
        line.drug_ref = value
    else:
        try:
            line.drug_ref = Drug.objects.get(pk=int(value))
        except (TypeError, ValueError, Drug.DoesNotExist) as error:
            raise ValidationError({"drug_ref": UNKNOWN_DRUG}) from error
    if line.drug_ref is None:
        return
    if line.kind != PrescriptionKind.MEDICAMENT:
        raise ValidationError({"drug_ref": "Une contention ne se choisit pas dans le référentiel des médicaments."})
    line.drug = line.drug_ref.name[:200]
    if line.units_per_dose is None:
        raise ValidationError({"units_per_dose": "Indiquez le nombre d'unités par prise (ex. : 1 comprimé)."})
    try:
        line.units_per_dose = Decimal(str(line.units_per_dose))
    except InvalidOperation as error:
        raise ValidationError({"units_per_dose": "Nombre d'unités par prise invalide."}) from error
    if not Decimal("0") < line.units_per_dose <= Decimal("100"):
        raise ValidationError({"units_per_dose": "Le nombre d'unités par prise doit être entre 0 et 100."})
    if not (line.dose or "").strip():
        line.dose = f"{line.units_per_dose.normalize():f} unité(s)"


def _new_line(actor, usager: Usager, fields: dict) -> PrescriptionLine:
    line = PrescriptionLine(essms_id=usager.essms_id, usager=usager, created_by=user_of(actor))
    for name in LINE_FIELDS:
        if name == "drug_ref":
            line.__dict__["_drug_ref_input"] = fields.get(name)
        elif name in fields:
            setattr(line, name, fields[name])
    line.kind = line.kind or PrescriptionKind.MEDICAMENT
    line.as_needed = bool(line.as_needed)
    line.aide_a_la_prise = bool(line.aide_a_la_prise)
    return line


@transaction.atomic
def prescription_create(actor, usager: Usager, **fields) -> PrescriptionLine:
    """A new line, written by a médecin, waiting for validation.

    Fields: kind, drug, dose, route, times (list of "HH:MM"), weekdays ("1234567"), as_needed,
    as_needed_condition, max_per_day, starts_on, ends_on, instructions, drug_ref (referential
    speciality or its id; without it the line is "hors référentiel : non vérifiable"),
    units_per_dose (required with drug_ref), allergy_override_reason (a médecin's written reason
    to prescribe despite a matching allergy), aide_a_la_prise (the dose may be given by an AS or AES,
    CASF L.313-26: the matrix class aide_prise_medicaments).
    """
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    line = _new_line(actor, usager, fields)
    check_act(actor, WRITE, line, PRESCRIPTION_ACT, NOT_A_PRESCRIBER)
    refuse_archived(usager)
    _resolve_drug(line)
    check_line_fields(line)
    matches = drug_checks.check_allergies(actor, line, fields.get("allergy_override_reason"))
    drug_checks.check_daily_maximum(line)
    line.save()
    audit.log_access(actor, AccessAction.CREATE, line, detail="ligne de prescription")
    if matches:
        audit.log_access(
            actor,
            AccessAction.UPDATE,
            line,
            detail=f"prescrit malgré l'allergie ({', '.join(m.allergy.substance for m in matches)}) : "
            f"{line.allergy_override_reason}"[:250],
        )
    return line


def _schedule_line(line: PrescriptionLine) -> bool:
    """Does the line produce administrations in the worklist?"""
    return line.kind == PrescriptionKind.MEDICAMENT and not line.as_needed


@transaction.atomic
def prescription_validate(actor, line: PrescriptionLine) -> PrescriptionLine:
    """The médecin's validation; the line's doses of the next 48 hours enter the worklist at once."""
    check_act(actor, VALIDATE, line, PRESCRIPTION_ACT, NOT_A_VALIDATOR)
    line = locked_line(line)
    refuse_archived(line.usager)
    if line.stopped_at is not None:
        raise ValidationError("Cette ligne est arrêtée : elle ne peut plus être validée.")
    if line.validated_at is not None:
        moment = timezone.localtime(line.validated_at)
        raise ValidationError(
            f"Cette ligne est déjà validée (par {who(line.validated_by)} le {moment:%d/%m/%Y à %H:%M}).",
            code="conflict",
        )
    drug_checks.refuse_unacknowledged_allergy(line)
    line.validated_by = user_of(actor)
    line.validated_at = timezone.now()
    line.save(update_fields=["validated_by", "validated_at"])
    audit.log_access(actor, AccessAction.UPDATE, line, detail="validation")
    if _schedule_line(line):
        now = timezone.now()
        doses_generate([line], now, now + GENERATION_HORIZON)
    return line


def _remove_pending_future(queryset, now) -> int:
    """Delete the pending, never validated rows still to come; validated ones stay as history."""
    deleted, _ = queryset.filter(
        status=OccurrenceStatus.PENDING, idempotency_key__isnull=True, validated_by__isnull=True, due_at__gt=now
    ).delete()
    return deleted


def _end_plan_items(actor, line: PrescriptionLine, now: datetime.datetime) -> int:
    """The care scheduled under a stopped line (a restraint) ends today; its pending future rows go."""
    today = timezone.localdate()
    items = list(CarePlanItem.objects.filter(prescription=line, ended_at__isnull=True))
    for item in items:
        ends_on = today if item.starts_on <= today else item.starts_on - datetime.timedelta(days=1)
        item.ends_on = min(ends_on, item.ends_on) if item.ends_on else ends_on
        item.ended_at = now
        item.ended_by = user_of(actor)
        item.save(update_fields=["ends_on", "ended_at", "ended_by"])
    return _remove_pending_future(CareOccurrence.objects.filter(plan_item__in=items), now) if items else 0


@transaction.atomic
def prescription_stop(actor, line: PrescriptionLine, *, reason: str) -> PrescriptionLine:
    """Stop a line (médecin, with a reason): its pending future administrations leave the worklist.

    A stopped restraint also ends the plan items scheduled under it.
    """
    check_act(actor, WRITE, line, PRESCRIPTION_ACT, NOT_A_STOPPER)
    reason = clean_text(reason, "stop_reason", 200, "Motif", required_message="Indiquez le motif de l'arrêt.")
    line = locked_line(line)
    refuse_archived(line.usager)
    if line.stopped_at is not None:
        moment = timezone.localtime(line.stopped_at)
        raise ValidationError(f"Cette ligne est déjà arrêtée (le {moment:%d/%m/%Y à %H:%M}).", code="conflict")
    now = timezone.now()
    line.stopped_by = user_of(actor)
    line.stopped_at = now
    line.stop_reason = reason
    line.save(update_fields=["stopped_by", "stopped_at", "stop_reason"])
    removed = _remove_pending_future(CareOccurrence.objects.filter(prescription=line), now)
    removed += _end_plan_items(actor, line, now)
    audit.log_access(actor, AccessAction.UPDATE, line, detail=f"arrêt ({removed} prise(s) retirée(s))")
    return line


@transaction.atomic
def prescription_modify(actor, line: PrescriptionLine, *, reason: str, **fields) -> PrescriptionLine:
    """A modification: the line is stopped and a new one written (to validate), history kept."""
    new_line = _new_line(actor, line.usager, fields)
    check_act(actor, WRITE, new_line, PRESCRIPTION_ACT, NOT_A_PRESCRIBER)
    _resolve_drug(new_line)
    check_line_fields(new_line)  # the new content first: a bad one stops nothing
    prescription_stop(actor, line, reason=reason)
    return prescription_create(actor, line.usager, **fields)


# --- Pharmacist interventions


@transaction.atomic
def intervention_create(
    actor, line: PrescriptionLine, *, kind: str, text: str = "", substitute: str = ""
) -> PharmacistIntervention:
    """A pharmacist's comment, or a substitution (the line is then dispensed under another name)."""
    check_act(actor, WRITE, line, PHARMACY_ACT, NOT_A_PHARMACIST)
    if kind not in InterventionKind.values:
        raise ValidationError({"kind": "Nature inconnue : commentaire ou substitution."})
    line = locked_line(line)
    refuse_archived(line.usager)
    if line.stopped_at is not None:
        raise ValidationError(STOPPED)
    substitute = clean_text(substitute, "substitute", 200, "Spécialité substituée")
    if kind == InterventionKind.SUBSTITUTION:
        if line.kind != PrescriptionKind.MEDICAMENT:
            raise ValidationError({"substitute": "Une contention ne se substitue pas."})
        if not substitute:
            raise ValidationError({"substitute": "Indiquez la spécialité délivrée à la place."})
        if substitute == line.drug or substitute == line.dispensed_as:
            raise ValidationError({"substitute": "Cette spécialité est déjà celle délivrée."})
        text = clean_text(text, "text", 2000, "Commentaire") or f"Délivré sous {substitute}."
    else:
        if substitute:
            raise ValidationError({"substitute": "Une spécialité substituée ne s'indique qu'avec une substitution."})
        text = clean_text(text, "text", 2000, "Commentaire", required_message="Écrivez le commentaire.")
    intervention = PharmacistIntervention.objects.create(
        essms_id=line.essms_id, line=line, kind=kind, text=text, substitute=substitute, created_by=user_of(actor)
    )
    if kind == InterventionKind.SUBSTITUTION:
        line.dispensed_as = substitute
        line.save(update_fields=["dispensed_as"])
        # The doses still to give say what is in the pill box now.
        CareOccurrence.objects.filter(prescription=line, status=OccurrenceStatus.PENDING).update(
            label=administration_label(line)
        )
    audit.log_access(actor, AccessAction.UPDATE, line, detail=f"intervention pharmaceutique ({kind})")
    return intervention
