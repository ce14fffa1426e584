"""The habilitation matrix editor: the whole grid (métiers × classes × actions) or one métier at a time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dui import governance, selectors
from dui.actor import actor_of
from dui.catalogue import ACTIONS, READ, TIER_LABELS, WRITE
from dui.errors import NotFound
from dui.models import Metier
from dui.permissions import can
from dui.views import habilitation_grid

HISTORY_SIZE = 50


def _tiers(cells: dict[str, set[str]]) -> list[dict]:
    """[{label, classes: [{code, label, actions: [{action, label, granted}]}]}] in catalogue order."""
    by_tier: dict[str, list] = {tier: [] for tier in TIER_LABELS}
    for document_class in selectors.document_classes(cells):
        granted = cells[document_class.code]
        by_tier.setdefault(document_class.tier, []).append(
            {
                "code": document_class.code,
                "label": document_class.label,
                "actions": [
                    {"action": action, "label": governance.ACTION_LABELS[action], "granted": action in granted}
                    for action in ACTIONS
                ],
            }
        )
    return [{"label": TIER_LABELS.get(tier, tier), "classes": classes} for tier, classes in by_tier.items() if classes]


def _history(actor) -> list[dict]:
    return [
        {"change": change, "action": governance.ACTION_LABELS.get(change.action, change.action)}
        for change in selectors.habilitation_changes_for_user(actor)[:HISTORY_SIZE]
    ]


def _render_grid(request, *, errors=(), status=200):
    actor = actor_of(request)
    editable = can(actor, WRITE, "habilitations")
    context = {
        "grid": habilitation_grid.grid(actor, editable=editable),
        "metier_choices": Metier.choices,
        "editable": editable,
        "errors": errors,
        "history": _history(actor),
    }
    return render(request, "dui/habilitations/grid.html", context, status=status)


def _render_matrix(request, metier: str | None, *, errors=(), status=200):
    actor = actor_of(request)
    cells = governance.matrix_cells(actor, metier) if metier else {}
    history = _history(actor)
    context = {
        "metiers": Metier.choices,
        "metier": metier,
        "metier_label": Metier(metier).label if metier else "",
        "tiers": _tiers(cells),
        "editable": can(actor, WRITE, "habilitations"),
        "errors": errors,
        "history": history,
    }
    return render(request, "dui/habilitations/matrix.html", context, status=status)


@require_GET
@login_required
def habilitation_matrix(request):
    actor_of(request).require(READ, "habilitations")
    metier = request.GET.get("metier") or None
    if metier is None:
        return _render_grid(request)
    governance.metier_or_404(metier)
    return _render_matrix(request, metier)


@require_POST
@login_required
def habilitation_grid_save(request):
    """Save the whole grid at once; each changed cell is still one audited change."""
    actor = actor_of(request)
    if not can(actor, WRITE, "habilitations"):
        raise NotFound
    try:
        wanted = governance.parse_grid_cells(
            request.POST.getlist("metier"), request.POST.getlist("classe"), request.POST.getlist("cell")
        )
        changed = governance.habilitation_grid_set(actor, wanted=wanted)
    except ValidationError as error:
        return _render_grid(request, errors=error.messages, status=400)
    if changed:
        messages.success(
            request,
            f"Matrice enregistrée : {changed} case{'s' if changed > 1 else ''} modifiée{'s' if changed > 1 else ''}.",
        )
    else:
        messages.info(request, "Aucune modification.")
    return redirect("habilitation-matrix")


@require_POST
@login_required
def habilitation_matrix_save(request, metier: str):
    actor = actor_of(request)
    if not can(actor, WRITE, "habilitations"):
        raise NotFound
    governance.metier_or_404(metier)
    try:
        wanted = governance.parse_matrix_cells(request.POST.getlist("classe"), request.POST.getlist("cell"))
        changed = governance.habilitation_matrix_set(actor, metier=metier, wanted=wanted)
    except ValidationError as error:
        return _render_matrix(request, metier, errors=error.messages, status=400)
    label = Metier(metier).label
    if changed:
        messages.success(
            request,
            f"Matrice enregistrée pour « {label} » : {changed} case{'s' if changed > 1 else ''} "
            f"modifiée{'s' if changed > 1 else ''}.",
        )
    else:
        messages.info(request, f"Aucune modification pour « {label} ».")
    return redirect(f"{reverse('habilitation-matrix')}?metier={metier}")
