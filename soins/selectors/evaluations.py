"""Reads of evaluations: active ESSMS only, and only the grids whose class the métier may read."""

from django.db.models import QuerySet
from django.http import Http404

from dui.catalogue import READ
from dui.essms_kinds import GRID
from dui.models import Usager
from dui.permissions import active_membership, can
from dui.selectors.catalogue_kinds import applies
from soins.grids import GRIDS, Grid, grid_by_code
from soins.models import CareOccurrence, Evaluation

TREND_LENGTH = 10


def offered_grids(user) -> list[Grid]:
    """The grids the kind-based catalogue offers in the active ESSMS (AGGIR: elderly people)."""
    return [grid for grid in GRIDS if applies(user, GRID, grid.code)]


def readable_grids(user) -> list[Grid]:
    return [grid for grid in offered_grids(user) if can(user, READ, grid.document_class_code)]


def evaluations_for_user(user) -> QuerySet[Evaluation]:
    """Evaluations of the active ESSMS on the grids the user may read, newest first."""
    membership = active_membership(user)
    codes = [grid.code for grid in readable_grids(user)]
    if membership is None or not codes:
        return Evaluation.objects.none()
    return (
        Evaluation.objects.filter(essms_id=membership.essms_id, grid__in=codes)
        .select_related("usager", "created_by")
        .order_by("-evaluated_at", "-pk")
    )


def access_evaluation(*, user, pk, usager_id: int | None = None) -> Evaluation:
    """The evaluation, or 404 (missing, another ESSMS, a grid the métier may not read)."""
    qs = evaluations_for_user(user).filter(pk=pk)
    if usager_id is not None:
        qs = qs.filter(usager_id=usager_id)
    evaluation = qs.first()
    if evaluation is None:
        raise Http404
    return evaluation


def follow_ups_of(evaluation: Evaluation) -> list[CareOccurrence]:
    return list(CareOccurrence.objects.filter(evaluation=evaluation).order_by("due_at", "pk"))


def history_by_grid(*, user, usager: Usager, per_grid: int = TREND_LENGTH) -> list[tuple[Grid, list[Evaluation]]]:
    """For each readable grid, the person's latest evaluations (newest first), one query per grid."""
    out = []
    base = evaluations_for_user(user).filter(usager_id=usager.pk)
    for grid in readable_grids(user):
        rows = list(base.filter(grid=grid.code)[:per_grid])
        out.append((grid, rows))
    return out


def grid_of(evaluation: Evaluation) -> Grid:
    return grid_by_code(evaluation.grid)
