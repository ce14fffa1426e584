"""Evaluation screens: a person's evaluations by grid (with the latest values as a trend table), the
full questionnaire of a grid on one tablet page, and the result page (score, interpretation, follow-ups)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ
from dui.errors import NotFound
from dui.permissions import can
from dui.selectors.medical import DossierSection
from dui.services.common import ARCHIVED_MESSAGE
from soins.grids import Grid, grid_by_code
from soins.grids.constantes import RANGES
from soins.grids.engine import (
    ADVERB_CODES,
    ADVERB_LABELS,
    ADVERBS,
    BOOLEAN,
    CHOICE,
    GRID_LEVEL,
    MULTICHOICE,
    parse_form_value,
)
from soins.grids.hydration import DAILY_TARGET_ML, MAX_DAILY_TARGET_ML, MIN_DAILY_TARGET_ML
from soins.selectors import curves
from soins.selectors import evaluations as evaluation_selectors
from soins.selectors.nutrition import hydration_target_of, nutrition_alerts
from soins.services import evaluations as evaluation_services
from soins.services import nutrition as nutrition_services

YES_NO = (("oui", "Oui"), ("non", "Non"))
# Grids shown with a trend table: the columns (item code, heading) besides the date.
TREND_COLUMNS = {
    "constantes": [(code, f"{label} ({unit})") for code, (label, unit, *_rest) in RANGES.items()],
    "poids_imc": [("poids", "Poids (kg)"), ("imc", "IMC"), ("perte_1_mois_pct", "Perte 1 mois (%)")],
    "hydratation": [("periode", "Période"), ("apports_ml", "Apports (mL)")],
    "selles": [("nombre", "Nombre"), ("bristol", "Bristol")],
}


def _usager(actor, pk):
    """The person of the active ESSMS, or NotFound."""
    usager = selectors.access_usager(actor, pk=pk)
    if actor.essms_id is None or usager.essms_id != actor.essms_id:
        raise NotFound
    return usager


def _trend(grid: Grid, rows) -> list[dict] | None:
    columns = TREND_COLUMNS.get(grid.code)
    if not columns or not rows:
        return None
    lines = []
    for evaluation in rows:
        values = {**evaluation.answers, **evaluation.results}
        flags = evaluation.results.get("hors_normes", {}) if grid.code == "constantes" else {}
        cells = [{"value": values.get(code, ""), "flag": flags.get(code, "")} for code, _heading in columns]
        lines.append({"evaluation": evaluation, "cells": cells})
    return [{"headings": [heading for _code, heading in columns], "lines": lines}]


@login_required
def usager_evaluations(request, pk):
    """A person's grids: curves over the chosen period (?periode=7|30|90|180), nutrition alerts,
    the hydration target, and the latest evaluations of each grid. An unknown period is a 400."""
    actor = actor_of(request)
    usager = _usager(actor, pk)
    status, period_error = 200, ""
    try:
        days = curves.parse_period(request.GET.get("periode"))
    except ValidationError as error:
        status, period_error, days = 400, error.message_dict["periode"][0], curves.DEFAULT_PERIOD
    history, charts_by_grid = curves.evaluations_page(actor, usager, days=days)
    writable = usager.archived_at is None
    sections = [
        {
            "grid": grid,
            "rows": rows,
            "trend": (_trend(grid, rows) or [None])[0] if grid.code not in charts_by_grid else None,
            "charts": charts_by_grid.get(grid.code, []),
            "can_record": writable and evaluation_services.may_record(actor, usager, grid),
        }
        for grid, rows in history
    ]
    reads_nutrition = can(actor, READ, DossierSection(usager, nutrition_services.TARGET_CLASS))
    target_ml, target_row = hydration_target_of(usager) if reads_nutrition else (None, None)
    context = {
        "usager": usager,
        "sections": sections,
        "periods": [(value, value == days) for value in curves.PERIODS],
        "days": days,
        "curve_grids": curves.CURVE_GRIDS,
        "period_error": period_error,
        "alerts": nutrition_alerts(usager.essms_id, [usager.pk], timezone.localdate()) if reads_nutrition else [],
        "target_ml": target_ml,
        "target_row": target_row,
        "target_default": DAILY_TARGET_ML,
        "target_bounds": (MIN_DAILY_TARGET_ML, MAX_DAILY_TARGET_ML),
        "can_set_target": writable and nutrition_services.may_set_target(actor, usager),
    }
    return render(request, "soins/evaluations/list.html", context, status=status)


def _field(item, data, errors: dict) -> dict:
    """What the template needs to draw one item: its inputs with their current state."""
    field = {"item": item, "name": f"q_{item.code}", "error": errors.get(item.code, "")}
    if item.type == BOOLEAN:
        current = data.get(field["name"], "")
        field["options"] = [(value, label, value == current) for value, label in YES_NO]
    elif item.type == CHOICE or item.scale:
        current = data.get(field["name"], "")
        pairs = item.choices if item.type == CHOICE else [(str(value), label) for value, label in item.scale]
        field["options"] = [(value, label, value == current) for value, label in pairs]
    elif item.type == MULTICHOICE:
        current = data.getlist(field["name"]) if hasattr(data, "getlist") else []
        field["options"] = [(value, label, value in current) for value, label in item.choices]
    elif item.type == ADVERBS:
        field["adverbs"] = [
            {
                "code": code,
                "label": ADVERB_LABELS[code][0],
                "help": ADVERB_LABELS[code][1],
                "name": f"{field['name']}_{code}",
                "options": [
                    (value, label, data.get(f"{field['name']}_{code}", "") == value) for value, label in YES_NO
                ],
            }
            for code in ADVERB_CODES
        ]
    else:
        field["value"] = data.get(field["name"], "")
    return field


def _live(grid: Grid) -> dict | None:
    """The running-score definition the form's script reads (None: the grid shows none)."""
    if grid.live is None:
        return None
    items = [item.code for item in grid.items if item.type == BOOLEAN] if grid.live["method"] == "count_true" else []
    label = grid.score_label.split(" (")[0]
    return {**grid.live, "items": items or [grid.live["item"]], "prefix": "q_", "yes": "oui", "label": label}


