"""A page of the access log, newest first, read window by window back in time.

Years of log are partitioned by month. One `ORDER BY at DESC LIMIT 51` over every partition plans
and scans each of them (and sorts what a GIN index found in all of them); the same page read from the
last month, then the two before, then the four before… touches one partition when the page fills there, as it
does for the common questions (this person, this professional, lately). Pages follow each other by
keyset (the last row's date and id), so no COUNT over years of log is ever needed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dui.models import AccessLog

CURSOR_SEPARATOR = "_"


@dataclass(frozen=True)
class LogPage:
    rows: list[AccessLog]
    next_cursor: str  # "" when this is the oldest page
    is_first: bool


def _cursor_of(row: AccessLog) -> str:
    return f"{row.at.isoformat()}{CURSOR_SEPARATOR}{row.pk}"


def parse_cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    """The (date, id) a page starts after; None for the newest page or a cursor that does not parse."""
    if not value or CURSOR_SEPARATOR not in value:
        return None
    at_text, _, pk_text = value.rpartition(CURSOR_SEPARATOR)
    try:
        at = parse_datetime(at_text)
    except ValueError:  # well formed but not a date (month 13…)
        return None
    if at is None or not pk_text.isdigit() or timezone.is_naive(at):
        return None
    return at, int(pk_text)


def _windows(upper: datetime.datetime):
    """(lower, upper) bounds going back 1, 2, 4, 8… months until the retention is covered."""
    oldest = upper - datetime.timedelta(days=31 * (settings.ACCESS_LOG_RETENTION_MONTHS + 12))
    span = datetime.timedelta(days=31)
    while upper > oldest:
        lower = max(upper - span, oldest)
        yield lower, upper
        upper = lower
        span *= 2
    yield None, upper  # anything older still (archives not run, rows dated in the past)


def access_log_page(queryset: QuerySet[AccessLog], *, after: str | None = None, size: int = 50) -> LogPage:
    """`size` rows of `queryset` (already scoped and filtered), newest first, after the cursor."""
    start = parse_cursor(after)
    ordered = queryset.order_by("-at", "-pk")
    if start is not None:
        at, pk = start
        ordered = ordered.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
        upper = at + datetime.timedelta(microseconds=1)
    else:
        upper = timezone.now() + datetime.timedelta(days=1)
    rows: list[AccessLog] = []
    for lower, window_upper in _windows(upper):
        window = ordered.filter(at__lt=window_upper)
        if lower is not None:
            window = window.filter(at__gte=lower)
        rows.extend(window[: size + 1 - len(rows)])
        if len(rows) > size:
            break
    has_more = len(rows) > size
    rows = rows[:size]
    return LogPage(rows=rows, next_cursor=_cursor_of(rows[-1]) if has_more else "", is_first=start is None)
