"""Writes of the medication area: prescription lines, their validation and stop, pharmacist
interventions, and the administrations (worklist rows) they produce.

Prescribing and validating are reserved acts: the matrix decides them twice, on the line's
class and on the act's class (prescription_medicale, intervention_pharmaceutique,
prise_si_besoin in dui.catalogue), whose defaults give them to the médecins, the pharmacist and
the nurses and doctors; an OG may edit them like every class.
A line is never edited: a modification stops it and writes a new one, so the history stays.
Only validated, unstopped lines produce administrations; stopping a line removes its pending
future administrations that nobody validated (validated ones are never touched).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import VALIDATE, WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Drug, Essms, Metier, Usager
from dui.permissions import active_membership, can
from dui.services.common import refuse_archived
from dui.shifts import SHIFT_TIMEZONE
from soins.models import (
    CareOccurrence,
    CarePlanItem,
    InterventionKind,
    OccurrenceStatus,
    PharmacistIntervention,
    PrescriptionKind,
    PrescriptionLine,
    Route,
)
from soins.services import drug_checks
from soins.services.worklist import CLOCK_TOLERANCE, MAX_LATE_RECORDING, parse_key

# The reserved acts (dui.catalogue): prescribe, modify, stop (write) and validate a line.
PRESCRIPTION_ACT = "prescription_medicale"
PHARMACY_ACT = "intervention_pharmaceutique"
# Who gives a "si besoin" dose on their own judgement (by default: nurses and doctors).
AS_NEEDED_ACT = "prise_si_besoin"
# The métier a generated dose is assigned to in the worklist (not a right).
ADMINISTRATION_METIER = Metier.IDE
ADMINISTRATION_WINDOW = datetime.timedelta(hours=1)  # late after due_at + 1 h
GENERATION_HORIZON = datetime.timedelta(hours=48)
MAX_TIMES_PER_DAY = 24
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
ALL_WEEKDAYS = "1234567"

NOT_A_PRESCRIBER = "Seul un médecin peut prescrire : votre métier ne le permet pas."
NOT_A_VALIDATOR = "Seul un médecin peut valider une ligne de prescription."
NOT_A_PHARMACIST = "Seul un pharmacien peut commenter ou substituer une ligne de prescription."
NOT_AN_AS_NEEDED_GIVER = "Seul un(e) infirmier(ère) ou un médecin peut enregistrer une prise « si besoin »."
NOT_A_STOPPER = "Seul un médecin peut arrêter une ligne de prescription."
STOPPED = "Cette ligne est arrêtée : elle ne peut plus être modifiée."


# --- Checks shared by the services


def _membership(actor):
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    return membership


def may_act(actor, action: str, obj, act: str) -> bool:
    """The matrix, twice: `action` on the object's class and on the reserved act's class."""
    return active_membership(actor) is not None and can(actor, action, act) and can(actor, action, obj)


def _check_act(actor, action: str, obj, act: str, message: str) -> None:
    _membership(actor)
    if not may_act(actor, action, obj, act):
        raise PermissionDenied(message)


def _locked(line: PrescriptionLine) -> PrescriptionLine:
    """The line re-read under a row lock: two validations or stops never both pass."""
    return PrescriptionLine.objects.select_for_update().select_related("usager").get(pk=line.pk)


def _who(user) -> str:
    return user.get_full_name() or user.username


def _clean_text(value, field: str, max_length: int, label: str, *, required_message: str = "") -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ValidationError({field: required_message})
    if len(value) > max_length:
        raise ValidationError({field: f"{label} : {max_length} caractères au plus."})
    return value


def parse_times(values) -> list[str]:
    """ "HH:MM" strings, sorted and without duplicates; a string may list them separated by commas or spaces."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [part for part in re.split(r"[\s,;]+", values) if part]
    if not isinstance(values, list | tuple):
        raise ValidationError({"times": "Heures d'administration invalides : une liste d'heures HH:MM est attendue."})
    times = set()
    for value in values:
        text = str(value).strip()
        if len(text) == 4 and text[1] == ":":  # 8:00 → 08:00
            text = f"0{text}"
        if not TIME_PATTERN.match(text):
            raise ValidationError(
                {"times": f"Heure invalide « {str(value)[:10]} » : format HH:MM attendu (00:00 à 23:59)."}
            )
        times.add(text)
    if len(times) > MAX_TIMES_PER_DAY:
        raise ValidationError({"times": f"{MAX_TIMES_PER_DAY} heures d'administration par jour au plus."})
    return sorted(times)


