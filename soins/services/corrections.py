"""Undoing a mistaken validation ("Annuler / corriger"): within its shift, by its author or by whom
the matrix lets validate the class (the IDE, the cadre), with a reason.

The cancelled validation is copied into ValidationCorrection, never overwritten, and the occurrence
is open again for the right one. Its idempotency key moves with the copy: a tablet that replays it
gets the replay answer, never a second count.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import VALIDATE, WRITE
from dui.errors import NotFound
from dui.models import AccessAction
from dui.permissions import active_membership, can
from dui.services.common import refuse_archived
from dui.shifts import SHIFT_TIMEZONE, shift_at
from soins.models import CareOccurrence, OccurrenceStatus, ValidationCorrection, ValidationPolicy
from soins.selectors.worklist import occurrences_for_user

NOT_YOURS = "Seul l'auteur de cette validation ou un(e) infirmier(ère) peut l'annuler."
SHIFT_OVER = (
    "Le poste de cette validation est terminé ({end}) : elle ne peut plus être annulée. "
    "Signalez l'erreur au cadre par une transmission."
)


def correction_deadline(occurrence: CareOccurrence):
    """The end of the shift during which the validation was recorded."""
    return shift_at(occurrence.recorded_at).end


def may_correct(user, occurrence, *, now=None) -> bool:
    """Whether "Annuler / corriger" is offered: validated, its shift still running, and the author
    (still allowed to validate it) or a validator of its class. `occurrence` may be a worklist row."""
    if occurrence.status == OccurrenceStatus.PENDING or occurrence.recorded_at is None:
        return False
    if (now or timezone.now()) >= correction_deadline(occurrence):
        return False
    if can(user, VALIDATE, occurrence):
        return True
    return occurrence.validated_by_id == user_of(user).pk and can(user, WRITE, occurrence)


@transaction.atomic
def validation_cancel(actor, *, occurrence_id: int, reason: str) -> ValidationCorrection:
    """Cancel the occurrence's validation (kept in the history) and open it again; one transaction."""
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    occurrence = (
        occurrences_for_user(actor.user)
        .select_for_update(of=("self",))
        .select_related("usager", "prescription", "validated_by")
        .filter(pk=occurrence_id)
        .first()
    )
    if occurrence is None:
        raise NotFound
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if occurrence.is_pending:
        raise ValidationError("Ce soin n'est pas validé : il n'y a rien à annuler.")
    if occurrence.prescription_id is not None and occurrence.prescription.as_needed:
        raise ValidationError(
            "Une prise « si besoin » enregistrée ne s'annule pas : signalez l'erreur par une transmission ciblée."
        )
    now = timezone.now()
    if now >= correction_deadline(occurrence):
        end = correction_deadline(occurrence).astimezone(SHIFT_TIMEZONE)
        raise PermissionDenied(SHIFT_OVER.format(end=f"{end:%d/%m à %H h %M}"))
    if not may_correct(actor, occurrence, now=now):
        raise PermissionDenied(NOT_YOURS)
    refuse_archived(occurrence.usager)
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de l'annulation."})
    if len(reason) > 300:
        raise ValidationError({"reason": "Motif trop long (300 caractères au plus)."})
    key = occurrence.idempotency_key
    kept = {
        name: getattr(occurrence, name)
        for name in (
            "status", "comment", "performed_at", "validated_by", "recorded_at", "timing", "timing_reason",
            "deferred_entry",
        )
    }  # fmt: skip
    occurrence.status = OccurrenceStatus.PENDING
    occurrence.comment = occurrence.timing = occurrence.timing_reason = ""
    occurrence.performed_at = occurrence.validated_by = occurrence.recorded_at = occurrence.idempotency_key = None
    occurrence.deferred_entry = False
    occurrence.save(
        update_fields=[
            "status", "comment", "performed_at", "validated_by", "recorded_at", "idempotency_key", "timing",
            "timing_reason", "deferred_entry",
        ]
    )  # fmt: skip
    correction = ValidationCorrection.objects.create(
        essms_id=occurrence.essms_id,
        occurrence=occurrence,
        idempotency_key=key,
        corrected_by=actor.user,
        corrected_at=now,
        reason=reason,
        **kept,
    )
    audit.log_access(actor, AccessAction.UPDATE, occurrence, detail="annulation d'une validation")
    return correction


# --- The ESSMS's windows ------------------------------------------------------------------------

POLICY_REFUSED = "Seuls l'encadrement et les soignants habilités à valider le plan de soins règlent les créneaux."


def _minutes(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@transaction.atomic
def validation_policy_update(actor, *, medication_window_minutes, care_window_minutes=None) -> ValidationPolicy:
    """Set the active ESSMS's windows: doses ± 15–240 min; care at a set time ± 15–360 min, or none (the shift)."""
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    if not can(actor, VALIDATE, "plan_soins"):
        raise PermissionDenied(POLICY_REFUSED)
    errors = {}
    medication = _minutes(medication_window_minutes, 15, 240)
    if medication is None:
        errors["medication_window_minutes"] = "Le créneau des médicaments doit être compris entre 15 et 240 minutes."
    care = None
    if care_window_minutes not in (None, ""):
        care = _minutes(care_window_minutes, 15, 360)
        if care is None:
            errors["care_window_minutes"] = "Le créneau des soins doit être compris entre 15 et 360 minutes (ou vide)."
    if errors:
        raise ValidationError(errors)
    policy, _ = ValidationPolicy.objects.select_for_update().get_or_create(essms_id=membership.essms_id)
    policy.medication_window_minutes, policy.care_window_minutes = medication, care
    policy.save(update_fields=["medication_window_minutes", "care_window_minutes"])
    audit.log_access(actor, AccessAction.UPDATE, policy, detail="créneaux de validation")
    return policy
