"""Reads of the projet personnalisé, scoped to the acting user (active ESSMS, grants, matrix).

Also: due dates and the alert list (overdue / due within 30 days, séjours without a project),
the two indicators (% à jour, % révisés dans l'année), the comparison of two versions, and the
evaluations, documents and transmissions of a version's period (through their own selectors).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dui.catalogue import READ
from dui.models import Placement, Sejour, SejourStatus, Unit, Usager
from dui.permissions import active_membership, can
from dui.selectors import usagers_for_user
from ppa import serafin
from ppa.models import (
    Expression,
    Objective,
    ObjectiveEvaluation,
    PpaPolicy,
    ProjectAction,
    Projet,
    ProjetVersion,
)
from ppa.services.projects import ALERT_DAYS, first_due_on, revision_due_on

# --- Scoping ------------------------------------------------------------------------------------


def can_read_ppa(user) -> bool:
    return can(user, READ, Projet.document_class_code)


def projets_for_user(user) -> QuerySet[Projet]:
    """Projects of the dossiers the user reaches, when the métier may read the class "ppa"."""
    if not can_read_ppa(user):
        return Projet.objects.none()
    return Projet.objects.filter(usager__in=usagers_for_user(user)).select_related(
        "usager", "sejour", "essms", "referent"
    )


def access_projet(*, user, pk) -> Projet:
    """One project, or 404 (missing, another ESSMS's without a grant, class not readable)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    projet = projets_for_user(user).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if projet is None or not can(user, READ, projet):
        raise Http404
    return projet


def access_version(*, user, pk) -> ProjetVersion:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not can_read_ppa(user) or not 0 < pk < 2**63:
        raise Http404
    version = (
        ProjetVersion.objects.filter(pk=pk, usager__in=usagers_for_user(user))
        .select_related("projet__sejour", "projet__usager", "projet__essms", "usager", "essms")
        .first()
    )
    if version is None or not can(user, READ, version):
        raise Http404
    return version


def projet_of_usager(*, user, usager: Usager) -> Projet | None:
    """The project of the person's séjour en cours, else of the latest séjour that had one."""
    if not can(user, READ, Projet(essms_id=usager.essms_id, usager_id=usager.pk)):
        return None
    return (
        Projet.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk)
        .select_related("sejour", "usager", "essms", "referent")
        .order_by("closed_at", "-sejour__admitted_on", "-id")
        .first()
    )


def open_sejour_of(usager: Usager) -> Sejour | None:
    return (
        Sejour.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, status=SejourStatus.ACTIVE)
        .order_by("-admitted_on", "-id")
        .first()
    )


def versions_of(projet: Projet) -> list[ProjetVersion]:
    return list(ProjetVersion.objects.filter(projet_id=projet.pk).select_related("created_by").order_by("number"))


def with_content(version_qs: QuerySet[ProjetVersion]) -> QuerySet[ProjetVersion]:
    """Prefetch the whole content of versions: a fixed number of queries whatever its size."""
    return version_qs.prefetch_related(
        Prefetch("expressions", queryset=Expression.objects.order_by("kind", "id")),
        Prefetch(
            "objectives",
            queryset=Objective.objects.order_by("id").prefetch_related(
                Prefetch("needs", queryset=Expression.objects.order_by("id")),
                Prefetch("actions", queryset=ProjectAction.objects.order_by("id")),
                Prefetch(
                    "evaluations",
                    queryset=ObjectiveEvaluation.objects.select_related("created_by").order_by("-evaluated_on", "-id"),
                ),
            ),
        ),
        "participants",
    )


def version_content(version: ProjetVersion) -> ProjetVersion:
    return with_content(ProjetVersion.objects.filter(pk=version.pk).select_related("projet__sejour", "usager")).get()


def shows_serafin(essms) -> bool:
    return serafin.applies_to(essms)


# --- Due dates and alerts -----------------------------------------------------------------------


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
    *, user, unit: Unit | None = None, today: datetime.date | None = None, within_days: int = ALERT_DAYS
) -> AlertBoard:
    """Séjours en cours of the active ESSMS (optionally of one unit today) with their project due date.

    Due date: the last agreement + the revision delay; without any agreement yet, the admission +
    the first-project delay (also for séjours without a project). Four queries in all.
    """
    membership = active_membership(user)
    board = AlertBoard()
    if membership is None or not can_read_ppa(user):
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


# --- Comparison ---------------------------------------------------------------------------------


@dataclass
class Change:
    section: str
    kind: str  # added, removed, changed
    label: str
    before: str = ""
    after: str = ""

    @property
    def kind_label(self) -> str:
        return {"added": "Ajouté", "removed": "Retiré", "changed": "Modifié"}[self.kind]


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _code_text(code: str) -> str:
    found = serafin.concept(code) if code else None
    return found.display if found else code


def _need_items(version) -> dict:
    return {
        (n.kind, _norm(n.text)): (
            f"{n.get_kind_display()} : {n.text}",
            f"exprimé par {n.get_expressed_by_display().lower()}"
            + (f" ({n.expressed_by_name})" if n.expressed_by_name else "")
            + (f", SERAFIN-PH {_code_text(n.serafin_code)}" if n.serafin_code else ""),
        )
        for n in version.expressions.all()
    }