def _answers_from(grid: Grid, data) -> dict:
    answers = {}
    for item in grid.items:
        value = parse_form_value(item, data, prefix="q_")
        if value is not None:
            answers[item.code] = value
    return answers


def _moment_from(raw: str):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"evaluated_at": "Date et heure invalides (format AAAA-MM-JJ HH:MM)."})
    return moment


@login_required
def evaluation_create(request, pk, grid):
    actor = actor_of(request)
    usager = _usager(actor, pk)
    grid = grid_by_code(grid)
    if not evaluation_services.may_record(actor, usager, grid):
        raise NotFound
    list_url = reverse("usager-evaluations", kwargs={"pk": usager.pk})
    if usager.archived_at is not None:
        messages.error(request, ARCHIVED_MESSAGE)
        return redirect(list_url)
    errors: dict[str, str] = {}
    general: list[str] = []
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            evaluation = evaluation_services.evaluation_record(
                actor,
                usager=usager,
                grid=grid.code,
                answers=_answers_from(grid, request.POST),
                evaluated_at=_moment_from(request.POST.get("evaluated_at")),
                comment=request.POST.get("comment", ""),
            )
        except PermissionDenied:
            raise NotFound from None
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, texts in error.message_dict.items():
                    if key in grid.item_by_code or key in ("evaluated_at", "comment"):
                        errors[key] = " ".join(texts)
                    else:
                        general.extend(texts)
            else:
                general.extend(error.messages)
        else:
            messages.success(request, f"Évaluation « {grid.label} » enregistrée.")
            return redirect("evaluation-detail", pk=usager.pk, evaluation_pk=evaluation.pk)
    sections = [
        {"heading": heading, "fields": [_field(item, data, errors) for item in items]} for heading, items in grid.groups
    ]
    context = {
        "usager": usager,
        "grid": grid,
        "sections": sections,
        "errors": errors,
        "general": general,
        "error_count": len(errors) + len(general),
        "evaluated_at": data.get("evaluated_at", "") if data else timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "comment": data.get("comment", "") if data else "",
        "grid_level": GRID_LEVEL,
        "live": _live(grid),
    }
    return render(request, "soins/evaluations/form.html", context)


@login_required
def evaluation_detail(request, pk, evaluation_pk):
    actor = actor_of(request)
    usager = _usager(actor, pk)
    evaluation = evaluation_selectors.access_evaluation(actor, evaluation_pk, usager_id=usager.pk, log=True)
    grid = evaluation_selectors.grid_of(evaluation)
    lines = []
    for item in grid.items:
        if item.code not in evaluation.answers:
            continue
        value = evaluation.answers[item.code]
        if item.type == BOOLEAN:
            shown = "Oui" if value else "Non"
        elif item.type == CHOICE:
            shown = dict(item.choices).get(value, value)
        elif item.type == MULTICHOICE:
            shown = ", ".join(dict(item.choices).get(v, v) for v in value) or "Aucun"
        elif item.type == ADVERBS:
            done = [ADVERB_LABELS[code][0].lower() for code in ADVERB_CODES if value.get(code)]
            shown = f"{value['modalite']}" + (f" (fait : {', '.join(done)})" if set(value) > {"modalite"} else "")
        elif item.scale:
            shown = dict(item.scale).get(value, value)
        else:
            shown = f"{value:g} {item.unit}".replace(".", ",").strip()
        lines.append({"label": item.label, "value": shown})
    context = {
        "usager": usager,
        "grid": grid,
        "evaluation": evaluation,
        "lines": lines,
        "follow_ups": evaluation_selectors.follow_ups_of(evaluation),
        "variables": evaluation.results.get("variables") if grid.code == "aggir" else None,
    }
    return render(request, "soins/evaluations/detail.html", context)