def parse_weekdays(value) -> str:
    text = "".join(sorted(set(str(value or "").strip())))
    if not text or any(char not in ALL_WEEKDAYS for char in text):
        raise ValidationError({"weekdays": "Jours invalides : chiffres de 1 (lundi) à 7 (dimanche), au moins un jour."})
    return text


def _check_line_fields(line: PrescriptionLine) -> None:
    """Every rule of a line's content; raises one French ValidationError per bad field."""
    is_contention = line.kind == PrescriptionKind.CONTENTION
    if line.kind not in PrescriptionKind.values:
        raise ValidationError({"kind": "Nature inconnue : médicament ou contention."})
    line.drug = _clean_text(
        line.drug,
        "drug",
        200,
        "Médicament",
        required_message="Indiquez le type de contention." if is_contention else "Indiquez le médicament.",
    )
    line.dose = _clean_text(
        line.dose, "dose", 100, "Dose", required_message="" if is_contention else "Indiquez la dose (ex. : 1 g)."
    )
    line.instructions = _clean_text(line.instructions, "instructions", 300, "Consignes")
    line.as_needed_condition = _clean_text(line.as_needed_condition, "as_needed_condition", 200, "Condition")
    line.route = (line.route or "").strip()
    if is_contention:
        if line.route:
            raise ValidationError({"route": "Une contention n'a pas de voie d'administration."})
        if line.as_needed:
            raise ValidationError(
                {"as_needed": "Une contention ne se prescrit pas « si besoin » : indiquez ses dates et ses heures."}
            )
    elif not line.route:
        raise ValidationError({"route": "Indiquez la voie d'administration."})
    elif line.route not in Route.values:
        raise ValidationError({"route": f"Voie d'administration inconnue « {line.route[:30]} »."})
    line.times = parse_times(line.times)
    line.weekdays = parse_weekdays(line.weekdays)
    if line.as_needed:
        if line.times:
            raise ValidationError({"times": "Une ligne « si besoin » n'a pas d'heures fixes : retirez les heures."})
        if not line.as_needed_condition:
            raise ValidationError(
                {"as_needed_condition": "Indiquez la condition du « si besoin » (ex. : douleur > 3)."}
            )
        if line.max_per_day is None or not 1 <= line.max_per_day <= MAX_TIMES_PER_DAY:
            raise ValidationError(
                {"max_per_day": f"Indiquez le nombre maximum de prises par jour (1 à {MAX_TIMES_PER_DAY})."}
            )
    else:
        if line.as_needed_condition:
            raise ValidationError({"as_needed_condition": "Une condition ne s'applique qu'à une ligne « si besoin »."})
        if line.max_per_day is not None:
            raise ValidationError({"max_per_day": "Un maximum par jour ne s'applique qu'à une ligne « si besoin »."})
        if not is_contention and not line.times:
            raise ValidationError({"times": "Indiquez au moins une heure d'administration (HH:MM)."})
    if line.starts_on is None:
        raise ValidationError({"starts_on": "Indiquez la date de début."})
    if line.ends_on is not None and line.ends_on < line.starts_on:
        raise ValidationError({"ends_on": "La date de fin précède la date de début."})
    if is_contention and line.ends_on is None:
        raise ValidationError(
            {"ends_on": "Une contention est prescrite pour une durée limitée : indiquez la date de fin."}
        )
    if line.starts_on < timezone.localdate() - datetime.timedelta(days=1):
        raise ValidationError({"starts_on": "Une prescription ne peut pas commencer dans le passé (hier au plus tôt)."})


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
    _check_act(actor, WRITE, line, PRESCRIPTION_ACT, NOT_A_PRESCRIBER)
    refuse_archived(usager)
    _resolve_drug(line)
    _check_line_fields(line)
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
    _check_act(actor, VALIDATE, line, PRESCRIPTION_ACT, NOT_A_VALIDATOR)
    line = _locked(line)
    refuse_archived(line.usager)
    if line.stopped_at is not None:
        raise ValidationError("Cette ligne est arrêtée : elle ne peut plus être validée.")
    if line.validated_at is not None:
        moment = timezone.localtime(line.validated_at)
        raise ValidationError(
            f"Cette ligne est déjà validée (par {_who(line.validated_by)} le {moment:%d/%m/%Y à %H:%M}).",
            code="conflict",
        )
    drug_checks.refuse_unacknowledged_allergy(line)
    line.validated_by = user_of(actor)
    line.validated_at = timezone.now()
    line.save(update_fields=["validated_by", "validated_at"])
    audit.log_access(actor, AccessAction.UPDATE, line, detail="validation")
    if _schedule_line(line):
        now = timezone.now()
        _generate([line], now, now + GENERATION_HORIZON)
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
    _check_act(actor, WRITE, line, PRESCRIPTION_ACT, NOT_A_STOPPER)
    reason = _clean_text(reason, "stop_reason", 200, "Motif", required_message="Indiquez le motif de l'arrêt.")
    line = _locked(line)
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
    _check_act(actor, WRITE, new_line, PRESCRIPTION_ACT, NOT_A_PRESCRIBER)
    _resolve_drug(new_line)
    _check_line_fields(new_line)  # the new content first: a bad one stops nothing
    prescription_stop(actor, line, reason=reason)
    return prescription_create(actor, line.usager, **fields)


