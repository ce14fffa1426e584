"""The curves of a person's evaluation page: each constante, the weight and the daily hydration
over a chosen period, with the thresholds the grids use. One query for the period's rows."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone

from dui import audit
from dui.models import Usager
from soins import charts
from soins.grids.constantes import CONSTANTES, RANGES
from soins.grids.hydration import HYDRATION
from soins.grids.weight import ELDERLY_AGE, ONE_MONTH, WEIGHT
from soins.selectors.evaluations import evaluations_for_user, history_by_grid
from soins.selectors.nutrition import day_total, hydration_target_of

PERIODS = (7, 30, 90, 180)
DEFAULT_PERIOD = 30
CURVE_GRIDS = (CONSTANTES.code, WEIGHT.code, HYDRATION.code)


def parse_period(raw) -> int:
    """The period in days from the query string (default 30), or a French ValidationError."""
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    if not raw:
        return DEFAULT_PERIOD
    if raw.isascii() and raw.isdigit() and int(raw) in PERIODS:
        return int(raw)
    choices = ", ".join(str(days) for days in PERIODS)
    raise ValidationError({"periode": f"Période inconnue : choisissez {choices} jours."})


def _age(usager: Usager) -> int:
    today, born = timezone.localdate(), usager.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _constantes(rows, start, end) -> list[charts.Chart]:
    out = []
    grid_items = CONSTANTES.item_by_code
    for code, (label, unit, low, high, alert_low, alert_high) in RANGES.items():
        series = [
            (row.evaluated_at, row.answers[code], row.results.get("hors_normes", {}).get(code, ""))
            for row in rows
            if code in row.answers
        ]
        if not series:
            continue
        item = grid_items[code]
        lines = [
            (value, f"Seuil d'alerte {way}", "alert")
            for value, way in ((alert_low, "bas"), (alert_high, "haut"))
            if item.minimum <= value <= item.maximum and value not in (low, high)
        ]
        out.append(
            charts.build(code, label, unit, series, start, end, lines=tuple(lines), band=(low, high, "Normes usuelles"))
        )
    return out


def _weight(rows, usager: Usager, start, end) -> charts.Chart | None:
    series = [(row.evaluated_at, row.answers["poids"], "") for row in rows if "poids" in row.answers]
    if not series:
        return None
    height = next((row.answers["taille"] for row in reversed(rows) if "taille" in row.answers), None)
    height = height or next((row.results["taille_cm"] for row in reversed(rows) if "taille_cm" in row.results), None)
    lines = []
    if height:
        metres2 = (height / 100) ** 2
        bmi = (22, 20) if _age(usager) >= ELDERLY_AGE else (18.5, 17)
        lines.append((round(bmi[0] * metres2, 1), f"IMC {charts.fr(float(bmi[0]))}", "alert"))
        lines.append((round(bmi[1] * metres2, 1), f"IMC {charts.fr(float(bmi[1]))} (sévère)", "severe"))
    last_at = series[-1][0]
    month = [value for moment, value, _flag in series[:-1] if moment >= last_at - ONE_MONTH]
    if month:
        lines.append((round(max(month) * 0.95, 1), "−5 % en 1 mois", "loss"))
    return charts.build("poids", "Poids", "kg", series, start, end, lines=tuple(lines))


def _hydration(rows, usager: Usager, start, end) -> charts.Chart | None:
    by_day = defaultdict(list)
    for row in rows:
        by_day[timezone.localtime(row.evaluated_at).date()].append((row.evaluated_at, row.answers))
    target, _row = hydration_target_of(usager)
    series = []
    for day in sorted(by_day):
        found = day_total(by_day[day])
        if found is None:
            continue
        total, hours, moment = found
        flag = "bas" if total < target * hours // 24 else ""
        series.append((moment, total, flag))
    if not series:
        return None
    lines = ((target, "Objectif par jour", "target"), (target // 2, "Risque : moitié de l'objectif", "severe"))
    return charts.build("hydratation", "Hydratation (total du jour)", "mL", series, start, end, lines=lines)


def evaluation_curves(actor, usager: Usager, *, days: int) -> tuple[dict[str, list[charts.Chart]], list]:
    """({grid code: charts}, rows read) over the last `days` days, grids the actor may read only."""
    end = timezone.now()
    start = end - datetime.timedelta(days=days)
    rows = list(
        evaluations_for_user(actor)
        .filter(usager_id=usager.pk, grid__in=CURVE_GRIDS, evaluated_at__gte=start)
        .order_by("evaluated_at", "pk")
    )
    of = defaultdict(list)
    for row in rows:
        of[row.grid].append(row)
    out: dict[str, list[charts.Chart]] = {}
    if of[CONSTANTES.code]:
        out[CONSTANTES.code] = _constantes(of[CONSTANTES.code], start, end)
    weight = _weight(of[WEIGHT.code], usager, start, end)
    if weight:
        out[WEIGHT.code] = [weight]
    hydration = _hydration(of[HYDRATION.code], usager, start, end)
    if hydration:
        out[HYDRATION.code] = [hydration]
    return out, rows


def evaluations_page(actor, usager: Usager, *, days: int) -> tuple[list, dict[str, list[charts.Chart]]]:
    """A person's evaluation page: (history by grid, {grid code: charts}); every evaluation shown
    (latest of each grid, points of the curves) logged as read once."""
    history = history_by_grid(actor, usager)
    charts_by_grid, curve_rows = evaluation_curves(actor, usager, days=days)
    seen, shown = set(), []
    for evaluation in [row for _grid, rows in history for row in rows] + curve_rows:
        if evaluation.pk not in seen:
            seen.add(evaluation.pk)
            shown.append(evaluation)
    audit.log_reads(actor, shown, detail="historique des évaluations")
    return history, charts_by_grid
