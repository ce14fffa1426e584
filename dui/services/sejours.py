"""Writes of the séjour itself: pré-admission, admission, re-admission, sortie, abandon.

Changes inside a séjour (unit, room, absences) are in dui.services.placements, the Amendement
Creton in dui.services.creton; they share the rules and helpers of this module.

Each service runs in one transaction, locks the dossier row first (so two concurrent writes on
the same person are serialised), checks `can(actor, "write", ...)`, validates everything
before writing anything, and writes its audit rows. History is never overwritten: a change of
unit closes the current placement and opens a new one; a sortie closes the open rows.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dui import audit, signals
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import (
    AccessAction,
    ExitReason,
    Modality,
    Placement,
    Sejour,
    SejourStatus,
    Unit,
    Usager,
)
from dui.permissions import can
from dui.services.common import refuse_archived

OPEN_STATUSES = (SejourStatus.PRE_ADMISSION, SejourStatus.ACTIVE)


def _fr(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _period(start: datetime.date | None, end: datetime.date | None) -> str:
    if start is None:
        return "sans date"
    return f"du {_fr(start)} au {_fr(end)}" if end else f"depuis le {_fr(start)}"


class _Errors:
    """Collects field errors so that one bad request reports all of them at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str | None, message: str) -> None:
        self.errors.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _lock_usager(usager_id: int) -> Usager:
    """The dossier row, locked until the end of the transaction (no-op on SQLite)."""
    return Usager.objects.select_for_update().select_related("essms").get(pk=usager_id)


def _lock_sejour(sejour_id: int) -> Sejour:
    return Sejour.objects.select_for_update().get(pk=sejour_id)


def _require_write(actor, obj, message: str) -> None:
    if not can(actor, WRITE, obj):
        raise PermissionDenied(message)


def _require_not_archived(usager: Usager) -> None:
    refuse_archived(usager)


def _require_open_dossier(usager: Usager) -> None:
    if usager.anonymised_at is not None:
        raise ValidationError("Ce dossier a été anonymisé : il ne peut plus recevoir de séjour.")
    if usager.merged_into_id is not None:
        raise ValidationError("Ce dossier a été fusionné dans un autre : ouvrez le séjour sur le dossier conservé.")


def _probe(model, usager: Usager):
    """An unsaved row of `model` on this dossier: what `can` decides on before anything exists."""
    return model(essms_id=usager.essms_id, usager_id=usager.pk)


def _unit_errors(errors: _Errors, unit: Unit, essms_id: int) -> None:
    if unit.essms_id != essms_id:
        errors.add("unit", "Cette unité n'appartient pas à l'établissement du séjour.")
    elif not unit.is_active:
        errors.add("unit", f"L'unité « {unit.name} » est fermée.")


def _log(actor, action, obj, detail) -> None:
    audit.log_access(actor, action, obj, detail=detail)


def _archive_if_no_open_sejour(actor, usager: Usager, sejour: Sejour) -> bool:
    others = Sejour.objects.filter(essms_id=usager.essms_id, usager=usager, status__in=OPEN_STATUSES)
    if others.exclude(pk=sejour.pk).exists():
        return False
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at", "updated_at"])
    _log(actor, AccessAction.UPDATE, usager, "dossier archivé (lecture seule) à la fin du séjour")
    return True


# --- Pré-admission, admission, re-admission ---------------------------------------------------


@transaction.atomic
def sejour_open_pre_admission(
    actor,
    *,
    usager: Usager,
    first_contact_on: datetime.date,
) -> Sejour:
    """Start a séjour at the first contact. On an archived dossier this is a re-admission:
    the dossier is un-archived and a new séjour opens, the previous ones are kept as they are."""
    usager = _lock_usager(usager.pk)
    _require_write(actor, _probe(Sejour, usager), "Vous n'avez pas le droit d'ouvrir un séjour sur ce dossier.")
    _require_open_dossier(usager)
    errors = _Errors()
    if first_contact_on > timezone.localdate():
        errors.add("first_contact_on", "La date du premier contact ne peut pas être dans le futur.")
    current = (
        Sejour.objects.filter(essms_id=usager.essms_id, usager=usager, status__in=OPEN_STATUSES)
        .order_by("-first_contact_on")
        .first()
    )
    if current is not None:
        since = _fr(current.admitted_on or current.first_contact_on)
        errors.add(
            None,
            "Cette personne a déjà un séjour ouvert dans l'établissement "
            f"({current.get_status_display().lower()} depuis le {since}).",
        )
    errors.raise_if_any()
    if usager.archived_at is not None:
        usager.archived_at = None
        usager.save(update_fields=["archived_at", "updated_at"])
        _log(actor, AccessAction.UPDATE, usager, "dossier désarchivé : réadmission")
    sejour = Sejour(
        essms_id=usager.essms_id,
        usager=usager,
        status=SejourStatus.PRE_ADMISSION,
        first_contact_on=first_contact_on,
        created_by=user_of(actor),
    )
    sejour.full_clean()
    sejour.save()
    _log(
        actor,
        AccessAction.CREATE,
        sejour,
        f"pré-admission, premier contact le {_fr(first_contact_on)}",
    )
    return sejour


