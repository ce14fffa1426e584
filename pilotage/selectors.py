"""Reads of pilotage for a user: which indicators the métier sees, over which scope, and the
persons behind a figure (under the habilitation matrix, each person shown logged as read).

Figures hold no personal data; the drill-down does, so it goes through `can` and `log_reads`.
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound
from dui.models import Essms, Unit, Usager
from dui.permissions import active_membership, can
from pilotage import charts, facts
from pilotage.indicators import BY_CODE, INDICATORS, Indicator, Value, compute
from pilotage.models import AnnualReport
from pilotage.periods import Period
from pilotage.scope import Scope

REFUSED = (
    "Le pilotage est réservé à la direction, à l'encadrement, à la qualité et aux métiers qui suivent une activité "
    "(droit « Tableaux de bord de l'établissement » de la matrice d'habilitation)."
)
OG_REFUSED = (
    "La vue du siège est réservée à la direction, à la qualité et à l'administration de l'organisme "
    "(droit « Tableaux de bord du siège et rapports annuels » de la matrice d'habilitation)."
)
DASHBOARD_CLASS = "tableaux_de_bord"
OG_CLASS = "pilotage_siege"
# The consolidated view of headquarters: additive figures, summed numerator over summed denominator.
OG_CODES = (
    "active_file", "admissions", "exits", "days_realised", "occupancy_rate", "hospitalisation_days",
    "average_length_of_stay", "gmp", "ppa_up_to_date_rate", "falls_per_1000_days", "restraint_in_force",
)  # fmt: skip


def _membership(actor):
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, DASHBOARD_CLASS):
        raise PermissionDenied(REFUSED)
    return membership


def visible_indicators(actor) -> list[Indicator]:
    membership = active_membership(actor)
    if membership is None:
        return []
    return [i for i in INDICATORS if membership.metier in i.metiers]


def unit_of(actor, unit_id) -> Unit | None:
    """The unit asked, which must be one of the active ESSMS (a clear refusal otherwise)."""
    if unit_id in (None, ""):
        return None
    membership = _membership(actor)
    try:
        unit = Unit.objects.filter(pk=int(unit_id), essms_id=membership.essms_id).first()
    except (TypeError, ValueError):
        unit = None
    if unit is None:
        raise ValidationError({"unit": "Cette unité n'existe pas dans votre établissement."})
    return unit


def indicator_of(actor, code: str) -> Indicator:
    indicator = BY_CODE.get(code or "")
    if indicator is None:
        raise ValidationError({"code": f"Indicateur inconnu : « {code} »."})
    if indicator not in visible_indicators(actor):
        raise PermissionDenied(f"L'indicateur « {indicator.label} » n'est pas ouvert à votre métier.")
    return indicator


def essms_scope(actor, period: Period, *, unit_id=None, today=None) -> Scope:
    membership = _membership(actor)
    unit = unit_of(actor, unit_id)
    return Scope([membership.essms_id], period, unit.pk if unit else None, today=today or timezone.localdate())


def indicators_for(actor, period: Period, *, unit_id=None, codes=None) -> list[Value]:
    """The figures of the active ESSMS (or one of its units) the métier may see."""
    scope = essms_scope(actor, period, unit_id=unit_id)
    wanted = [indicator_of(actor, c).code for c in codes] if codes else [i.code for i in visible_indicators(actor)]
    return compute(scope, wanted)


def persons_behind(actor, code: str, period: Period, *, unit_id=None) -> list[Usager]:
    """The persons behind one figure, when the matrix lets the métier read the class it rests on."""
    indicator = indicator_of(actor, code)
    if indicator.persons is None:
        raise ValidationError({"code": f"L'indicateur « {indicator.label} » n'a pas de liste de personnes."})
    if not can(actor, READ, indicator.document_class):
        raise PermissionDenied(f"Votre métier ne peut pas voir les personnes derrière « {indicator.label} ».")
    scope = essms_scope(actor, period, unit_id=unit_id)
    ids = indicator.persons(scope)
    usagers = list(
        Usager.objects.filter(pk__in=ids, essms_id__in=scope.essms_ids).order_by("birth_name", "first_names", "pk")
    )
    audit.log_reads(actor, usagers, detail=f"pilotage : {indicator.label}")
    return usagers


# --- Dashboards --------------------------------------------------------------------------------


@dataclass
class Row:
    current: Value
    previous: Value

    @property
    def indicator(self) -> Indicator:
        return self.current.indicator

    @property
    def delta(self):
        a, b = self.current.value, self.previous.value
        return None if a is None or b is None else round(a - b, 2)


@dataclass
class Board:
    title: str
    period: Period
    previous: Period
    groups: list[tuple[str, list[Row]]]
    charts: list = field(default_factory=list)
    unit: Unit | None = None

    @property
    def rows(self) -> list[Row]:
        return [row for _, rows in self.groups for row in rows]


def _grouped(current: list[Value], previous: list[Value]) -> list[tuple[str, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for now, before in zip(current, previous, strict=True):
        groups.setdefault(now.indicator.group, []).append(Row(now, before))
    return list(groups.items())


def _months(period: Period) -> list[Period]:
    months, start = [], period.start.replace(day=1)
    while start <= period.end and len(months) < 60:
        end = start + relativedelta(months=1, days=-1)
        months.append(Period(max(start, period.start), min(end, period.end)))
        start = end + datetime.timedelta(days=1)
    return months


def _board_charts(scope: Scope, values: dict[str, Value]) -> list:
    months = _months(scope.period)
    by_month = facts.monthly_days(scope.essms_ids, scope.start, scope.end, unit_id=scope.unit_id, today=scope.today)
    present = [by_month.get(m.start.replace(day=1), {}).get("present", 0) for m in months]
    hospital = [by_month.get(m.start.replace(day=1), {}).get("hospitalised", 0) for m in months]
    labels = [f"{m.start:%m/%Y}" for m in months]
    result = [
        charts.bars(
            "Journées réalisées et d'hospitalisation par mois",
            labels,
            {"Journées réalisées": present, "Journées d'hospitalisation": hospital},
        )
    ]
    for code in ("gir_distribution", "exits"):
        value = values.get(code)
        if value is not None and value.breakdown:
            labels = list(value.breakdown)
            result.append(charts.bars(value.indicator.label, labels, {"Personnes": list(value.breakdown.values())}))
    return result


def essms_board(actor, period: Period, *, unit_id=None) -> Board:
    """Director's (ESSMS) or cadre's (one unit) dashboard: every visible figure, with the previous period."""
    scope = essms_scope(actor, period, unit_id=unit_id)
    codes = [i.code for i in visible_indicators(actor)]
    previous = Scope(scope.essms_ids, period.previous(), scope.unit_id, today=scope.today)
    current_values = compute(scope, codes)
    board = Board(
        title=str(Essms.objects.get(pk=scope.essms_ids[0])),
        period=period,
        previous=previous.period,
        groups=_grouped(current_values, compute(previous, codes)),
        unit=unit_of(actor, unit_id),
    )
    board.charts = _board_charts(scope, {v.code: v for v in current_values})
    return board


@dataclass
class OgBoard:
    title: str
    period: Period
    indicators: list[Indicator]
    columns: list[tuple[Essms, list[Value]]]
    total: list[Value]
    previous_total: list[Value]
    charts: list = field(default_factory=list)


def _consolidated(per_essms: list[list[Value]]) -> list[Value]:
    """OG totals: numerators and denominators summed over the ESSMS (each person belongs to one ESSMS)."""
    total = []
    for values in zip(*per_essms, strict=True):
        indicator = values[0].indicator
        numerator = sum(v.numerator or 0 for v in values)
        dens = [v.denominator for v in values if v.denominator is not None]
        denominator = sum(dens) if dens else None
        if indicator.is_rate:
            value = round(numerator / denominator * indicator.factor, 2) if denominator else None
        else:
            value = numerator
        breakdown = {}
        for v in values:
            for key, n in v.breakdown.items():
                breakdown[key] = breakdown.get(key, 0) + n
        total.append(Value(indicator, numerator, denominator, value, breakdown))
    return total


def side_by_side(establishments, period: Period, *, today=None) -> list[tuple[Essms, list[Value]]]:
    """OG_CODES for each ESSMS; séjours and stored day totals are read once for all of them."""
    today = today or timezone.localdate()
    ids = [e.pk for e in establishments]
    whole = Scope(ids, period, today=today)
    days = facts.present_days_by_essms(ids, period.start, period.end, today=today)
    by_essms = {}
    for stay in whole.stays:
        by_essms.setdefault(stay.essms_id, []).append(stay)
    columns = []
    for essms in establishments:
        scope = Scope([essms.pk], period, today=today)
        scope.__dict__["stays"] = by_essms.get(essms.pk, [])  # cached_property: filled from the shared read
        scope.__dict__["day_totals"] = days[essms.pk]
        columns.append((essms, compute(scope, OG_CODES)))
    return columns


def og_board(actor, period: Period) -> OgBoard:
    """Headquarters: every ESSMS of the OG side by side, and the OG total (aggregates only)."""
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, OG_CLASS):
        raise PermissionDenied(OG_REFUSED)
    today = timezone.localdate()
    establishments = list(Essms.objects.filter(og_id=membership.essms.og_id).order_by("name"))
    columns = side_by_side(establishments, period, today=today)
    # The previous total in one pass over every ESSMS (sums of disjoint ESSMS: the same figures).
    previous = compute(Scope([e.pk for e in establishments], period.previous(), today=today), OG_CODES)
    board = OgBoard(
        title=membership.essms.og.name,
        period=period,
        indicators=[BY_CODE[c] for c in OG_CODES],
        columns=columns,
        total=_consolidated([values for _, values in columns]) if columns else [],
        previous_total=previous if establishments else [],
    )
    occupancy = OG_CODES.index("occupancy_rate")
    board.charts = [
        charts.bars(
            "Taux d'occupation par établissement (%)",
            [e.name for e, _ in columns],
            {"Taux d'occupation": [values[occupancy].value for _, values in columns]},
            horizontal=True,
        )
    ]
    return board


def may_see_og(actor) -> bool:
    return active_membership(actor) is not None and can(actor, READ, OG_CLASS)


def may_steer(actor) -> bool:
    return active_membership(actor) is not None and can(actor, READ, DASHBOARD_CLASS)


# --- Annual reports ----------------------------------------------------------------------------


def reports_for(actor):
    """Versions of the reports of the active ESSMS and of its OG (headquarters' métiers only)."""
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, OG_CLASS):
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(
        Q(essms_id=membership.essms_id) | Q(essms__isnull=True, og_id=membership.essms.og_id)
    ).select_related("essms", "og", "requested_by")


def access_report(actor, pk):
    report = reports_for(actor).filter(pk=pk).first()
    if report is None:
        raise NotFound
    return report