def _objective_items(version) -> dict:
    items = {}
    for o in version.objectives.all():
        needs = "; ".join(n.text for n in o.needs.all())
        detail = f"répond à : {needs}" + (f" — échéance {o.target_on:%d/%m/%Y}" if o.target_on else "")
        items[_norm(o.text)] = (f"Objectif : {o.text}", detail)
    return items


def _action_items(version) -> dict:
    items = {}
    for o in version.objectives.all():
        for a in o.actions.all():
            detail = f"par {a.who}" + (f", {a.frequency}" if a.frequency else "")
            if a.serafin_code:
                detail += f", SERAFIN-PH {_code_text(a.serafin_code)}"
            items[(_norm(o.text), _norm(a.text))] = (f"Action : {a.text} (objectif « {o.text} »)", detail)
    return items


def _participant_items(version) -> dict:
    return {(p.kind, _norm(p.name)): (f"{p.get_kind_display()} : {p.name}", p.role) for p in version.participants.all()}


def _meeting_items(version) -> dict:
    present = {True: "présente", False: "absente", None: "non renseigné"}[version.person_present]
    items = {
        "meeting": (
            "Réunion de projet",
            (f"le {version.meeting_on:%d/%m/%Y}" if version.meeting_on else "date non renseignée")
            + f", personne {present}"
            + (f" ({version.person_absence_reason})" if version.person_absence_reason else ""),
        ),
        "summary": ("Synthèse", version.summary or "—"),
    }
    return items


SECTIONS = (
    ("Réunion et synthèse", _meeting_items),
    ("Attentes et besoins", _need_items),
    ("Objectifs", _objective_items),
    ("Actions et prestations", _action_items),
    ("Participants", _participant_items),
)


def compare_versions(old: ProjetVersion, new: ProjetVersion) -> list[Change]:
    """Differences from `old` to `new` (both prefetched with `with_content`), section by section.

    An item is matched on its wording (and kind); the same wording with other details is "changed".
    """
    changes = []
    for section, items_of in SECTIONS:
        before, after = items_of(old), items_of(new)
        for key, (label, detail) in after.items():
            if key not in before:
                changes.append(Change(section, "added", label, after=detail))
            elif before[key][1] != detail:
                changes.append(Change(section, "changed", label, before=before[key][1], after=detail))
        for key, (label, detail) in before.items():
            if key not in after:
                changes.append(Change(section, "removed", label, before=detail))
    return changes


# --- The version's period: evaluations, documents, transmissions --------------------------------

PERIOD_LIMIT = 30


@dataclass
class PeriodLinks:
    first: datetime.date
    last: datetime.date
    evaluations: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    transmissions: list = field(default_factory=list)
    transmissions_more: bool = False


def version_period(version: ProjetVersion, versions: list[ProjetVersion]) -> tuple[datetime.date, datetime.date]:
    """From the previous version's agreement (the admission for version 1) to the next version's
    creation (today for the current one)."""
    previous = next((v for v in versions if v.number == version.number - 1), None)
    following = next((v for v in versions if v.number == version.number + 1), None)
    sejour = version.projet.sejour
    if previous is None:
        first = sejour.admitted_on or sejour.first_contact_on
    else:
        first = previous.agreement_on or timezone.localdate(previous.created_at)
    last = timezone.localdate(following.created_at) if following else timezone.localdate()
    if sejour.ended_on and sejour.ended_on < last:
        last = sejour.ended_on
    return first, max(first, last)


def _readable_evaluations(user, usager: Usager, first: datetime.date, last: datetime.date) -> list:
    from ppa.models import Evaluation

    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
    rows = Evaluation.objects.filter(
        essms_id=usager.essms_id, usager_id=usager.pk, evaluated_at__gte=start, evaluated_at__lt=end
    ).order_by("-evaluated_at", "-id")[:200]
    readable = []
    for evaluation in rows:
        try:
            allowed = can(user, READ, evaluation)
        except (ImportError, LookupError, AttributeError):  # a grid missing from the catalogue: not shown
            allowed = False
        if allowed:
            readable.append(evaluation)
        if len(readable) >= PERIOD_LIMIT:
            break
    return readable


def period_links(*, user, version: ProjetVersion, versions: list[ProjetVersion]) -> PeriodLinks:
    """What happened during the version's period, only what the user may read."""
    from dui.selectors.documents import documents_for_usager
    from transmissions.selectors.feed import FeedFilters, feed_queryset

    usager = version.projet.usager
    first, last = version_period(version, versions)
    links = PeriodLinks(first=first, last=last)
    links.evaluations = _readable_evaluations(user, usager, first, last)
    links.documents = list(
        documents_for_usager(user, usager=usager).filter(document_date__gte=first, document_date__lte=last)[
            :PERIOD_LIMIT
        ]
    )
    if usager.essms_id == getattr(active_membership(user), "essms_id", None):
        rows = list(
            feed_queryset(user, FeedFilters(usager_id=usager.pk, date_from=first, date_to=last))[: PERIOD_LIMIT + 1]
        )
        links.transmissions = rows[:PERIOD_LIMIT]
        links.transmissions_more = len(rows) > PERIOD_LIMIT
    return links
