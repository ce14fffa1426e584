"""Handover sources of the soins app, registered into transmissions.sources from SoinsConfig.ready.

What the next shift must know besides transmissions: evaluations with an abnormal score (the
grid called for a follow-up: Algoplus ≥ 2, EN ≥ 4, constantes in the alert column…) or a score
that changed since the previous one, care not done or refused, "si besoin" doses given,
prescriptions started or stopped. One query per source whatever the number of persons; each
reads through the app's scoped selectors, so the matrix decides what shows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from dui.catalogue import READ
from dui.permissions import can
from dui.shifts import SHIFT_TIMEZONE
from soins.grids import grid_by_code
from soins.models import CareOccurrence, OccurrenceStatus
from soins.selectors.evaluations import evaluations_for_user
from soins.selectors.medication import lines_for_user
from soins.selectors.nutrition import SEVERE, nutrition_alerts
from soins.selectors.worklist import occurrences_for_user
from transmissions.sources import ALERT, IMPORTANT, INFO, SourceItem, register_handover_source

# A score is compared with the previous evaluation of the same grid up to this long before.
SCORE_LOOKBACK = datetime.timedelta(days=30)
NOT_DONE = (OccurrenceStatus.NOT_DONE, OccurrenceStatus.REFUSED)


def _ids(usagers) -> list[int]:
    return [usager.pk for usager in usagers]


def _short_grid(code: str) -> str:
    try:
        label = grid_by_code(code).label
    except Exception:  # a grid removed from the code since: its code still names it
        return code
    return label.split(" (")[0]


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}"


def _abnormal(results: dict, has_follow_up: bool) -> bool:
    results = results or {}
    return bool(
        has_follow_up or results.get("douleur_probable") or results.get("seuil_traitement") or results.get("alertes")
    )


def evaluations_source(*, user, essms, unit, start, end, usagers) -> list[SourceItem]:
    """Evaluations of the window that are abnormal (alert) or whose score changed (info)."""
    ids = _ids(usagers)
    if not ids:
        return []
    rows = (
        evaluations_for_user(user)
        .filter(usager_id__in=ids, evaluated_at__gte=start - SCORE_LOOKBACK, evaluated_at__lt=end)
        .annotate(follow_up=Exists(CareOccurrence.objects.filter(evaluation_id=OuterRef("pk"))))
        .order_by("usager_id", "grid", "evaluated_at", "id")
        .values_list("id", "usager_id", "grid", "score", "interpretation", "evaluated_at", "results", "follow_up")
    )
    items, previous = [], {}
    for pk, usager_id, grid, score, interpretation, evaluated_at, results, follow_up in rows:
        before = previous.get((usager_id, grid))
        previous[(usager_id, grid)] = score
        if evaluated_at < start:
            continue
        url = reverse("evaluation-detail", args=[usager_id, pk])
        name = _short_grid(grid)
        if _abnormal(results, follow_up):
            label = interpretation.split(". ")[0] if interpretation else f"{name} : {_number(score)}"
            items.append(SourceItem(usager_id, evaluated_at, ALERT, label, url, kind="evaluation"))
        elif before is not None and score is not None and score != before:
            label = f"{name} : {_number(score)} (avant : {_number(before)})"
            items.append(SourceItem(usager_id, evaluated_at, INFO, label, url, kind="evaluation"))
    return items


def _chart_url(usager_id: int, moment: datetime.datetime) -> str:
    day = moment.astimezone(SHIFT_TIMEZONE).date().isoformat()
    return f"{reverse('medication-chart', args=[usager_id])}?{urlencode({'date': day})}"


def care_source(*, user, essms, unit, start, end, usagers) -> list[SourceItem]:
    """Care and doses not done or refused, and "si besoin" doses given, in the window."""
    ids = _ids(usagers)
    if not ids:
        return []
    due_in = Q(due_at__gte=start, due_at__lt=end) | Q(recorded_at__gte=start, recorded_at__lt=end)
    rows = (
        occurrences_for_user(user)
        .filter(usager_id__in=ids)
        .filter(due_in)
        .filter(Q(status__in=NOT_DONE) | Q(status=OccurrenceStatus.DONE, prescription__as_needed=True))
        .order_by("due_at", "id")
        .values_list("usager_id", "label", "status", "comment", "due_at", "performed_at", "prescription_id")
    )
    items = []
    for usager_id, label, status, comment, due_at, performed_at, prescription_id in rows:
        moment = performed_at or due_at
        url = _chart_url(usager_id, moment) if prescription_id else reverse("care-plan", args=[usager_id])
        if status == OccurrenceStatus.DONE:
            text = label if "si besoin" in label else f"{label} (si besoin)"
            items.append(SourceItem(usager_id, moment, IMPORTANT, f"Donné : {text}", url, kind="si_besoin"))
            continue
        verb = "Refusé" if status == OccurrenceStatus.REFUSED else "Non fait"
        text = f"{verb} : {label}" + (f" — {comment}" if comment else "")
        items.append(SourceItem(usager_id, moment, IMPORTANT, text, url, kind="soin_non_fait"))
    return items


def prescriptions_source(*, user, essms, unit, start, end, usagers) -> list[SourceItem]:
    """Prescription lines written or stopped in the window."""
    ids = _ids(usagers)
    if not ids:
        return []
    rows = (
        lines_for_user(user)
        .prefetch_related(None)
        .filter(usager_id__in=ids)
        .filter(Q(created_at__gte=start, created_at__lt=end) | Q(stopped_at__gte=start, stopped_at__lt=end))
        .order_by("created_at", "id")
        .values_list("usager_id", "drug", "dose", "created_at", "stopped_at", "stop_reason")
    )
    items = []
    for usager_id, drug, dose, created_at, stopped_at, stop_reason in rows:
        url = reverse("medication-prescriptions", args=[usager_id])
        what = f"{drug} {dose}".strip()
        if start <= created_at < end:
            items.append(
                SourceItem(usager_id, created_at, IMPORTANT, f"Nouvelle prescription : {what}", url, "prescription")
            )
        if stopped_at is not None and start <= stopped_at < end:
            reason = f" ({stop_reason})" if stop_reason else ""
            items.append(SourceItem(usager_id, stopped_at, IMPORTANT, f"Arrêt : {what}{reason}", url, "prescription"))
    return items


# A weight loss or a short day of drinks stays on the relève for a day after it was measured.
NUTRITION_LOOKBACK = datetime.timedelta(days=1)


def nutrition_source(*, user, essms, unit, start, end, usagers) -> list[SourceItem]:
    """Weight loss (HAS dénutrition criteria) and a day's drinks below the person's target."""
    ids = _ids(usagers)
    if not ids or not can(user, READ, "constantes"):
        return []
    day = (end - datetime.timedelta(microseconds=1)).astimezone(SHIFT_TIMEZONE).date()
    return [
        SourceItem(
            alert.usager_id,
            alert.observed_at,
            ALERT if alert.severity == SEVERE else IMPORTANT,
            alert.message,
            reverse("usager-evaluations", args=[alert.usager_id]),
            kind="nutrition",
        )
        for alert in nutrition_alerts(essms, ids, day)
        if start - NUTRITION_LOOKBACK <= alert.observed_at < end
    ]


def register() -> None:
    register_handover_source("evaluations", evaluations_source)
    register_handover_source("soins", care_source)
    register_handover_source("prescriptions", prescriptions_source)
    register_handover_source("nutrition", nutrition_source)
