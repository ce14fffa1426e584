"""Nutrition and hydration alerts of a group of persons, for the handover and the evaluation page.

Weight loss: the HAS phenotypic criteria of dénutrition (2019 adult, 2021 aged 70 and over share
them): a loss ≥ 5 % in one month or ≥ 10 % in six months; severe from 10 % / 15 %. The loss is
measured like the weight grid does: from the highest weight recorded in the month (six months)
before the latest weighing, which must be less than a month old on the given day.

Hydration: the day's total against the person's daily target (the grid's default without one).
The day's total is its latest « 24 heures » record, or else its latest « jour » plus its latest
« nuit » records; with only one half-day recorded the target is halved (what the grid does).

Three queries whatever the number of persons: weighings, the day's hydration, the targets.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.permissions import active_membership, can
from soins.grids.hydration import DAILY_TARGET_ML, PERIOD_HOURS
from soins.grids.weight import ONE_MONTH, SIX_MONTHS
from soins.models import Evaluation, HydrationTarget

WEIGHT_LOSS, HYDRATION = "perte_poids", "hydratation"
SEVERE, MODERATE = "severe", "moderee"


@dataclass(frozen=True)
class NutritionAlert:
    usager_id: int
    kind: str  # WEIGHT_LOSS | HYDRATION
    message: str  # French, ready to show
    severity: str  # SEVERE | MODERATE
    observed_at: datetime.datetime


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local day [start, end) in aware datetimes (Europe/Paris)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def hydration_targets(essms_id: int, usager_ids, before: datetime.datetime | None = None) -> dict[int, int]:
    """{usager id: daily target in mL} of the persons who have one (one query)."""
    rows = HydrationTarget.objects.filter(essms_id=essms_id, usager_id__in=list(usager_ids))
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    targets: dict[int, int] = {}
    for usager_id, daily_ml in rows.order_by("usager_id", "-created_at", "-id").values_list("usager_id", "daily_ml"):
        targets.setdefault(usager_id, daily_ml)
    return targets


def hydration_targets_for_user(actor) -> QuerySet[HydrationTarget]:
    """Targets of the active ESSMS, for a métier that may read the « constantes » class."""
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, "constantes"):
        return HydrationTarget.objects.none()
    return (
        HydrationTarget.objects.filter(essms_id=membership.essms_id)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def hydration_targets_page(actor, targets) -> list[HydrationTarget]:
    """A page of targets the API lists, each logged as read."""
    targets = list(targets)
    audit.log_reads(actor, targets, detail="objectifs d'hydratation")
    return targets


def hydration_target_of(usager) -> tuple[int, HydrationTarget | None]:
    """The person's daily target in mL and the row that set it (None: the default applies)."""
    row = (
        HydrationTarget.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk)
        .select_related("created_by")
        .first()
    )
    return (row.daily_ml if row else DAILY_TARGET_ML), row


def _percent(reference: float, current: float) -> Decimal:
    loss = (Decimal(str(reference)) - Decimal(str(current))) / Decimal(str(reference)) * 100
    return loss.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _fr(number) -> str:
    return f"{number:g}".replace(".", ",") if isinstance(number, float) else str(number).replace(".", ",")


def _weight_alert(usager_id: int, weighings: list[tuple[datetime.datetime, float]], since) -> NutritionAlert | None:
    """`weighings` oldest first; the latest must be on or after `since`."""
    current_at, current = weighings[-1]
    if current_at < since:
        return None
    findings = []
    for window, moderate, severe, label in ((ONE_MONTH, 5, 10, "1 mois"), (SIX_MONTHS, 10, 15, "6 mois")):
        earlier = [weight for moment, weight in weighings[:-1] if moment >= current_at - window]
        if not earlier:
            continue
        reference = max(earlier)
        loss = _percent(reference, current)
        if loss >= moderate:
            phrase = f"perte de {_fr(float(loss))} % en {label} ({_fr(reference)} → {_fr(current)} kg)"
            findings.append((loss >= severe, phrase))
    if not findings:
        return None
    is_severe = any(severe for severe, _text in findings)
    kind = "sévère" if is_severe else "modérée"
    text = " ; ".join(phrase for _severe, phrase in findings)
    message = f"Perte de poids — {text} : critère de dénutrition {kind} (HAS), avis médical."
    return NutritionAlert(usager_id, WEIGHT_LOSS, message, SEVERE if is_severe else MODERATE, current_at)


