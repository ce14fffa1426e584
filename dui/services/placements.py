"""Writes inside a séjour in progress: dated changes of unit, room or modality, and absences.

Same rules as every séjour write (dui.services.sejours): one transaction, the dossier row locked
first, the matrix checked, every field checked before writing, an audit row per row written.
History is never overwritten: a change of unit closes the current placement and opens a new one.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from dui.actor import user_of
from dui.models import Absence, AbsenceKind, AccessAction, Modality, Placement, Sejour, SejourStatus, Unit
from dui.services.sejours import (
    _Errors,
    _fr,
    _lock_sejour,
    _lock_usager,
    _log,
    _period,
    _probe,
    _require_not_archived,
    _require_write,
    _unit_errors,
)

# --- Placements ---------------------------------------------------------------------------------


@transaction.atomic
def placement_change(
    actor,
    *,
    sejour: Sejour,
    starts_on: datetime.date,
    unit: Unit | None = None,
    modality: str | None = None,
    room: str | None = None,
) -> Placement:
    """A dated change of unit, room or modality: the current placement ends the day before
    `starts_on`, a new one opens; unchanged fields (None) are carried over."""
    usager = _lock_usager(sejour.usager_id)
    sejour = _lock_sejour(sejour.pk)
    _require_write(actor, sejour, "Vous n'avez pas le droit de modifier l'affectation de cette personne.")
    _require_not_archived(usager)
    if sejour.status != SejourStatus.ACTIVE:
        raise ValidationError("Un changement d'unité, de chambre ou de modalité se saisit pendant un séjour en cours.")
    current = sejour.placements.select_for_update().filter(ends_on__isnull=True).order_by("-starts_on").first()
    if current is None:
        raise ValidationError("Ce séjour n'a pas d'affectation en cours.")
    new_unit = unit if unit is not None else current.unit
    new_modality = modality if modality is not None else current.modality
    new_room = room.strip() if room is not None else current.room
    errors = _Errors()
    if starts_on <= current.starts_on:
        errors.add(
            "starts_on",
            f"Le changement doit prendre effet après le début de l'affectation actuelle ({_fr(current.starts_on)}).",
        )
    if new_modality not in Modality.values:
        errors.add("modality", "Choisissez une modalité d'accueil de la liste.")
    if unit is not None:
        _unit_errors(errors, unit, sejour.essms_id)
    if (new_unit.pk, new_modality, new_room) == (current.unit_id, current.modality, current.room):
        errors.add(
            None, "Aucun changement : indiquez une nouvelle unité, une nouvelle chambre ou une nouvelle modalité."
        )
    errors.raise_if_any()
    placement = Placement(
        essms_id=sejour.essms_id,
        sejour=sejour,
        usager_id=sejour.usager_id,
        unit=new_unit,
        room=new_room,
        modality=new_modality,
        starts_on=starts_on,
        created_by=user_of(actor),
    )
    placement.full_clean()
    current.ends_on = starts_on - datetime.timedelta(days=1)
    current.save(update_fields=["ends_on"])
    placement.save()
    _log(actor, AccessAction.UPDATE, current, f"fin d'affectation le {_fr(current.ends_on)}")
    _log(actor, AccessAction.CREATE, placement, f"nouvelle affectation le {_fr(starts_on)}")
    return placement


# --- Absences -----------------------------------------------------------------------------------


def _absence_errors(errors: _Errors, sejour: Sejour, starts_on, ends_on, exclude_pk=None) -> None:
    if ends_on is not None and ends_on < starts_on:
        errors.add("ends_on", "La date de retour ne peut pas précéder le début de l'absence.")
        return
    if starts_on < sejour.admitted_on:
        errors.add("starts_on", f"Une absence ne peut pas commencer avant l'admission ({_fr(sejour.admitted_on)}).")
    if sejour.ended_on is not None:
        if starts_on > sejour.ended_on:
            errors.add("starts_on", f"Une absence ne peut pas commencer après la sortie ({_fr(sejour.ended_on)}).")
        elif ends_on is None or ends_on > sejour.ended_on:
            errors.add("ends_on", f"Cette absence doit se terminer au plus tard à la sortie ({_fr(sejour.ended_on)}).")
    others = sejour.absences.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        others = others.filter(starts_on__lte=ends_on)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.order_by("starts_on").first()
    if other is not None:
        errors.add(
            "starts_on",
            f"Cette absence chevauche l'absence « {other.get_kind_display()} » "
            f"{_period(other.starts_on, other.ends_on)}.",
        )


@transaction.atomic
def absence_record(
    actor,
    *,
    sejour: Sejour,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    comment: str = "",
) -> Absence:
    """An absence (hospitalisation, holidays, other) inside the séjour; open-ended until the return."""
    usager = _lock_usager(sejour.usager_id)
    sejour = _lock_sejour(sejour.pk)
    _require_write(actor, _probe(Absence, usager), "Vous n'avez pas le droit de saisir une absence.")
    _require_not_archived(usager)
    if sejour.status not in (SejourStatus.ACTIVE, SejourStatus.CLOSED) or sejour.admitted_on is None:
        raise ValidationError("Une absence ne peut être saisie qu'après l'admission.")
    errors = _Errors()
    if kind not in AbsenceKind.values:
        errors.add("kind", "Choisissez un type d'absence de la liste.")
    _absence_errors(errors, sejour, starts_on, ends_on)
    errors.raise_if_any()
    absence = Absence(
        essms_id=sejour.essms_id,
        sejour=sejour,
        usager_id=sejour.usager_id,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        comment=comment.strip(),
        created_by=user_of(actor),
    )
    absence.full_clean()
    absence.save()
    _log(actor, AccessAction.CREATE, absence, f"absence {_period(starts_on, ends_on)}")
    return absence


@transaction.atomic
def absence_end(
    actor,
    *,
    absence: Absence,
    ends_on: datetime.date,
) -> Absence:
    """The return of an open absence (last day of absence)."""
    usager = _lock_usager(absence.usager_id)
    absence = Absence.objects.select_for_update().select_related("sejour").get(pk=absence.pk)
    _require_write(actor, absence, "Vous n'avez pas le droit de modifier cette absence.")
    _require_not_archived(usager)
    if absence.ends_on is not None:
        raise ValidationError(f"Cette absence est déjà terminée (retour le {_fr(absence.ends_on)}).")
    errors = _Errors()
    _absence_errors(errors, absence.sejour, absence.starts_on, ends_on, exclude_pk=absence.pk)
    if "starts_on" in errors.errors:  # about the absence itself: report it on the only field of this form
        errors.errors.setdefault("ends_on", []).extend(errors.errors.pop("starts_on"))
    errors.raise_if_any()
    absence.ends_on = ends_on
    absence.save(update_fields=["ends_on"])
    _log(actor, AccessAction.UPDATE, absence, f"fin d'absence le {_fr(ends_on)}")
    return absence