@transaction.atomic
def sejour_admit(
    actor,
    *,
    sejour: Sejour,
    admitted_on: datetime.date,
    contract_signed_on: datetime.date,
    unit: Unit,
    modality: str,
    room: str = "",
) -> Sejour:
    """Pré-admission → séjour en cours at the signature of the contrat de séjour; first placement."""
    usager = _lock_usager(sejour.usager_id)
    sejour = _lock_sejour(sejour.pk)
    _require_write(actor, sejour, "Vous n'avez pas le droit d'admettre cette personne.")
    _require_not_archived(usager)
    if sejour.status != SejourStatus.PRE_ADMISSION:
        raise ValidationError("Seule une pré-admission peut donner lieu à une admission.")
    today = timezone.localdate()
    errors = _Errors()
    if admitted_on > today:
        errors.add("admitted_on", "La date d'admission ne peut pas être dans le futur.")
    if admitted_on < sejour.first_contact_on:
        errors.add(
            "admitted_on",
            f"La date d'admission ne peut pas précéder le premier contact ({_fr(sejour.first_contact_on)}).",
        )
    if contract_signed_on is None:
        errors.add("contract_signed_on", "Indiquez la date de signature du contrat de séjour.")
    elif contract_signed_on > today:
        errors.add("contract_signed_on", "La date de signature du contrat ne peut pas être dans le futur.")
    elif contract_signed_on < sejour.first_contact_on:
        errors.add(
            "contract_signed_on",
            f"Le contrat ne peut pas être signé avant le premier contact ({_fr(sejour.first_contact_on)}).",
        )
    if modality not in Modality.values:
        errors.add("modality", "Choisissez une modalité d'accueil de la liste.")
    _unit_errors(errors, unit, sejour.essms_id)
    overlapping = (
        Sejour.objects.filter(usager_id=sejour.usager_id, admitted_on__isnull=False)
        .exclude(pk=sejour.pk)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=admitted_on))
        .order_by("admitted_on")
        .first()
    )
    if overlapping is not None:
        errors.add(
            "admitted_on",
            "Les séjours ne peuvent pas se chevaucher : cette admission chevauche le séjour "
            f"{_period(overlapping.admitted_on, overlapping.ended_on)}.",
        )
    errors.raise_if_any()
    placement = Placement(
        essms_id=sejour.essms_id,
        sejour=sejour,
        usager_id=sejour.usager_id,
        unit=unit,
        room=room.strip(),
        modality=modality,
        starts_on=admitted_on,
        created_by=user_of(actor),
    )
    placement.full_clean()
    sejour.status = SejourStatus.ACTIVE
    sejour.admitted_on = admitted_on
    sejour.contract_signed_on = contract_signed_on
    sejour.save(update_fields=["status", "admitted_on", "contract_signed_on"])
    placement.save()
    _log(actor, AccessAction.UPDATE, sejour, f"admission le {_fr(admitted_on)}")
    _log(actor, AccessAction.CREATE, placement, f"affectation {unit.name} à l'admission")
    return sejour


@transaction.atomic
def sejour_readmit(
    actor,
    *,
    usager: Usager,
    first_contact_on: datetime.date,
    admitted_on: datetime.date | None = None,
    contract_signed_on: datetime.date | None = None,
    unit: Unit | None = None,
    modality: str = "",
    room: str = "",
) -> Sejour:
    """Re-admission on a (usually archived) dossier: a NEW séjour, the dossier un-archived.

    With `admitted_on`, the new séjour is admitted at once (contract date, unit and modality then
    required); otherwise it stays a pré-admission.
    """
    sejour = sejour_open_pre_admission(actor, usager=usager, first_contact_on=first_contact_on)
    if admitted_on is None:
        return sejour
    if unit is None:
        raise ValidationError({"unit": "Choisissez l'unité d'accueil."})
    return sejour_admit(
        actor,
        sejour=sejour,
        admitted_on=admitted_on,
        contract_signed_on=contract_signed_on,
        unit=unit,
        modality=modality,
        room=room,
    )


