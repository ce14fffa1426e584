"""The synthèse of one person over N days: computed from the transmissions and events, never typed.

Event counts by kind (and the total duration of seizures), transmissions by theme, both with
the previous period of the same length for the trend; the open cibles; for each cible written
during the period, its latest DAR (current version). Only what the user may read counts.

Four queries whatever the volume: counts by theme, the period's cible transmissions, the open
cibles, the event counts; then the registered handover sources (transmissions.sources), a
fixed number each.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.models import Usager
from dui.permissions import active_membership
from transmissions.models import EventKind, Theme, Transmission
from transmissions.selectors import transmissions_for_user
from transmissions.selectors.handover import (
    ALERT_EVENT_KINDS,
    OpenCible,
    can_read_events,
    group_open_cibles,
    open_cibles_rows,
    readable_events,
)
from transmissions.sources import SourceItem, collect

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 90, 7
DAYS_ERROR = f"Le nombre de jours doit être un nombre entier entre {MIN_DAYS} et {MAX_DAYS}."


class SyntheseError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_days(raw: str | None) -> int:
    """`?jours=` → a number of days in [1, 90]; 7 when absent."""
    raw = (raw or "").strip()
    if not raw:
        return DEFAULT_DAYS
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not MIN_DAYS <= int(raw) <= MAX_DAYS:
        raise SyntheseError(DAYS_ERROR)
    return int(raw)


@dataclass(frozen=True)
class Trend:
    current: int
    previous: int

    @property
    def delta(self) -> int:
        return self.current - self.previous

    @property
    def direction(self) -> str:
        """hausse / baisse / stable, against the previous period of the same length."""
        if self.delta > 0:
            return "hausse"
        if self.delta < 0:
            return "baisse"
        return "stable"


@dataclass(frozen=True)
class EventLine:
    kind: str
    trend: Trend

    @property
    def label(self) -> str:
        return EventKind(self.kind).label

    @property
    def is_alert(self) -> bool:
        return self.kind in ALERT_EVENT_KINDS


@dataclass(frozen=True)
class ThemeLine:
    theme: str
    trend: Trend

    @property
    def label(self) -> str:
        return Theme(self.theme).label if self.theme in Theme.values else self.theme


@dataclass(frozen=True)
class LatestDar:
    """The latest current version written on one cible during the period."""

    label: str
    transmission: Transmission
    count: int

    @property
    def is_open(self) -> bool:
        t = self.transmission
        return not t.resultats and bool(t.donnees or t.actions)


@dataclass
class Synthese:
    usager: Usager
    days: int
    start: datetime.datetime
    end: datetime.datetime
    previous_start: datetime.datetime
    transmissions: Trend
    themes: list[ThemeLine]
    events: list[EventLine]
    seizure_seconds: int
    seizure_seconds_previous: int
    open_cibles: list[OpenCible]
    latest: list[LatestDar]
    events_readable: bool
    # Facts of the handover sources over the period (evaluations, care, doses, events, séjours).
    signals: list[SourceItem] = field(default_factory=list)

    @property
    def events_total(self) -> Trend:
        return Trend(sum(line.trend.current for line in self.events), sum(line.trend.previous for line in self.events))

    def shown_transmissions(self) -> list[Transmission]:
        shown = {line.transmission.pk: line.transmission for line in self.latest}
        for cible in self.open_cibles:
            for transmission in cible.transmissions:
                shown.setdefault(transmission.pk, transmission)
        return list(shown.values())


def _cible_key(transmission: Transmission) -> tuple:
    if transmission.cible_id:
        return ("catalogue", transmission.cible_id)
    return ("libre", transmission.free_cible.casefold())


def synthese_for_usager(
    actor, *, usager: Usager, days: int = DEFAULT_DAYS, now: datetime.datetime | None = None, log: bool = False
) -> Synthese:
    """The synthèse of an already reachable person (dui.selectors.access_usager) over the last `days` days.

    With `log` (a page or the API shows it), the dossier and every transmission shown are logged as read."""
    synthese = _synthese(actor, usager=usager, days=days, now=now)
    if log:
        audit.log_reads(
            actor, [usager, *synthese.shown_transmissions()], detail=f"synthèse des transmissions sur {days} jours"
        )
    return synthese


def _synthese(user, *, usager: Usager, days: int, now: datetime.datetime | None) -> Synthese:
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise SyntheseError(DAYS_ERROR)
    end = now or timezone.now()
    start = end - datetime.timedelta(days=days)
    previous_start = start - datetime.timedelta(days=days)
    current_period = Q(observed_at__gte=start)
    both_periods = Q(observed_at__gte=previous_start, observed_at__lt=end)
    person = transmissions_for_user(user).filter(usager_id=usager.pk)

    theme_rows = (
        person.filter(both_periods)
        .values("theme")
        .annotate(current=Count("id", filter=current_period), previous=Count("id", filter=~current_period))
        .order_by()
    )
    themes = sorted(
        (ThemeLine(row["theme"], Trend(row["current"], row["previous"])) for row in theme_rows),
        key=lambda line: (-line.trend.current, -line.trend.previous, line.label),
    )
    total = Trend(sum(line.trend.current for line in themes), sum(line.trend.previous for line in themes))

    latest: dict[tuple, LatestDar] = {}
    period_cibles = (
        person.filter(observed_at__gte=start, observed_at__lt=end)
        .filter(Q(cible__isnull=False) | ~Q(free_cible=""))
        .select_related(None)
        .select_related("cible", "author")
        .defer("search_text")
        .order_by("-observed_at", "-id")
    )
    counts: dict[tuple, int] = {}
    for transmission in period_cibles:
        key = _cible_key(transmission)
        counts[key] = counts.get(key, 0) + 1
        latest.setdefault(key, LatestDar(transmission.cible_label, transmission, 0))
    latest_lines = [LatestDar(line.label, line.transmission, counts[key]) for key, line in latest.items()]

    open_cibles = group_open_cibles(open_cibles_rows(user=user, usager_ids=[usager.pk]))[0].get(usager.pk, [])

    occurred_current = Q(occurred_at__gte=start)
    event_rows = (
        readable_events(user)
        .filter(usager_id=usager.pk, occurred_at__gte=previous_start, occurred_at__lt=end)
        .values("kind")
        .annotate(
            current=Count("id", filter=occurred_current),
            previous=Count("id", filter=~occurred_current),
            seconds=Sum("duration_seconds", filter=occurred_current),
            seconds_previous=Sum("duration_seconds", filter=~occurred_current),
        )
        .order_by()
    )
    by_kind = {row["kind"]: row for row in event_rows}
    events = [
        EventLine(kind, Trend(by_kind[kind]["current"], by_kind[kind]["previous"]))
        for kind in EventKind.values
        if kind in by_kind
    ]
    seizures = by_kind.get(EventKind.EPILEPSIE, {})
    membership = active_membership(user)
    signals = collect(
        user=user_of(user),
        essms=membership.essms if membership else None,
        unit=None,
        start=start,
        end=end,
        usagers=[usager],
    ).get(usager.pk, [])
    return Synthese(
        usager=usager,
        days=days,
        start=start,
        end=end,
        previous_start=previous_start,
        transmissions=total,
        themes=themes,
        events=events,
        seizure_seconds=seizures.get("seconds") or 0,
        seizure_seconds_previous=seizures.get("seconds_previous") or 0,
        open_cibles=open_cibles,
        latest=latest_lines,
        events_readable=can_read_events(user),
        signals=signals,
    )


def duration_text(seconds: int) -> str:
    """1 h 05 min 30 s, 4 min 10 s, 45 s."""
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} h")
    if minutes or hours:
        parts.append(f"{minutes:02d} min" if hours else f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs:02d} s" if parts else f"{secs} s")
    return " ".join(parts)
