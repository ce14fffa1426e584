"""Reads of evaluations: active ESSMS only, and only the grids whose class the métier may read."""

from django.db.models import QuerySet

from dui import audit
from dui.actor import user_of
from dui.catalogue import READ
from dui.errors import NotFound
from dui.essms_kinds import GRID
from dui.models import AccessAction, Usager
from dui.permissions import active_membership, can
from dui.selectors.catalogue_kinds import applies
from soins.grids import GRIDS, Grid, grid_by_code
from soins.models import CareOccurrence, Evaluation

TREND_LENGTH = 10


def offered_grids(actor) -> list[Grid]:
    """The grids the kind-based catalogue offers in the active ESSMS (AGGIR: elderly people)."""
    user = user_of(actor)
    return [grid for grid in GRIDS if applies(user, GRID, grid.code)]


def readable_grids(actor) -> list[Grid]:
    return [grid for grid in offered_grids(actor) if can(actor, READ, grid.document_class_code)]


def evaluations_for_user(actor) -> QuerySet[Evaluation]:
    """Evaluations of the active ESSMS on the grids the actor may read, newest first."""
    membership = active_membership(actor)
    codes = [grid.code for grid in readable_grids(actor)]
    if membership is None or not codes:
        return Evaluation.objects.none()
    return (
        Evaluation.objects.filter(essms_id=membership.essms_id, grid__in=codes)
        .select_related("usager", "created_by")
        .order_by("-evaluated_at", "-pk")
    )


def access_evaluation(actor, pk, *, usager_id: int | None = None, log: bool = False) -> Evaluation:
    """The evaluation, or NotFound (missing, another ESSMS, a grid the métier may not read);
    `log` records the read (the evaluation is shown)."""
    qs = evaluations_for_user(actor).filter(pk=pk)
    if usager_id is not None:
        qs = qs.filter(usager_id=usager_id)
    evaluation = qs.first()
    if evaluation is None:
        raise NotFound
    if log:
        audit.log_access(actor, AccessAction.READ, evaluation)
    return evaluation


def evaluations_page(actor, evaluations) -> list[Evaluation]:
    """A page of evaluations the API lists, each logged as read."""
    evaluations = list(evaluations)
    audit.log_reads(actor, evaluations, detail="liste des évaluations")
    return evaluations


def follow_ups_of(evaluation: Evaluation) -> list[CareOccurrence]:
    return list(CareOccurrence.objects.filter(evaluation=evaluation).order_by("due_at", "pk"))


def attach_follow_ups(evaluations) -> None:
    """Set `follow_ups_list` on each evaluation (one query for all)."""
    by_evaluation: dict[int, list] = {}
    ids = [evaluation.pk for evaluation in evaluations]
    for row in CareOccurrence.objects.filter(evaluation_id__in=ids).order_by("due_at", "pk"):
        by_evaluation.setdefault(row.evaluation_id, []).append(row)
    for evaluation in evaluations:
        evaluation.follow_ups_list = by_evaluation.get(evaluation.pk, [])


def history_by_grid(actor, usager: Usager, *, per_grid: int = TREND_LENGTH) -> list[tuple[Grid, list[Evaluation]]]:
    """For each readable grid, the person's latest evaluations (newest first), one query per grid."""
    out = []
    base = evaluations_for_user(actor).filter(usager_id=usager.pk)
    for grid in readable_grids(actor):
        rows = list(base.filter(grid=grid.code)[:per_grid])
        out.append((grid, rows))
    return out


def grid_of(evaluation: Evaluation) -> Grid:
    return grid_by_code(evaluation.grid)
