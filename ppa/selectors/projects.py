"""Reads of the projet personnalisé, scoped to the actor (active ESSMS, grants, matrix).

The selectors that return what a page or the API shows write its READ rows in the access log
(`access_projet`, `access_version`, the `*_page` selectors, the PDF export); `projet_in_reach`
and `version_in_reach` only scope the object a write acts on (the service logs the write).
Also: the evaluations, documents and transmissions of a version's period (through their own
selectors). Due dates: `ppa.selectors.project_dues`; comparison: `ppa.selectors.project_compare`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Sejour, SejourStatus, Unit, Usager
from dui.permissions import active_membership, can
from dui.selectors import units_for_user, usagers_for_user
from ppa import serafin
from ppa.models import Expression, Objective, ObjectiveEvaluation, PpaPolicy, ProjectAction, Projet, ProjetVersion
from ppa.selectors.project_compare import Change, compare_versions
from ppa.selectors.project_dues import AlertBoard, due_board, policy_for

# --- Scoping ------------------------------------------------------------------------------------


def can_read_ppa(actor) -> bool:
    return can(actor, READ, Projet.document_class_code)


def projets_for_user(actor) -> QuerySet[Projet]:
    """Projects of the dossiers the actor reaches, when the métier may read the class "ppa"."""
    if not can_read_ppa(actor):
        return Projet.objects.none()
    return Projet.objects.filter(usager__in=usagers_for_user(actor.user)).select_related(
        "usager", "sejour", "essms", "referent"
    )


def versions_for_user(actor) -> QuerySet[ProjetVersion]:
    if not can_read_ppa(actor):
        return ProjetVersion.objects.none()
    return ProjetVersion.objects.filter(usager__in=usagers_for_user(actor.user))


def projet_in_reach(actor, pk) -> Projet:
    """One project, or NotFound (missing, another ESSMS's without a grant, class not readable)."""
    projet = projets_for_user(actor).filter(pk=valid_pk(pk)).first()
    if projet is None or not can(actor, READ, projet):
        raise NotFound
    return projet


def version_in_reach(actor, pk) -> ProjetVersion:
    pk = valid_pk(pk)
    version = (
        versions_for_user(actor)
        .filter(pk=pk)
        .select_related("projet__sejour", "projet__usager", "projet__essms", "usager", "essms")
        .first()
    )
    if version is None or not can(actor, READ, version):
        raise NotFound
    return version


def access_projet(actor, pk) -> Projet:
    """One project read as such (the API's detail): scoped, and its READ row logged."""
    projet = projet_in_reach(actor, pk)
    audit.log_access(actor, AccessAction.READ, projet)
    return projet


def access_version(actor, pk) -> ProjetVersion:
    """One version read as such (the API's detail): scoped, and its READ row logged."""
    version = version_in_reach(actor, pk)
    audit.log_access(actor, AccessAction.READ, version)
    return version


def projet_with_versions(actor, projet: Projet) -> Projet:
    """The project with its versions in order (the API's answer after a read or a write)."""
    return (
        projets_for_user(actor)
        .prefetch_related(Prefetch("versions", queryset=ProjetVersion.objects.order_by("number")))
        .get(pk=projet.pk)
    )


def projets_page(actor, *, usager, paginate: Callable[[QuerySet], list]) -> list[Projet]:
    """The API list (newest first, `usager` an optional dossier id): one page, its rows logged."""
    qs = (
        projets_for_user(actor)
        .prefetch_related(Prefetch("versions", queryset=ProjetVersion.objects.order_by("number")))
        .order_by("-created_at", "-pk")
    )
    if usager:
        try:
            usager_id = int(usager)
        except (TypeError, ValueError):
            usager_id = 0
        if not 0 < usager_id < 2**63:
            raise ValidationError({"usager": ["Identifiant de personne invalide."]})
        qs = qs.filter(usager_id=usager_id)
    page = paginate(qs)
    audit.log_reads(actor, page, detail="liste des projets personnalisés")
    return page


def usager_for_projet(actor, pk) -> Usager:
    """The dossier a project is opened for through the API: out of reach is an input error."""
    usager = usagers_for_user(actor.user).filter(pk=pk).first()
    if usager is None:
        raise ValidationError({"usager": ["Personne introuvable."]})
    return usager


def projet_of_usager(actor, usager: Usager) -> Projet | None:
    """The project of the person's séjour en cours, else of the latest séjour that had one."""
    if not can(actor, READ, Projet(essms_id=usager.essms_id, usager_id=usager.pk)):
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


def version_numbered(versions: list[ProjetVersion], raw, default: ProjetVersion) -> ProjetVersion:
    """The version of this number (from a URL parameter), `default` when none is asked, else NotFound."""
    if raw in (None, ""):
        return default
    found = next((v for v in versions if str(v.number) == str(raw).strip()), None)
    if found is None:
        raise NotFound
    return found


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


def current_version_content(projet: Projet) -> ProjetVersion:
    """The content of the latest version of a project fetched with `projet_with_versions`."""
    return version_content(max(projet.versions.all(), key=lambda v: v.number))


def shows_serafin(essms) -> bool:
    return serafin.applies_to(essms)


def with_serafin_concepts(content: ProjetVersion) -> ProjetVersion:
    """Attach each coded need and action its SERAFIN-PH concept (plain wording shown first)."""
    for need in content.expressions.all():
        need.serafin_concept = serafin.concept(need.serafin_code) if need.serafin_code else None
    for objective in content.objectives.all():
        for need in objective.needs.all():
            need.serafin_concept = serafin.concept(need.serafin_code) if need.serafin_code else None
        for action in objective.actions.all():
            action.serafin_concept = serafin.concept(action.serafin_code) if action.serafin_code else None
    return content


def policy_of_actor(actor) -> PpaPolicy:
    """The due-date rules of the actor's ESSMS (the defaults, unsaved, when none were set)."""
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    return policy_for(membership.essms_id)


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


def _readable_evaluations(actor, usager: Usager, first: datetime.date, last: datetime.date) -> list:
    from soins.models import Evaluation

    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
    rows = Evaluation.objects.filter(
        essms_id=usager.essms_id, usager_id=usager.pk, evaluated_at__gte=start, evaluated_at__lt=end
    ).order_by("-evaluated_at", "-id")[:200]
    readable = []
    for evaluation in rows:
        try:
            allowed = can(actor, READ, evaluation)
        except (ImportError, LookupError, AttributeError):  # a grid missing from the catalogue: not shown
            allowed = False
        if allowed:
            readable.append(evaluation)
        if len(readable) >= PERIOD_LIMIT:
            break
    return readable


def period_links(actor, *, version: ProjetVersion, versions: list[ProjetVersion]) -> PeriodLinks:
    """What happened during the version's period, only what the user may read."""
    from dui.selectors.documents import documents_for_usager
    from transmissions.selectors.feed import FeedFilters, feed_queryset

    usager = version.projet.usager
    first, last = version_period(version, versions)
    links = PeriodLinks(first=first, last=last)
    links.evaluations = _readable_evaluations(actor, usager, first, last)
    links.documents = list(
        documents_for_usager(actor, usager=usager).filter(document_date__gte=first, document_date__lte=last)[
            :PERIOD_LIMIT
        ]
    )
    if usager.essms_id == actor.essms_id:
        filters = FeedFilters(usager_id=usager.pk, date_from=first, date_to=last)
        rows = list(feed_queryset(actor.user, filters)[: PERIOD_LIMIT + 1])
        links.transmissions = rows[:PERIOD_LIMIT]
        links.transmissions_more = len(rows) > PERIOD_LIMIT
    return links


# --- Pages --------------------------------------------------------------------------------------


@dataclass
class ProjetPage:
    versions: list[ProjetVersion]
    version: ProjetVersion
    latest: ProjetVersion
    content: ProjetVersion
    links: PeriodLinks


def projet_page(actor, projet: Projet, *, version: ProjetVersion | None = None, number=None) -> ProjetPage:
    """The project page: one version (`version`, else the number asked, else the latest) with its
    content and its period; the version and every linked element are logged as read."""
    versions = versions_of(projet)
    latest = versions[-1]
    if version is None:
        version = version_numbered(versions, number, latest)
    content = version_content(version)
    links = period_links(actor, version=version, versions=versions)
    audit.log_access(actor, AccessAction.READ, content, detail=f"projet personnalisé v{version.number}")
    audit.log_reads(
        actor,
        links.evaluations + links.documents + links.transmissions,
        detail="projet personnalisé : éléments de la période",
    )
    return ProjetPage(versions=versions, version=version, latest=latest, content=content, links=links)


@dataclass
class ComparePage:
    versions: list[ProjetVersion]
    old: ProjetVersion
    new: ProjetVersion
    changes: list[Change]


def compare_page(actor, projet: Projet, *, old_number=None, new_number=None) -> ComparePage:
    """Two versions (by default the last two) and their differences; both logged as read."""
    versions = versions_of(projet)
    new = version_numbered(versions, new_number, versions[-1])
    old = version_numbered(versions, old_number, versions[-2] if len(versions) > 1 else versions[-1])
    old_content, new_content = version_content(old), version_content(new)
    changes = compare_versions(old_content, new_content)
    audit.log_reads(actor, [old_content, new_content], detail="comparaison de versions")
    return ComparePage(versions=versions, old=old_content, new=new_content, changes=changes)


def pdf_export(actor, projet: Projet, *, number=None) -> ProjetVersion:
    """The version printed (the latest unless a number is asked), with its content; logged as an export."""
    versions = versions_of(projet)
    version = version_numbered(versions, number, versions[-1])
    content = with_serafin_concepts(version_content(version))
    audit.log_access(actor, AccessAction.EXPORT, content, detail=f"projet personnalisé v{version.number} (PDF)")
    return content


@dataclass
class AlertsPage:
    units: list[Unit]
    unit: Unit | None
    board: AlertBoard


def alerts_page(actor, *, unit=None) -> AlertsPage:
    """The alert list of the active ESSMS (optionally of one unit, by id): every row logged as read."""
    if not can_read_ppa(actor):
        raise NotFound
    units = list(units_for_user(actor).filter(is_active=True).order_by("name"))
    chosen = next((u for u in units if str(u.pk) == str(unit or "")), None)
    board = due_board(actor, unit=chosen)
    rows = [r.projet or r.sejour for r in board.overdue + board.due_soon]
    audit.log_reads(actor, rows, detail="échéances des projets personnalisés")
    return AlertsPage(units=units, unit=chosen, board=board)