# --- Pharmacist interventions


@transaction.atomic
def intervention_create(
    actor, line: PrescriptionLine, *, kind: str, text: str = "", substitute: str = ""
) -> PharmacistIntervention:
    """A pharmacist's comment, or a substitution (the line is then dispensed under another name)."""
    _check_act(actor, WRITE, line, PHARMACY_ACT, NOT_A_PHARMACIST)
    if kind not in InterventionKind.values:
        raise ValidationError({"kind": "Nature inconnue : commentaire ou substitution."})
    line = _locked(line)
    refuse_archived(line.usager)
    if line.stopped_at is not None:
        raise ValidationError(STOPPED)
    substitute = _clean_text(substitute, "substitute", 200, "Spécialité substituée")
    if kind == InterventionKind.SUBSTITUTION:
        if line.kind != PrescriptionKind.MEDICAMENT:
            raise ValidationError({"substitute": "Une contention ne se substitue pas."})
        if not substitute:
            raise ValidationError({"substitute": "Indiquez la spécialité délivrée à la place."})
        if substitute == line.drug or substitute == line.dispensed_as:
            raise ValidationError({"substitute": "Cette spécialité est déjà celle délivrée."})
        text = _clean_text(text, "text", 2000, "Commentaire") or f"Délivré sous {substitute}."
    else:
        if substitute:
            raise ValidationError({"substitute": "Une spécialité substituée ne s'indique qu'avec une substitution."})
        text = _clean_text(text, "text", 2000, "Commentaire", required_message="Écrivez le commentaire.")
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


# --- Administrations


def pending_dose_labels_refresh(usager) -> int:
    """An allergy recorded or ended after the doses were generated: the doses still to give show the
    allergy marker as it is now (dui.providers allergy listener). Returns how many labels changed."""
    pending = CareOccurrence.objects.filter(
        usager_id=usager.pk, prescription__isnull=False, status=OccurrenceStatus.PENDING
    ).select_related("prescription")
    occurrences = list(pending)
    lines = {occurrence.prescription_id: occurrence.prescription for occurrence in occurrences}
    markers = drug_checks.allergy_markers(lines.values())
    changed = []
    for occurrence in occurrences:
        label = administration_label(occurrence.prescription, markers.get(occurrence.prescription_id, ""))
        if occurrence.prescription.as_needed:
            label = f"{label} (si besoin)"[:200]
        if occurrence.label != label:
            occurrence.label = label
            changed.append(occurrence)
    CareOccurrence.objects.bulk_update(changed, ["label"])
    return len(changed)