# --- Sortie -------------------------------------------------------------------------------------


@transaction.atomic
def sejour_exit(
    actor,
    *,
    sejour: Sejour,
    ended_on: datetime.date,
    exit_reason: str,
    exit_destination: str = "",
) -> Sejour:
    """The sortie: closes the open placement and absence; archives the dossier when no séjour is left open."""
    usager = _lock_usager(sejour.usager_id)
    sejour = _lock_sejour(sejour.pk)
    _require_write(actor, sejour, "Vous n'avez pas le droit d'enregistrer la sortie de cette personne.")
    _require_not_archived(usager)
    if sejour.status == SejourStatus.PRE_ADMISSION:
        raise ValidationError(
            {"ended_on": "La date de sortie ne peut pas précéder l'admission : ce séjour n'a pas encore commencé."}
        )
    if sejour.status != SejourStatus.ACTIVE:
        raise ValidationError("Ce séjour est déjà terminé.")
    errors = _Errors()
    if ended_on < sejour.admitted_on:
        errors.add("ended_on", "La date de sortie ne peut pas précéder l'admission.")
    elif ended_on > timezone.localdate():
        errors.add("ended_on", "La date de sortie ne peut pas être dans le futur.")
    else:
        later_placement = sejour.placements.filter(starts_on__gt=ended_on).order_by("starts_on").first()
        if later_placement is not None:
            errors.add(
                "ended_on",
                f"La date de sortie précède le changement d'affectation du {_fr(later_placement.starts_on)}.",
            )
        later_absence = (
            sejour.absences.filter(Q(starts_on__gt=ended_on) | Q(ends_on__gt=ended_on)).order_by("starts_on").first()
        )
        if later_absence is not None:
            errors.add(
                "ended_on",
                "La date de sortie précède la fin de l'absence "
                f"{_period(later_absence.starts_on, later_absence.ends_on)}.",
            )
    if exit_reason not in ExitReason.values:
        errors.add("exit_reason", "Choisissez le motif de sortie dans la liste.")
    errors.raise_if_any()
    for row in [*sejour.placements.filter(ends_on__isnull=True), *sejour.absences.filter(ends_on__isnull=True)]:
        row.ends_on = ended_on
        row.save(update_fields=["ends_on"])
        _log(actor, AccessAction.UPDATE, row, f"clos à la sortie du {_fr(ended_on)}")
    sejour.status = SejourStatus.CLOSED
    sejour.ended_on = ended_on
    sejour.exit_reason = exit_reason
    sejour.exit_destination = exit_destination.strip()
    sejour.full_clean()
    sejour.save(update_fields=["status", "ended_on", "exit_reason", "exit_destination"])
    _log(
        actor,
        AccessAction.UPDATE,
        sejour,
        f"sortie le {_fr(ended_on)} ({sejour.get_exit_reason_display()})",
    )
    signals.sejour_ended.send(sender=Sejour, sejour=sejour, actor=actor)
    _archive_if_no_open_sejour(actor, usager, sejour)
    return sejour


@transaction.atomic
def sejour_cancel(
    actor,
    *,
    sejour: Sejour,
    ended_on: datetime.date,
    exit_reason: str,
    exit_destination: str = "",
) -> Sejour:
    """A pré-admission that does not lead to an admission: abandoned, kept in the history."""
    usager = _lock_usager(sejour.usager_id)
    sejour = _lock_sejour(sejour.pk)
    _require_write(actor, sejour, "Vous n'avez pas le droit de clore cette pré-admission.")
    _require_not_archived(usager)
    if sejour.status != SejourStatus.PRE_ADMISSION:
        raise ValidationError("Seule une pré-admission peut être abandonnée.")
    errors = _Errors()
    if ended_on < sejour.first_contact_on:
        errors.add("ended_on", f"La date ne peut pas précéder le premier contact ({_fr(sejour.first_contact_on)}).")
    elif ended_on > timezone.localdate():
        errors.add("ended_on", "La date ne peut pas être dans le futur.")
    if exit_reason not in ExitReason.values:
        errors.add("exit_reason", "Choisissez le motif dans la liste.")
    errors.raise_if_any()
    sejour.status = SejourStatus.CANCELLED
    sejour.ended_on = ended_on
    sejour.exit_reason = exit_reason
    sejour.exit_destination = exit_destination.strip()
    sejour.full_clean()
    sejour.save(update_fields=["status", "ended_on", "exit_reason", "exit_destination"])
    _log(actor, AccessAction.UPDATE, sejour, f"pré-admission abandonnée le {_fr(ended_on)}")
    _archive_if_no_open_sejour(actor, usager, sejour)
    return sejour
