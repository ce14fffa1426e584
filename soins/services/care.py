"""Plan de soins: the ESSMS's catalogue of care actions, each person's schedule, and the occurrences.

Every write takes the acting user, checks the decision function and validates in French; one
transaction each. Occurrences (the worklist rows) are generated ahead from the plan items of the
persons present (placed, not absent) — idempotently: the unique (plan_item, due_at) lets the same
shift be generated any number of times without a double.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import VALIDATE, WRITE
from dui.errors import NotFound
from dui.models import Absence, AccessAction, Essms, Metier, Placement, Unit, Usager
from dui.permissions import active_membership, can
from dui.services.common import refuse_archived
from dui.shifts import DAY_SHIFT_STARTS, NIGHT_SHIFT_STARTS, SHIFT_TIMEZONE, Poste, Shift
from soins.models import (
    CareAction,
    CareCategory,
    CareOccurrence,
    CarePlanItem,
    OccurrenceStatus,
    PrescriptionKind,
    PrescriptionLine,
)

TIMED_WINDOW = datetime.timedelta(hours=1)
# Opening a worklist generates its shift's occurrences when that shift is near (just over, running, coming).
GENERATE_PAST = datetime.timedelta(hours=24)
GENERATE_AHEAD = datetime.timedelta(days=7)
MAX_GENERATION_DAYS = 31
CATALOGUE_REFUSED = "Seuls les cadres et soignants habilités à valider le plan de soins gèrent le catalogue."
PLAN_REFUSED = "Votre métier ne permet pas de planifier ce soin."

# The catalogue an ESSMS starts with: (label, category, usual métier, on prescription only).
DEFAULT_CATALOGUE: tuple[tuple[str, str, str, bool], ...] = (
    ("Toilette complète", CareCategory.HYGIENE, Metier.AIDE_SOIGNANT, False),
    ("Aide à la toilette", CareCategory.HYGIENE, Metier.AIDE_SOIGNANT, False),
    ("Douche", CareCategory.HYGIENE, Metier.AIDE_SOIGNANT, False),
    ("Aide au repas", CareCategory.REPAS, Metier.AIDE_SOIGNANT, False),
    ("Hydratation (proposer à boire)", CareCategory.REPAS, Metier.AIDE_SOIGNANT, False),
    ("Distribution des médicaments", CareCategory.MEDICAMENTS, Metier.IDE, False),
    ("Change", CareCategory.ELIMINATION, Metier.AIDE_SOIGNANT, False),
    ("Accompagnement aux toilettes", CareCategory.ELIMINATION, Metier.AIDE_SOIGNANT, False),
    ("Lever et installation au fauteuil", CareCategory.MOBILITE, Metier.AIDE_SOIGNANT, False),
    ("Coucher", CareCategory.MOBILITE, Metier.AIDE_SOIGNANT, False),
    ("Pesée", CareCategory.SURVEILLANCE, Metier.AIDE_SOIGNANT, False),
    ("Prise des constantes", CareCategory.SURVEILLANCE, Metier.IDE, False),
    ("Glycémie capillaire", CareCategory.SURVEILLANCE, Metier.IDE, False),
    ("Prévention d'escarres (changement de position)", CareCategory.PREVENTION, Metier.AIDE_SOIGNANT, False),
    ("Surveillance cutanée", CareCategory.PREVENTION, Metier.AIDE_SOIGNANT, False),
    ("Pansement", CareCategory.PREVENTION, Metier.IDE, True),
    ("Entretien du fauteuil roulant", CareCategory.MATERIEL, Metier.AIDE_SOIGNANT, False),
    ("Nettoyage des aides techniques (lunettes, appareils auditifs)", CareCategory.MATERIEL, Metier.ASH, False),
    ("Contention au fauteuil", CareCategory.CONTENTION, Metier.IDE, True),
    ("Barrières de lit", CareCategory.CONTENTION, Metier.IDE, True),
)


def _membership_or_404(actor):
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    return membership


# --- Catalogue ----------------------------------------------------------------------------------


def catalogue_ensure_default(essms: Essms, *, created_by=None) -> int:
    """On first use, give the ESSMS the default catalogue; returns the number of actions created."""
    if CareAction.objects.filter(essms=essms).exists():
        return 0
    rows = [
        CareAction(
            essms=essms, label=label, category=category, default_metier=metier, requires_prescription=on_prescription
        )
        for label, category, metier, on_prescription in DEFAULT_CATALOGUE
    ]
    CareAction.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def may_manage_catalogue(user) -> bool:
    return can(user, VALIDATE, "plan_soins")


def may_plan(user, usager: Usager) -> bool:
    """Whether the user may schedule (non-restraint) care for this person of the active ESSMS."""
    membership = active_membership(user)
    return membership is not None and usager.essms_id == membership.essms_id and can(user, WRITE, "plan_soins")


@transaction.atomic
def care_action_create(
    actor, *, label: str, category: str, default_metier: str = "", requires_prescription: bool = False
) -> CareAction:
    membership = _membership_or_404(actor)
    if not may_manage_catalogue(actor):
        raise PermissionDenied(CATALOGUE_REFUSED)
    label = " ".join((label or "").split())
    errors = {}
    if not label:
        errors["label"] = "Indiquez le libellé du soin."
    elif len(label) > 120:
        errors["label"] = "Libellé trop long (120 caractères au plus)."
    elif CareAction.objects.filter(essms_id=membership.essms_id, label__iexact=label).exists():
        errors["label"] = f"« {label} » existe déjà dans le catalogue."
    if category not in CareCategory.values:
        errors["category"] = "Catégorie inconnue."
    if default_metier and default_metier not in Metier.values:
        errors["default_metier"] = "Métier inconnu."
    if errors:
        raise ValidationError(errors)
    if category == CareCategory.CONTENTION:
        requires_prescription = True  # a restraint is always prescribed
    action = CareAction.objects.create(
        essms_id=membership.essms_id,
        label=label,
        category=category,
        default_metier=default_metier,
        requires_prescription=bool(requires_prescription),
    )
    audit.log_access(actor, AccessAction.CREATE, action, detail=label)
    return action


@transaction.atomic
def care_action_set_active(actor, action: CareAction, *, active: bool) -> CareAction:
    """Deactivate (no longer offered for new plan items; existing items keep running) or reactivate."""
    membership = _membership_or_404(actor)
    if action.essms_id != membership.essms_id:
        raise NotFound
    if not may_manage_catalogue(actor):
        raise PermissionDenied(CATALOGUE_REFUSED)
    if action.is_active != active:
        action.is_active = active
        action.save(update_fields=["is_active"])
        audit.log_access(
            actor, AccessAction.UPDATE, action, detail="remis au catalogue" if active else "retiré du catalogue"
        )
    return action


# --- Plan items ---------------------------------------------------------------------------------


def is_restraint(action: CareAction) -> bool:
    return action.category == CareCategory.CONTENTION


def _parse_weekdays(value) -> str:
    digits = "".join(sorted(set(str(value or ""))))
    if not digits or any(d not in "1234567" for d in digits):
        raise ValidationError({"weekdays": "Choisissez au moins un jour de la semaine."})
    return digits


def _time_in_poste(poste: str, time: datetime.time) -> bool:
    in_day = DAY_SHIFT_STARTS <= time < NIGHT_SHIFT_STARTS
    return in_day if poste == Poste.JOUR else not in_day


def check_prescription(
    action: CareAction, prescription: PrescriptionLine | None, *, usager: Usager, starts_on, ends_on
) -> datetime.date | None:
    """A restraint (or any action on prescription only) needs an active, validated line covering its dates.

    Returns the end date the item must take (the prescription's when the item has none).
    """
    restraint = is_restraint(action)
    if not (restraint or action.requires_prescription):
        return ends_on
    what = "La contention" if restraint else f"« {action.label} »"
    if prescription is None:
        raise ValidationError(
            {"prescription": f"{what} ne peut être planifiée que sous une prescription médicale validée et en cours."}
        )
    if prescription.usager_id != usager.pk or prescription.essms_id != usager.essms_id:
        raise ValidationError({"prescription": "Cette prescription ne concerne pas cette personne."})
    if restraint and prescription.kind != PrescriptionKind.CONTENTION:
        raise ValidationError({"prescription": "Cette prescription n'est pas une prescription de contention."})
    if prescription.validated_at is None:
        raise ValidationError({"prescription": "La prescription n'a pas encore été validée par un médecin."})
    if prescription.stopped_at is not None:
        stopped = timezone.localtime(prescription.stopped_at)
        raise ValidationError({"prescription": f"La prescription a été arrêtée le {stopped:%d/%m/%Y}."})
    if prescription.starts_on > starts_on:
        raise ValidationError(
            {"starts_on": f"La prescription ne commence que le {prescription.starts_on:%d/%m/%Y} : décalez le début."}
        )
    if prescription.ends_on is not None:
        if prescription.ends_on < starts_on:
            raise ValidationError(
                {"prescription": f"La prescription a expiré le {prescription.ends_on:%d/%m/%Y} : faites-la renouveler."}
            )
        if ends_on is None:
            return prescription.ends_on
        if ends_on > prescription.ends_on:
            raise ValidationError(
                {
                    "ends_on": "Le soin doit s'arrêter au plus tard à la fin de la prescription "
                    f"({prescription.ends_on:%d/%m/%Y})."
                }
            )
    return ends_on


@transaction.atomic
def plan_item_create(
    actor,
    *,
    usager: Usager,
    action: CareAction,
    poste: str,
    starts_on: datetime.date,
    metier: str = "",
    weekdays: str = "1234567",
    time: datetime.time | None = None,
    ends_on: datetime.date | None = None,
    instructions: str = "",
    prescription: PrescriptionLine | None = None,
) -> CarePlanItem:
    membership = _membership_or_404(actor)
    if usager.essms_id != membership.essms_id or action.essms_id != membership.essms_id:
        raise NotFound
    item = CarePlanItem(essms_id=usager.essms_id, usager=usager, action=action, created_by=user_of(actor))
    if not can(actor, WRITE, item):
        raise PermissionDenied(PLAN_REFUSED)
    refuse_archived(usager)
    if not action.is_active:
        raise ValidationError({"action": "Ce soin a été retiré du catalogue."})
    metier = metier or action.default_metier
    errors = {}
    if metier not in Metier.values:
        errors["metier"] = "Choisissez le métier qui réalise le soin."
    if poste not in Poste.values:
        errors["poste"] = "Poste inconnu : choisissez « jour » ou « nuit »."
    elif time is not None and not _time_in_poste(poste, time):
        errors["time"] = (
            "L'heure doit être comprise entre 07 h 00 et 19 h 00 pour le poste de jour."
            if poste == Poste.JOUR
            else "L'heure doit être comprise entre 19 h 00 et 07 h 00 pour le poste de nuit."
        )
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "La fin ne peut pas précéder le début."
    instructions = (instructions or "").strip()
    if len(instructions) > 300:
        errors["instructions"] = "Consignes trop longues (300 caractères au plus)."
    if errors:
        raise ValidationError(errors)
    weekdays = _parse_weekdays(weekdays)
    ends_on = check_prescription(action, prescription, usager=usager, starts_on=starts_on, ends_on=ends_on)
    item.metier = metier
    item.poste = poste
    item.time = time
    item.weekdays = weekdays
    item.starts_on = starts_on
    item.ends_on = ends_on
    item.instructions = instructions
    item.prescription = prescription
    item.save()
    audit.log_access(actor, AccessAction.CREATE, item, detail=action.label)
    return item


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, DAY_SHIFT_STARTS, tzinfo=SHIFT_TIMEZONE)


@transaction.atomic
def plan_item_end(
    actor,
    item: CarePlanItem,
    *,
    reason: str,
    ends_on: datetime.date | None = None,
) -> CarePlanItem:
    """Stop a plan item (kept for the record) for a stated reason; its pending occurrences after the end
    are withdrawn."""
    membership = _membership_or_404(actor)
    if item.essms_id != membership.essms_id:
        raise NotFound
    if not can(actor, WRITE, item):
        raise PermissionDenied(PLAN_REFUSED)
    refuse_archived(item.usager)
    if item.ended_at is not None:
        raise ValidationError(f"Ce soin est déjà arrêté depuis le {timezone.localtime(item.ended_at):%d/%m/%Y}.")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de l'arrêt."})
    if len(reason) > 300:
        raise ValidationError({"reason": "Motif trop long (300 caractères au plus)."})
    today = timezone.localdate()
    ends_on = ends_on or today
    if ends_on < today:
        raise ValidationError({"ends_on": "La date d'arrêt ne peut pas être dans le passé."})
    if ends_on < item.starts_on:
        ends_on = item.starts_on - datetime.timedelta(days=1)  # never started: stops before its start
    if item.ends_on is not None and item.ends_on < ends_on:
        ends_on = item.ends_on
    item.ends_on = ends_on
    item.ended_at = timezone.now()
    item.ended_by = user_of(actor)
    item.end_reason = reason
    item.save(update_fields=["ends_on", "ended_at", "ended_by", "end_reason"])
    # Shifts after the end day: the night of the end day still belongs to it.
    CareOccurrence.objects.filter(
        plan_item=item, status=OccurrenceStatus.PENDING, due_at__gte=_day_start(ends_on + datetime.timedelta(days=1))
    ).delete()
    audit.log_access(actor, AccessAction.UPDATE, item, detail="arrêt du soin")
    return item


# --- Occurrences --------------------------------------------------------------------------------


def _covering(first: datetime.date, last: datetime.date) -> Q:
    return Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))


def _covers(row, day: datetime.date) -> bool:
    return row.starts_on <= day and (row.ends_on is None or row.ends_on >= day)


def due_times(item: CarePlanItem, shift: Shift) -> tuple[datetime.datetime, datetime.datetime]:
    """(due_at, due_before) of a plan item in a shift: at its time (one hour to do it), else the whole shift."""
    if item.time is None:
        return shift.start, shift.end
    day = shift.date
    if shift.poste == Poste.NUIT and item.time < DAY_SHIFT_STARTS:
        day += datetime.timedelta(days=1)
    due_at = datetime.datetime.combine(day, item.time, tzinfo=SHIFT_TIMEZONE).astimezone(datetime.UTC)
    return due_at, due_at + TIMED_WINDOW


def _present(placements, absences, usager_id: int, day: datetime.date, unit_id: int | None) -> bool:
    placed = [p for p in placements.get(usager_id, ()) if _covers(p, day)]
    if not placed:
        return False
    if unit_id is not None and max(placed, key=lambda p: (p.starts_on, p.pk)).unit_id != unit_id:
        return False
    return not any(_covers(a, day) for a in absences.get(usager_id, ()))


def _shifts(first: datetime.date, last: datetime.date) -> list[Shift]:
    days = (last - first).days + 1
    return [Shift(poste, first + datetime.timedelta(days=offset)) for offset in range(days) for poste in Poste.values]


@transaction.atomic
def occurrences_generate_for_shifts(essms: Essms | int, shifts: Iterable[Shift], *, unit: Unit | None = None) -> int:
    """Create the missing occurrences of these shifts for the persons present; returns how many were created.

    A fixed number of queries: plan items, placements, absences, existing occurrences, one insert.
    """
    essms_id = essms if isinstance(essms, int) else essms.pk
    shifts = sorted(set(shifts), key=lambda s: s.start)
    if not shifts:
        return 0
    first, last = shifts[0].date, shifts[-1].date
    items = CarePlanItem.objects.filter(essms_id=essms_id, usager__archived_at__isnull=True).filter(
        _covering(first, last)
    )
    if unit is not None:
        items = items.filter(
            usager_id__in=Placement.objects.filter(essms_id=essms_id, unit_id=unit.pk)
            .filter(_covering(first, last))
            .values("usager_id")
        )
    items = items.filter(poste__in={shift.poste for shift in shifts})
    # Plain rows, not model instances: the hourly task reads every item of every ESSMS.
    items = list(
        items.values_list(
            "pk", "usager_id", "poste", "time", "weekdays", "starts_on", "ends_on", "metier", "created_by_id",
            "action__label", named=True,
        )
    )  # fmt: skip
    if not items:
        return 0
    usager_ids = {item.usager_id for item in items}
    placements, absences = defaultdict(list), defaultdict(list)
    for placement in (
        Placement.objects.filter(essms_id=essms_id, usager_id__in=usager_ids)
        .filter(_covering(first, last))
        .values_list("pk", "usager_id", "unit_id", "starts_on", "ends_on", named=True)
    ):
        placements[placement.usager_id].append(placement)
    for absence in (
        Absence.objects.filter(essms_id=essms_id, usager_id__in=usager_ids)
        .filter(_covering(first, last))
        .values_list("usager_id", "starts_on", "ends_on", named=True)
    ):
        absences[absence.usager_id].append(absence)
    wanted = []
    for shift in shifts:
        weekday = str(shift.date.isoweekday())
        for item in items:
            if item.poste != shift.poste or weekday not in item.weekdays or not _covers(item, shift.date):
                continue
            if not _present(placements, absences, item.usager_id, shift.date, unit.pk if unit else None):
                continue
            due_at, due_before = due_times(item, shift)
            wanted.append((item, due_at, due_before))
    if not wanted:
        return 0
    existing = set(
        CareOccurrence.objects.filter(
            plan_item_id__in={item.pk for item, _, _ in wanted},
            due_at__gte=min(due_at for _, due_at, _ in wanted),
            due_at__lte=max(due_at for _, due_at, _ in wanted),
        ).values_list("plan_item_id", "due_at")
    )
    rows = [
        CareOccurrence(
            essms_id=essms_id,
            usager_id=item.usager_id,
            plan_item_id=item.pk,
            prescription_id=None,
            label=item.action__label[:200],
            metier=item.metier,
            due_at=due_at,
            due_before=due_before,
            created_by_id=item.created_by_id,
        )
        for item, due_at, due_before in wanted
        if (item.pk, due_at) not in existing
    ]
    CareOccurrence.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def occurrences_generate(essms: Essms | int, start: datetime.date, end: datetime.date) -> int:
    """Occurrences of every shift of the dates start…end (inclusive), day and night."""
    if end < start:
        raise ValidationError("La fin de la période précède son début.")
    if (end - start).days >= MAX_GENERATION_DAYS:
        raise ValidationError(f"Période trop longue : {MAX_GENERATION_DAYS} jours au plus.")
    return occurrences_generate_for_shifts(essms, _shifts(start, end))


def occurrences_generate_for_shift(essms: Essms | int, shift: Shift, *, unit: Unit | None = None) -> int:
    """The occurrences of one shift (on opening its worklist): idempotent."""
    return occurrences_generate_for_shifts(essms, [shift], unit=unit)


def occurrences_generate_missing(
    unit: Unit,
    shift: Shift,
    *,
    usager_ids: Iterable[int],
    plan_item_ids: Iterable[int],
    now: datetime.datetime | None = None,
) -> int:
    """Opening a worklist: generate its shift when a plan item of a person present has no row yet.

    The hourly task makes the rows ahead; an item planned since, a person back from hospital or
    an instance without a worker leave some missing. One light query (the item ids expected, compared
    with those the worklist shows) decides; the shift is generated only then, and only near enough
    to now to matter.
    """
    now = now or timezone.now()
    usager_ids = list(usager_ids)
    if not usager_ids or not (shift.end > now - GENERATE_PAST and shift.start < now + GENERATE_AHEAD):
        return 0
    expected = (
        CarePlanItem.objects.filter(
            essms_id=unit.essms_id,
            usager_id__in=usager_ids,
            poste=shift.poste,
            weekdays__contains=str(shift.date.isoweekday()),
        )
        .filter(_covering(shift.date, shift.date))
        .order_by()
        .values_list("pk", flat=True)
    )
    if set(expected) <= set(plan_item_ids):
        return 0
    return occurrences_generate_for_shift(unit.essms_id, shift, unit=unit)