UNVERIFIABLE = "hors référentiel : non vérifiable"


def administration_label(line: PrescriptionLine, allergy: str | None = None) -> str:
    """The dose's label in the worklist; `allergy` is the marker of a matching allergy (see allergy_markers)."""
    route = line.get_route_display() if line.route else ""
    route = route[:1].lower() + route[1:]
    label = " ".join(part for part in (line.drug, line.dose) if part)
    if line.dispensed_as:
        label = f"{label} (délivré sous {line.dispensed_as})"
    label = f"{label} — {route}" if route else label
    if allergy is None:
        allergy = drug_checks.allergy_markers([line]).get(line.pk, "")
    # The markers stay visible even when a long name is cut.
    suffix = (f" [{UNVERIFIABLE}]" if line.unverifiable else "") + (f" [{allergy}]" if allergy else "")
    return label[: 200 - len(suffix)] + suffix


def _instant(day: datetime.date, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    wall = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHIFT_TIMEZONE)
    return wall.astimezone(datetime.UTC)


def doses_of(line: PrescriptionLine, start: datetime.datetime, end: datetime.datetime) -> list[datetime.datetime]:
    """The instants in [start, end) at which the line's schedule calls for a dose."""
    first = max(timezone.localtime(start, SHIFT_TIMEZONE).date(), line.starts_on)
    last = timezone.localtime(end, SHIFT_TIMEZONE).date()
    if line.ends_on is not None:
        last = min(last, line.ends_on)
    found = []
    day = first
    while day <= last:
        if str(day.isoweekday()) in line.weekdays:
            found.extend(moment for hhmm in line.times if start <= (moment := _instant(day, hhmm)) < end)
        day += datetime.timedelta(days=1)
    return found


def _generate(lines, start: datetime.datetime, end: datetime.datetime) -> int:
    """Insert the missing administrations of these lines in [start, end); returns how many were new."""
    rows = []
    markers = drug_checks.allergy_markers(lines)
    for line in lines:
        label = administration_label(line, markers.get(line.pk, ""))
        for due_at in doses_of(line, start, end):
            rows.append(
                CareOccurrence(
                    essms_id=line.essms_id,
                    usager_id=line.usager_id,
                    prescription=line,
                    label=label,
                    metier=ADMINISTRATION_METIER,
                    due_at=due_at,
                    due_before=due_at + ADMINISTRATION_WINDOW,
                    created_by_id=line.validated_by_id,
                )
            )
    if not rows:
        return 0
    existing = Q(prescription_id__in={row.prescription_id for row in rows}, due_at__gte=start, due_at__lt=end)
    before = CareOccurrence.objects.filter(existing).count()
    CareOccurrence.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return CareOccurrence.objects.filter(existing).count() - before


def scheduled_lines_in(essms: Essms, start: datetime.datetime, end: datetime.datetime):
    """Validated, unstopped, scheduled medication lines of open dossiers that may fall in [start, end)."""
    return PrescriptionLine.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localtime(start, SHIFT_TIMEZONE).date()),
        essms=essms,
        kind=PrescriptionKind.MEDICAMENT,
        as_needed=False,
        validated_at__isnull=False,
        stopped_at__isnull=True,
        usager__archived_at__isnull=True,
        starts_on__lte=timezone.localtime(end, SHIFT_TIMEZONE).date(),
    )


@transaction.atomic
def administrations_generate(essms: Essms, start: datetime.datetime, end: datetime.datetime) -> int:
    """Create the administrations due in [start, end) for the ESSMS; idempotent (one row per line and time)."""
    if end <= start:
        raise ValidationError("La fin de la période précède son début.")
    return _generate(list(scheduled_lines_in(essms, start, end)), start, end)


