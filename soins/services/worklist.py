"""Validating the worklist: one occurrence, once, whatever the network did.

A tablet keeps each validation with a client-made idempotency key until the server has it. The
key is unique: a validation sent twice (the answer was lost, the queue replayed) finds its own row
and changes nothing. Another validation of an occurrence already validated is refused with who
did it and when, so two caregivers never both count the same care.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Placement, Unit
from dui.permissions import active_membership, can
from dui.selectors.banner import banner_sections
from dui.services.common import refuse_archived
from dui.shifts import SHIFT_TIMEZONE, Shift, shift_at
from soins.models import CareOccurrence, Evaluation, OccurrenceStatus, ValidationCorrection
from soins.selectors.windows import policy_for, window_of
from soins.selectors.worklist import Worklist, worklist_for_unit
from soins.services.care import occurrences_generate_missing
from soins.services.windows import check_timing

# A validation may be told up to this long after the care (a queue emptied at the end of a shift
# that lost its network), never later; and never in the future beyond clock drift.
MAX_LATE_RECORDING = datetime.timedelta(hours=24)
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)
VALIDATION_STATUSES = (OccurrenceStatus.DONE, OccurrenceStatus.NOT_DONE, OccurrenceStatus.REFUSED)
REFUSED = "Votre métier ne permet pas de valider ce soin."
REFUSED_DOSE = (
    "Votre métier ne permet pas de valider cette prise : elle revient à un(e) infirmier(ère), "
    "sauf si la prescription la marque « aide à la prise »."
)


def worklist_open(actor, unit: Unit, shift: Shift, *, now: datetime.datetime) -> Worklist:
    """What a tablet (or a partner) gets on opening a worklist: the rows still missing generated
    first when there are any, then the shift read, and each person shown recorded in the access log."""
    worklist = worklist_for_unit(actor, unit, shift, now=now)
    present = [person.usager.pk for person in worklist.persons]
    shown = {row.plan_item_id for row in worklist.occurrences}
    if occurrences_generate_missing(unit, shift, usager_ids=present, plan_item_ids=shown, now=now):
        worklist = worklist_for_unit(actor, unit, shift, now=now)
    audit.log_reads(
        actor,
        [person.usager for person in worklist.persons]
        + [section for person in worklist.persons if person.banner for section in banner_sections(person.banner)],
        detail=f"liste de soins {shift.label.lower()} du {shift.date:%d/%m/%Y}",
    )
    return worklist


def parse_key(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({"idempotency_key": "Clé d'idempotence invalide (UUID attendu)."}) from None


def placed_in_unit(usager_id: int, unit_id: int, day: datetime.date) -> bool:
    """Whether the person's placement covering `day` is in this unit."""
    return (
        Placement.objects.filter(
            usager_id=usager_id,
            unit_id=unit_id,
            starts_on__lte=day,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .exists()
    )


def occurrence_day(occurrence: CareOccurrence) -> datetime.date:
    """The date of the shift the occurrence belongs to (a night belongs to the evening it starts)."""
    return shift_at(occurrence.due_at).date


def _check_performed_at(performed_at: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    if performed_at is None:
        return now
    if timezone.is_naive(performed_at):
        performed_at = performed_at.replace(tzinfo=SHIFT_TIMEZONE)
    if performed_at > now + CLOCK_TOLERANCE:
        raise ValidationError({"performed_at": "L'heure de réalisation est dans le futur."})
    if performed_at < now - MAX_LATE_RECORDING:
        raise ValidationError(
            {"performed_at": "Validation trop ancienne (plus de 24 h) : signalez-la au cadre par une transmission."}
        )
    return performed_at


def _check_deferred_at(
    occurrence: CareOccurrence, performed_at: datetime.datetime | None, now: datetime.datetime
) -> datetime.datetime:
    """A saisie différée (a paper record entered afterwards): the real time is required, not in the future,
    at most DEFERRED_ENTRY_MAX_HOURS old, and not before the occurrence's window opened (less the clock
    tolerance); the rest (the shift, the reason outside the window) is check_timing's, as for any validation."""
    if performed_at is None:
        raise ValidationError({"performed_at": "Saisie différée : indiquez l'heure réelle de réalisation."})
    if timezone.is_naive(performed_at):
        performed_at = performed_at.replace(tzinfo=SHIFT_TIMEZONE)
    if performed_at > now + CLOCK_TOLERANCE:
        raise ValidationError({"performed_at": "L'heure de réalisation est dans le futur."})
    hours = settings.DEFERRED_ENTRY_MAX_HOURS
    if performed_at < now - datetime.timedelta(hours=hours):
        raise ValidationError(
            {"performed_at": f"Saisie différée trop ancienne (plus de {hours} h) : signalez-la au cadre par une "
                             "transmission."}
        )  # fmt: skip
    opens = window_of(occurrence, policy_for(occurrence.essms_id)).start
    if performed_at < opens - CLOCK_TOLERANCE:
        local, start = timezone.localtime(performed_at), timezone.localtime(opens)
        raise ValidationError(
            {"performed_at": f"L'heure indiquée ({local:%d/%m à %H:%M}) précède l'ouverture du créneau de ce soin "
                             f"({start:%d/%m à %H:%M}) : vérifiez l'heure notée sur papier."}
        )  # fmt: skip
    return performed_at


def _already_validated_message(occurrence: CareOccurrence) -> str:
    who = occurrence.validated_by.get_full_name() or occurrence.validated_by.username
    moment = timezone.localtime(occurrence.recorded_at or occurrence.performed_at)
    return f"Ce soin a déjà été validé ({occurrence.get_status_display().lower()}) par {who} à {moment:%H h %M}."


@transaction.atomic
def occurrence_validate(
    actor,
    *,
    occurrence_id: int,
    unit: Unit,
    status: str,
    idempotency_key,
    comment: str = "",
    reason: str = "",
    performed_at: datetime.datetime | None = None,
    deferred: bool = False,
) -> tuple[CareOccurrence, bool]:
    """Record done / not done / refused; returns (occurrence, created). A replayed key returns created=False,
    also when the validation it carried was corrected since (the tablet's queue never re-adds it).

    Raises NotFound for an occurrence outside the active ESSMS, PermissionDenied for a métier that may
    not validate (the matrix: a dose is of class administration_medicaments, or aide_prise_medicaments
    when the prescription marks it so), ValidationError (French) for bad input, for another unit's
    person, for an occurrence someone already validated, for a later shift, or outside the ESSMS's
    window without a `reason` (see soins.services.windows).

    `deferred`: a « saisie différée » of a paper record, with its real time `performed_at` (bounds in
    _check_deferred_at); flagged on the occurrence, recorded_at keeps the moment of the entry.
    """
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    key = parse_key(idempotency_key)
    replay = CareOccurrence.objects.filter(idempotency_key=key).first()
    if replay is not None:
        if replay.pk != occurrence_id or replay.essms_id != membership.essms_id:
            raise ValidationError({"idempotency_key": "Cette clé a déjà servi pour un autre soin."})
        return replay, False
    corrected = ValidationCorrection.objects.filter(idempotency_key=key).select_related("occurrence").first()
    if corrected is not None:
        if corrected.occurrence_id != occurrence_id or corrected.essms_id != membership.essms_id:
            raise ValidationError({"idempotency_key": "Cette clé a déjà servi pour un autre soin."})
        return corrected.occurrence, False

    occurrence = (
        CareOccurrence.objects.select_for_update(of=("self",))
        .select_related("usager", "validated_by", "prescription")
        .filter(pk=occurrence_id, essms_id=membership.essms_id)
        .first()
    )
    if occurrence is None or unit.essms_id != membership.essms_id:
        raise NotFound
    if occurrence.idempotency_key == key:  # the same validation, sent twice at once: the first one won
        return occurrence, False
    if not can(actor, WRITE, occurrence):
        raise PermissionDenied(REFUSED_DOSE if occurrence.prescription_id is not None else REFUSED)
    refuse_archived(occurrence.usager)
    if status not in VALIDATION_STATUSES:
        raise ValidationError({"status": "État inconnu : choisissez fait, non fait ou refusé."})
    comment = (comment or "").strip()
    if status != OccurrenceStatus.DONE and not comment:
        raise ValidationError({"comment": "Indiquez le motif (non fait ou refus)."})
    if len(comment) > 300:
        raise ValidationError({"comment": "Commentaire trop long (300 caractères au plus)."})
    if not placed_in_unit(occurrence.usager_id, unit.pk, occurrence_day(occurrence)):
        raise ValidationError("Ce soin concerne une personne d'une autre unité : il n'est pas sur cette liste.")
    if not occurrence.is_pending:
        raise ValidationError(_already_validated_message(occurrence), code="conflict")

    now = timezone.now()
    if deferred:
        occurrence.performed_at = _check_deferred_at(occurrence, performed_at, now)
    else:
        occurrence.performed_at = _check_performed_at(performed_at, now)
    occurrence.timing, occurrence.timing_reason = check_timing(
        occurrence, performed_at=occurrence.performed_at, reason=reason
    )
    occurrence.status = status
    occurrence.comment = comment
    occurrence.validated_by = user_of(actor)
    occurrence.recorded_at = now
    occurrence.idempotency_key = key
    occurrence.deferred_entry = deferred
    occurrence.save(
        update_fields=[
            "status", "comment", "performed_at", "validated_by", "recorded_at", "idempotency_key", "timing",
            "timing_reason", "deferred_entry",
        ]
    )  # fmt: skip
    audit.log_access(
        actor, AccessAction.UPDATE, occurrence, detail=occurrence.deferred_text.lower() if deferred else "validation"
    )
    return occurrence, True


def follow_up_schedule(
    actor, evaluation: Evaluation, *, label: str, within: datetime.timedelta, metier: str = ""
) -> CareOccurrence:
    """A one-off care due `within` after the evaluation (e.g. pain re-evaluation within the hour).

    Called inside the evaluation's own transaction, after its rights were checked.
    """
    due_at = evaluation.evaluated_at + within
    return CareOccurrence.objects.create(
        essms_id=evaluation.essms_id,
        usager_id=evaluation.usager_id,
        evaluation=evaluation,
        label=label[:200],
        metier=metier,
        due_at=due_at,
        due_before=due_at,
        created_by=user_of(actor),
    )
