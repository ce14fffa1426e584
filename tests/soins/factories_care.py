"""Helpers of the plan de soins tests: placed persons, restraint prescriptions, plan items."""

import datetime

from django.utils import timezone

from dui.models import Metier, Sejour, SejourStatus
from soins.models import CareAction, CareCategory, PrescriptionKind, PrescriptionLine
from soins.services import care as care_services
from tests.factories import UsagerFactory, professional

SINCE = datetime.date(2024, 1, 1)


def place(usager, unit, by, *, room: str = "", since: datetime.date = SINCE):
    """An active séjour with a placement in `unit` from `since`."""
    sejour = Sejour.objects.create(
        essms=usager.essms,
        usager=usager,
        status=SejourStatus.ACTIVE,
        first_contact_on=since,
        admitted_on=since,
        created_by=by,
    )
    return sejour.placements.create(
        essms=usager.essms, usager=usager, unit=unit, modality="hp", room=room, starts_on=since, created_by=by
    )


def placed_person(essms, unit, by, *, name: str = "", room: str = ""):
    usager = UsagerFactory(essms=essms, **({"birth_name": name} if name else {}))
    place(usager, unit, by, room=room)
    return usager


def action(essms, label: str = "Toilette complète") -> CareAction:
    care_services.catalogue_ensure_default(essms)
    return CareAction.objects.get(essms=essms, label=label)


def restraint_action(essms) -> CareAction:
    care_services.catalogue_ensure_default(essms)
    return CareAction.objects.filter(essms=essms, category=CareCategory.CONTENTION).first()


def prescription(
    usager,
    *,
    kind: str = PrescriptionKind.CONTENTION,
    validated: bool = True,
    stopped: bool = False,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    days: int = 7,
) -> PrescriptionLine:
    """A prescription line written straight to the table (the medication services are tested elsewhere)."""
    doctor = professional(usager.essms, Metier.MEDECIN)
    today = timezone.localdate()
    starts_on = starts_on or today
    now = timezone.now()
    return PrescriptionLine.objects.create(
        essms=usager.essms,
        usager=usager,
        created_by=doctor,
        kind=kind,
        drug="Barrières de lit" if kind == PrescriptionKind.CONTENTION else "Paracétamol",
        starts_on=starts_on,
        ends_on=ends_on if ends_on is not None else starts_on + datetime.timedelta(days=days),
        validated_by=doctor if validated else None,
        validated_at=now if validated else None,
        stopped_by=doctor if stopped else None,
        stopped_at=now if stopped else None,
        stop_reason="Arrêt" if stopped else "",
    )


def plan(by, usager, label: str = "Toilette complète", *, poste: str = "jour", time=None, **kwargs):
    return care_services.plan_item_create(
        by,
        usager=usager,
        action=action(usager.essms, label),
        poste=poste,
        time=time,
        starts_on=kwargs.pop("starts_on", SINCE),
        **kwargs,
    )


def isolation_objects(usager):
    """A plan item and an occurrence of this person (created once): the objects the isolation walks name."""
    from soins.models import CareOccurrence, CarePlanItem

    item = CarePlanItem.objects.filter(usager=usager).first()
    if item is None:
        item = plan(professional(usager.essms, Metier.CADRE_SANTE), usager)
    occurrence = CareOccurrence.objects.filter(plan_item=item).first()
    if occurrence is None:
        now = timezone.now()
        occurrence = CareOccurrence.objects.create(
            essms=usager.essms,
            usager=usager,
            plan_item=item,
            label=item.action.label,
            due_at=now,
            due_before=now + datetime.timedelta(hours=1),
            created_by=item.created_by,
        )
    return item, occurrence