def day_total(records: list[tuple[datetime.datetime, dict]]) -> tuple[int, int, datetime.datetime] | None:
    """(total mL, hours covered, latest moment) of one day's hydration records, oldest first."""
    latest: dict[str, tuple[datetime.datetime, int]] = {}
    for moment, answers in records:
        period, intake = answers.get("periode"), answers.get("apports_ml")
        if period in PERIOD_HOURS and isinstance(intake, int):
            latest[period] = (moment, intake)
    if "24h" in latest:
        parts = [latest["24h"]]
    else:
        parts = [latest[period] for period in ("jour", "nuit") if period in latest]
    if not parts:
        return None
    hours = 24 if len(parts) == 2 or "24h" in latest else 12
    return sum(intake for _moment, intake in parts), hours, max(moment for moment, _intake in parts)


def _hydration_alert(usager_id: int, records: list[tuple[datetime.datetime, dict]], target: int, day):
    """`records` (moment, answers) of the day, oldest first."""
    found = day_total(records)
    if found is None:
        return None
    total, hours, observed_at = found
    expected = target * hours // 24
    if total >= expected:
        return None
    ratio = round(total * 100 / expected)
    scope = "" if hours == 24 else " (demi-journée seulement)"
    message = (
        f"Hydratation du {day:%d/%m} insuffisante : {total} mL bus{scope} pour un objectif de {expected} mL "
        f"({ratio} %) — proposer à boire, surveiller."
    )
    severity = SEVERE if total < expected / 2 else MODERATE
    return NutritionAlert(usager_id, HYDRATION, message, severity, observed_at)


def _oldest_first(rows):
    return rows.order_by("evaluated_at", "pk").values_list("usager_id", "evaluated_at", "answers")


def nutrition_alerts(essms, usager_ids, on_date: datetime.date) -> list[NutritionAlert]:
    """The persons' weight-loss and hydration alerts on `on_date`, by person then kind.

    `essms` (an Essms or its id) scopes every query: a person of another ESSMS yields nothing.
    """
    essms_id = getattr(essms, "pk", essms)
    ids = sorted({int(pk) for pk in usager_ids})
    if not ids:
        return []
    start, end = day_bounds(on_date)
    base = Evaluation.objects.filter(essms_id=essms_id, usager_id__in=ids, evaluated_at__lt=end)
    weighings: dict[int, list] = {}
    rows = base.filter(grid="poids_imc", evaluated_at__gte=start - ONE_MONTH - SIX_MONTHS)
    for usager_id, moment, answers in _oldest_first(rows):
        if isinstance(answers, dict) and isinstance(answers.get("poids"), int | float):
            weighings.setdefault(usager_id, []).append((moment, answers["poids"]))
    drinks: dict[int, list] = {}
    rows = base.filter(grid="hydratation", evaluated_at__gte=start)
    for usager_id, moment, answers in _oldest_first(rows):
        if isinstance(answers, dict):
            drinks.setdefault(usager_id, []).append((moment, answers))
    targets = hydration_targets(essms_id, ids, before=end)
    alerts = []
    for usager_id in ids:
        if usager_id in weighings:
            alert = _weight_alert(usager_id, weighings[usager_id], start - ONE_MONTH)
            if alert:
                alerts.append(alert)
        if usager_id in drinks:
            target = targets.get(usager_id, DAILY_TARGET_ML)
            alert = _hydration_alert(usager_id, drinks[usager_id], target, on_date)
            if alert:
                alerts.append(alert)
    return alerts
