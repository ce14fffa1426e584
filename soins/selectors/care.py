"""Reads of the plan de soins, scoped to the active ESSMS and the matrix.

Restraint items (class "contention") are shown only to those who may read that class; the rest of
the plan needs "plan_soins".
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Metier, Usager
from dui.permissions import active_membership, can
from soins.models import CareAction, CareCategory, CarePlanItem, PrescriptionKind, PrescriptionLine

CARE_CLASS = "plan_soins"
WEEKDAY_NAMES = {"1": "lun", "2": "mar", "3": "mer", "4": "jeu", "5": "ven", "6": "sam", "7": "dim"}
METIER_LABELS = dict(Metier.choices)
RESTRAINT_CLASS = "contention"


def may_read_plan(actor) -> bool:
    return active_membership(actor) is not None and can(actor, READ, CARE_CLASS)


def care_actions_for_user(actor, *, include_inactive: bool = False) -> QuerySet[CareAction]:
    """The catalogue of the active ESSMS (active actions only unless asked)."""
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, CARE_CLASS):
        return CareAction.objects.none()
    actions = CareAction.objects.filter(essms_id=membership.essms_id)
    if not can(actor, READ, RESTRAINT_CLASS):
        actions = actions.exclude(category=CareCategory.CONTENTION)
    if not include_inactive:
        actions = actions.filter(is_active=True)
    return actions.order_by("category", "label")


def access_care_action(actor, pk, *, include_inactive: bool = True) -> CareAction:
    action = care_actions_for_user(actor, include_inactive=include_inactive).filter(pk=valid_pk(pk)).first()
    if action is None:
        raise NotFound
    return action


def plan_items_for_user(actor) -> QuerySet[CarePlanItem]:
    """Plan items of the active ESSMS the actor may read, with their action and prescription."""
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, CARE_CLASS):
        return CarePlanItem.objects.none()
    items = CarePlanItem.objects.filter(essms_id=membership.essms_id)
    if not can(actor, READ, RESTRAINT_CLASS):
        items = items.exclude(action__category=CareCategory.CONTENTION)
    return items.select_related("action", "prescription", "usager", "created_by", "ended_by")


def plan_items_for_usager(actor, usager: Usager, *, current_only: bool = False) -> QuerySet[CarePlanItem]:
    """One person's plan: running items first (by poste and time), then the ended ones."""
    items = plan_items_for_user(actor).filter(usager_id=usager.pk)
    if current_only:
        today = timezone.localdate()
        items = items.filter(ended_at__isnull=True).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return items.order_by("ended_at", "poste", "time", "action__label", "id")


def plan_page_items(actor, usager: Usager) -> list[CarePlanItem]:
    """The person's plan as its page shows it (labelled), the person and each item logged as read."""
    items = with_labels(list(plan_items_for_usager(actor, usager)))
    audit.log_reads(actor, [usager, *items], detail="plan de soins")
    return items


def plan_items_page(actor, items) -> list[CarePlanItem]:
    """A page of plan items the API lists, each logged as read."""
    items = list(items)
    audit.log_reads(actor, items, detail="plan de soins")
    return items


def access_plan_item(actor, pk, *, log: bool = False) -> CarePlanItem:
    """One plan item the actor may read, or NotFound; `log` records the read (a detail shown as is)."""
    item = plan_items_for_user(actor).filter(pk=valid_pk(pk)).first()
    if item is None:
        raise NotFound
    if log:
        audit.log_access(actor, AccessAction.READ, item)
    return item


def active_restraint_prescriptions(actor, usager: Usager, *, on: datetime.date | None = None):
    """Validated, unstopped restraint prescriptions of the person covering `on` (today): the ones
    a restraint may be scheduled under."""
    membership = active_membership(actor)
    if membership is None or usager.essms_id != membership.essms_id or not can(actor, READ, RESTRAINT_CLASS):
        return PrescriptionLine.objects.none()
    day = on or timezone.localdate()
    return (
        PrescriptionLine.objects.filter(
            essms_id=membership.essms_id,
            usager_id=usager.pk,
            kind=PrescriptionKind.CONTENTION,
            validated_at__isnull=False,
            stopped_at__isnull=True,
            starts_on__lte=day,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on", "-id")
    )


def prescriptions_for_plan(actor, usager: Usager) -> QuerySet[PrescriptionLine]:
    """The person's prescription lines a plan item may name (checked by the service when used)."""
    membership = active_membership(actor)
    if membership is None or usager.essms_id != membership.essms_id or not can(actor, READ, CARE_CLASS):
        return PrescriptionLine.objects.none()
    return PrescriptionLine.objects.filter(essms_id=membership.essms_id, usager_id=usager.pk)


def weekdays_label(weekdays: str) -> str:
    if weekdays == "1234567":
        return "Tous les jours"
    if weekdays == "12345":
        return "Du lundi au vendredi"
    return ", ".join(WEEKDAY_NAMES[d] for d in weekdays if d in WEEKDAY_NAMES).capitalize()


def with_labels(items):
    """Plan items with their display labels (days, métier) for the templates."""
    for item in items:
        item.weekdays_label = weekdays_label(item.weekdays)
        item.metier_label = METIER_LABELS.get(item.metier, item.metier)
    return items
