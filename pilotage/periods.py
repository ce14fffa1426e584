"""Periods of the dashboards: month, quarter, year or custom dates, checked once, with the previous one."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

MAX_YEARS = 5
KINDS = {"month": "Mois", "quarter": "Trimestre", "year": "Année", "custom": "Période libre"}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same shape just before: the previous month, quarter or year when aligned."""
        if self.months:
            start = self.start - relativedelta(months=self.months)
            return Period(start, self.start - datetime.timedelta(days=1))
        return Period(self.start - datetime.timedelta(days=self.days), self.start - datetime.timedelta(days=1))

    @property
    def months(self) -> int:
        """Whole months covered when the period starts on the 1st (0 otherwise)."""
        delta = relativedelta(self.end + datetime.timedelta(days=1), self.start)
        return delta.years * 12 + delta.months if delta.days == 0 and self.start.day == 1 else 0

    @property
    def label(self) -> str:
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


def _parse_day(value, name: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError({name: f"« {value or ''} » n'est pas une date (aaaa-mm-jj)."}) from None


def period_of(start, end) -> Period:
    """A custom period from two dates; refused when the end precedes the start or it exceeds 5 years."""
    start, end = _parse_day(start, "start"), _parse_day(end, "end")
    if end < start:
        raise ValidationError({"end": "La fin de la période précède son début."})
    if end > start + relativedelta(years=MAX_YEARS):
        raise ValidationError({"end": f"La période ne peut pas dépasser {MAX_YEARS} ans."})
    return Period(start, end)


def preset(kind: str, anchor: datetime.date | None = None) -> Period:
    """The month, quarter or year containing `anchor` (today by default)."""
    anchor = anchor or timezone.localdate()
    if kind == "year":
        return Period(anchor.replace(month=1, day=1), anchor.replace(month=12, day=31))
    if kind == "quarter":
        start = anchor.replace(month=3 * ((anchor.month - 1) // 3) + 1, day=1)
        return Period(start, start + relativedelta(months=3, days=-1))
    start = anchor.replace(day=1)
    return Period(start, start + relativedelta(months=1, days=-1))


def from_query(params) -> Period:
    """The period asked by a page or API query: `start`/`end`, or `period` (month…) with `anchor`."""
    kind = params.get("period") or ""
    if kind in ("month", "quarter", "year"):
        anchor = _parse_day(params["anchor"], "anchor") if params.get("anchor") else None
        return preset(kind, anchor)
    if params.get("start") or params.get("end"):
        return period_of(params.get("start"), params.get("end"))
    return preset("month")
