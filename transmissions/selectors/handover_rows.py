"""What a handover shows: its window, the short forms of transmissions and the rows per person.

Pure data (no query): built by transmissions.selectors.handover, read by the pages and the API.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from dui.models import Absence, Metier, Placement, Unit, Usager
from dui.shifts import Shift
from transmissions.models import EventKind, Transmission
from transmissions.services.transmissions import FUTURE_TOLERANCE
from transmissions.sources import ITEMS_PER_PERSON as SIGNALS_PER_PERSON
from transmissions.sources import SourceItem

ITEMS_PER_PERSON = 3
SUMMARY_LENGTH = 140
# Events that get a red badge: the first thing the next shift must see.
ALERT_EVENT_KINDS = frozenset({EventKind.CHUTE, EventKind.EPILEPSIE})


@dataclass(frozen=True)
class Window:
    """What the handover shows: [start, end) of observation (or writing) times."""

    shift: Shift
    start: datetime.datetime
    end: datetime.datetime
    is_current: bool

    @property
    def not_started(self) -> bool:
        return self.end <= self.start

    @property
    def query_end(self) -> datetime.datetime:
        """Upper bound for queries: a running window also takes the few minutes ahead that writing tolerates."""
        return self.end + FUTURE_TOLERANCE if self.is_current else self.end


def handover_window(shift: Shift, *, now: datetime.datetime | None = None) -> Window:
    """Current shift: from the start of the previous shift up to now. Another shift: that shift, bounded by now."""
    now = now or timezone.now()
    if shift.contains(now):
        return Window(shift, shift.previous().start, now, True)
    return Window(shift, shift.start, min(shift.end, now), False)


# ---------- Short forms ----------


def first_line(text: str, length: int = SUMMARY_LENGTH) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def summary_of(transmission: Transmission) -> str:
    """Cible aside, the first line that says what happened: Données, else Actions, else the note."""
    if transmission.donnees:
        return first_line(transmission.donnees)
    if transmission.actions:
        return "A : " + first_line(transmission.actions)
    if transmission.narrative:
        return first_line(transmission.narrative)
    return "R : " + first_line(transmission.resultats)


_METIER_LABELS = dict(Metier.choices)


@dataclass(frozen=True)
class HandoverItem:
    transmission: Transmission
    event_kind: str = ""
    # Observed before the window, written (or completed) during it: shown with its date.
    late: bool = False

    @property
    def cible(self) -> str:
        return self.transmission.cible_label

    @property
    def is_free_cible(self) -> bool:
        return not self.transmission.cible_id and bool(self.transmission.free_cible)

    @property
    def summary(self) -> str:
        return summary_of(self.transmission)

    @property
    def author_metier_label(self) -> str:
        return _METIER_LABELS.get(self.transmission.author_metier, self.transmission.author_metier)

    @property
    def event_label(self) -> str:
        return EventKind(self.event_kind).label if self.event_kind else ""

    @property
    def is_alert(self) -> bool:
        return self.event_kind in ALERT_EVENT_KINDS


@dataclass
class OpenCible:
    """One cible still open for a person (or the unit): threads with Données/Actions, no Résultats yet."""

    label: str
    since: datetime.datetime
    transmissions: list[Transmission] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.transmissions)


@dataclass(frozen=True)
class EventCount:
    kind: str
    count: int

    @property
    def label(self) -> str:
        return EventKind(self.kind).label

    @property
    def is_alert(self) -> bool:
        return self.kind in ALERT_EVENT_KINDS


@dataclass
class PersonHandover:
    usager: Usager
    placement: Placement
    absence: Absence | None
    transmissions: list[Transmission] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    open_cibles: list[OpenCible] = field(default_factory=list)
    older_open: OlderOpen | None = None
    items: list[HandoverItem] = field(default_factory=list)
    # Facts of the registered sources (evaluations, care, doses, events, séjours…), most important first.
    signals: list[SourceItem] = field(default_factory=list)

    @property
    def shown_signals(self) -> list[SourceItem]:
        return self.signals[:SIGNALS_PER_PERSON]

    @property
    def more_signals(self) -> int:
        return max(0, len(self.signals) - SIGNALS_PER_PERSON)

    @property
    def signal_alert(self) -> bool:
        return any(item.is_alert for item in self.signals)

    @property
    def room(self) -> str:
        return self.placement.room

    @property
    def new_count(self) -> int:
        return len(self.transmissions)

    @property
    def more_count(self) -> int:
        return max(0, len(self.transmissions) - len(self.items))

    @property
    def event_counts(self) -> list[EventCount]:
        counts: dict[str, int] = defaultdict(int)
        for event in self.events:
            counts[event["kind"]] += 1
        return [EventCount(kind, counts[kind]) for kind in EventKind.values if counts.get(kind)]

    @property
    def has_alert(self) -> bool:
        return any(event["kind"] in ALERT_EVENT_KINDS for event in self.events)

    @property
    def has_news(self) -> bool:
        return bool(self.transmissions or self.events or self.signals)


@dataclass
class Handover:
    unit: Unit
    window: Window
    persons: list[PersonHandover]
    absents: list[PersonHandover]
    unit_transmissions: list[Transmission]
    unit_items: list[HandoverItem]
    unit_open_cibles: list[OpenCible]
    unit_older_open: OlderOpen | None
    events_readable: bool
    unit_signals: list[SourceItem] = field(default_factory=list)

    @property
    def shift(self) -> Shift:
        return self.window.shift

    @property
    def with_news(self) -> list[PersonHandover]:
        return [person for person in self.persons if person.has_news]

    @property
    def alert_counts(self) -> list[EventCount]:
        counts: dict[str, int] = defaultdict(int)
        for person in (*self.persons, *self.absents):
            for event in person.events:
                counts[event["kind"]] += 1
        return [EventCount(kind, counts[kind]) for kind in EventKind.values if counts.get(kind)]

    def shown_transmissions(self) -> list[Transmission]:
        """Every transmission whose content the handover shows (for the access log), once each."""
        shown: dict[int, Transmission] = {}
        for person in self.persons:
            for item in person.items:
                shown[item.transmission.pk] = item.transmission
            for cible in person.open_cibles:
                for transmission in cible.transmissions:
                    shown[transmission.pk] = transmission
        for item in self.unit_items:
            shown[item.transmission.pk] = item.transmission
        for cible in self.unit_open_cibles:
            for transmission in cible.transmissions:
                shown[transmission.pk] = transmission
        return list(shown.values())


@dataclass
class OlderOpen:
    """Threads still open but opened before the handover's horizon: counted, listed in the synthèse."""

    count: int
    since: datetime.datetime