def _check_given_at(performed_at: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    if performed_at is None:
        return now
    if timezone.is_naive(performed_at):
        performed_at = performed_at.replace(tzinfo=SHIFT_TIMEZONE)
    if performed_at > now + CLOCK_TOLERANCE:
        raise ValidationError({"performed_at": "L'heure de la prise est dans le futur."})
    if performed_at < now - MAX_LATE_RECORDING:
        raise ValidationError(
            {"performed_at": "Prise trop ancienne (plus de 24 h) : signalez-la par une transmission."}
        )
    return performed_at


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=SHIFT_TIMEZONE).astimezone(datetime.UTC)
    end_day = day + datetime.timedelta(days=1)
    end = datetime.datetime.combine(end_day, datetime.time.min, tzinfo=SHIFT_TIMEZONE).astimezone(datetime.UTC)
    return start, end


@transaction.atomic
def as_needed_record(
    actor,
    line: PrescriptionLine,
    *,
    idempotency_key,
    status: str = OccurrenceStatus.DONE,
    comment: str = "",
    performed_at: datetime.datetime | None = None,
) -> tuple[CareOccurrence, bool]:
    """Record a "si besoin" dose given (or refused) now: an administration already validated.

    Returns (administration, created); the same key sent again returns the first record unchanged.
    The line's maximum per day counts the doses given on that Paris calendar day.
    """
    membership = _membership(actor)
    key = parse_key(idempotency_key)
    replay = CareOccurrence.objects.filter(idempotency_key=key).first()
    if replay is not None:
        if replay.prescription_id != line.pk or replay.essms_id != membership.essms_id:
            raise ValidationError({"idempotency_key": "Cette clé a déjà servi pour une autre prise."})
        return replay, False
    probe = CareOccurrence(essms_id=line.essms_id, usager_id=line.usager_id, prescription=line)
    _check_act(actor, WRITE, probe, AS_NEEDED_ACT, NOT_AN_AS_NEEDED_GIVER)
    line = _locked(line)
    refuse_archived(line.usager)
    if not line.as_needed or line.kind != PrescriptionKind.MEDICAMENT:
        raise ValidationError("Cette ligne n'est pas « si besoin » : ses prises sont dans la liste de soins.")
    if line.stopped_at is not None:
        raise ValidationError("Cette ligne est arrêtée : aucune prise ne peut plus être enregistrée.")
    if line.validated_at is None:
        raise ValidationError("Cette ligne n'est pas encore validée par un médecin.")
    if status not in (OccurrenceStatus.DONE, OccurrenceStatus.REFUSED):
        raise ValidationError({"status": "État inconnu : donné ou refusé."})
    comment = _clean_text(comment, "comment", 300, "Commentaire")
    if status == OccurrenceStatus.REFUSED and not comment:
        raise ValidationError({"comment": "Indiquez le motif du refus."})
    now = timezone.now()
    given_at = _check_given_at(performed_at, now)
    day = timezone.localtime(given_at, SHIFT_TIMEZONE).date()
    if day < line.starts_on or (line.ends_on is not None and day > line.ends_on):
        raise ValidationError({"performed_at": "La prescription ne couvre pas ce jour."})
    day_start, day_end = local_day_bounds(day)
    given = CareOccurrence.objects.filter(
        prescription=line, status=OccurrenceStatus.DONE, due_at__gte=day_start, due_at__lt=day_end
    ).count()
    if status == OccurrenceStatus.DONE and given >= line.max_per_day:
        raise ValidationError(
            f"Maximum atteint : {line.max_per_day} prise(s) par jour pour cette ligne, déjà {given} ce jour-là.",
            code="max_per_day",
        )
    if CareOccurrence.objects.filter(prescription=line, due_at=given_at).exists():
        raise ValidationError({"performed_at": "Une prise de cette ligne est déjà enregistrée à cette heure."})
    occurrence = CareOccurrence.objects.create(
        essms_id=line.essms_id,
        usager_id=line.usager_id,
        prescription=line,
        label=f"{administration_label(line)} (si besoin)"[:200],
        metier=membership.metier,
        due_at=given_at,
        due_before=given_at,
        status=status,
        comment=comment,
        performed_at=given_at,
        validated_by=user_of(actor),
        recorded_at=now,
        idempotency_key=key,
        created_by=user_of(actor),
    )
    audit.log_access(actor, AccessAction.CREATE, occurrence, detail="prise si besoin")
    return occurrence, True
