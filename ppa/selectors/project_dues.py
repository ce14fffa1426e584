"""Due dates of the projets personnalisés: the alert list (overdue, due within 30 days, séjours
without a project) and its two indicators (% à jour, % révisés dans l'année)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone

from dui.catalogue import READ
from dui.models import Placement, Sejour, SejourStatus, Unit, Usager
from dui.permissions import active_membership, can
from ppa.models import PpaPolicy, Projet, ProjetVersion
from ppa.services.projects import ALERT_DAYS, first_due_on, revision_due_on


def policy_for(essms_id: int) -> PpaPolicy:
    """The ESSMS's rules, or the defaults (unsaved) when none were set: reading never writes."""
    return PpaPolicy.objects.filter(essms_id=essms_id).first() or PpaPolicy(essms_id=essms_id)


@dataclass
class DueRow:
    usager: Usager
    sejour: Sejour
    projet: Projet | None
    unit: Unit | None
    due_on: datetime.date
    last_agreement_on: datetime.date | None
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def reason(self) -> str:
        if self.projet is None:
            return "Aucun projet ouvert"
        if self.last_agreement_on is None:
            return "Premier projet à valider"
        return "Révision à faire"


@dataclass
class Indicators:
    accompanied: int = 0
    required: int = 0
    up_to_date: int = 0
    agreed: int = 0
    revised_in_year: int = 0

    @property
    def up_to_date_percent(self) -> int | None:
        return round(100 * self.up_to_date / self.required) if self.required else None

    @property
    def revised_percent(self) -> int | None:
        return round(100 * self.revised_in_year / self.agreed) if self.agreed else None


@dataclass
class AlertBoard:
    overdue: list[DueRow] = field(default_factory=list)
    due_soon: list[DueRow] = field(default_factory=list)
    indicators: Indicators = field(default_factory=Indicators)
    policy: PpaPolicy | None = None


def due_board(
    actor, *, unit: Unit | None = None, today: datetime.date | None = None, within_days: int = ALERT_DAYS
) -> AlertBoard:
    """Séjours en cours of the active ESSMS (optionally of one unit today) with their project due date.

    Due date: the last agreement + the revision delay; without any agreement yet, the admission +
    the first-project delay (also for séjours without a project). Four queries in all.
    """
    membership = active_membership(actor)
    board = AlertBoard()
    if membership is None or not can(actor, READ, Projet.document_class_code):
        return board
    today = today or timezone.localdate()
    policy = policy_for(membership.essms_id)
    board.policy = policy
    sejours = (
        Sejour.objects.filter(
            essms_id=membership.essms_id,
            status=SejourStatus.ACTIVE,
            admitted_on__isnull=False,
            usager__archived_at__isnull=True,
        )
        .select_related("usager")
        .order_by("usager__birth_name", "usager__first_names", "id")
    )
    placements = {}
    for placement in (
        Placement.objects.filter(essms_id=membership.essms_id, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("unit")
        .order_by("starts_on", "id")
    ):
        placements[placement.sejour_id] = placement
    if unit is not None:
        sejours = sejours.filter(pk__in=[sid for sid, p in placements.items() if p.unit_id == unit.pk])
    projets = {
        p.sejour_id: p
        for p in Projet.objects.filter(essms_id=membership.essms_id, closed_at__isnull=True)
        .annotate(last_agreement_on=Max("versions__agreement_on"))
        .select_related("referent")
    }
    year_ago = today - datetime.timedelta(days=365)
    limit = today + datetime.timedelta(days=within_days)
    indicators = board.indicators
    for sejour in sejours:
        projet = projets.get(sejour.pk)
        last = projet.last_agreement_on if projet else None
        due = revision_due_on(last, policy) if last else first_due_on(sejour.admitted_on, policy)
        indicators.accompanied += 1
        if last is not None or due <= today:
            indicators.required += 1
            if last is not None and due >= today:
                indicators.up_to_date += 1
        if last is not None:
            indicators.agreed += 1
            if last >= year_ago:
                indicators.revised_in_year += 1
        if due > limit:
            continue
        placement = placements.get(sejour.pk)
        row = DueRow(
            usager=sejour.usager,
            sejour=sejour,
            projet=projet,
            unit=placement.unit if placement else None,
            due_on=due,
            last_agreement_on=last,
            days_left=(due - today).days,
        )
        (board.overdue if row.overdue else board.due_soon).append(row)
    board.overdue.sort(key=lambda r: (r.due_on, r.usager.birth_name))
    board.due_soon.sort(key=lambda r: (r.due_on, r.usager.birth_name))
    return board


def due_on_of(projet: Projet) -> datetime.date:
    """The due date of one project under its ESSMS's current rules."""
    policy = policy_for(projet.essms_id)
    last = ProjetVersion.objects.filter(projet_id=projet.pk, agreement_on__isnull=False).aggregate(
        last=Max("agreement_on")
    )["last"]
    return revision_due_on(last, policy) if last else first_due_on(projet.sejour.admitted_on, policy)
