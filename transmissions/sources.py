"""Registry of handover sources: what the relève and the synthèse show besides transmissions.

`transmissions` imports neither `ppa` nor the apps that own the facts (evaluations, care,
doses, prescriptions, séjours): each owner registers a source from its AppConfig.ready.

A source is a function called with keyword arguments

    source(*, user, essms, unit, start, end, usagers) -> list[SourceItem]

`usagers` are the persons already in reach (placed in the unit, or the one person of a
synthèse), `unit` is None for a synthèse, [start, end) the window. The source checks the
user's rights itself (`dui.permissions.can`, its app's scoped selectors) and runs a fixed
number of queries whatever the number of persons.

Adding a source in a few lines, e.g. nutrition alerts (objects with usager_id, message,
severity, observed_at):

    def nutrition_source(*, user, essms, unit, start, end, usagers):
        if not can(user, READ, "regime_alimentaire"):
            return []
        alerts = nutrition_alerts(essms, [u.pk for u in usagers], timezone.localdate(end))
        return [SourceItem(a.usager_id, a.observed_at, IMPORTANT, a.message, url_of(a), kind="nutrition")
                for a in alerts]

    register_handover_source("nutrition", nutrition_source)
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

# Importance, highest first on the relève.
ALERT, IMPORTANT, INFO = 3, 2, 1
IMPORTANCE_LABELS = {ALERT: "Alerte", IMPORTANT: "À savoir", INFO: "Info"}
ITEMS_PER_PERSON = 6


@dataclass(frozen=True)
class SourceItem:
    """One fact for the next shift: about a person (or None: the unit), linked to its page."""

    usager_id: int | None
    time: datetime.datetime
    importance: int
    label: str
    url: str
    kind: str = ""
    # Only the day is known (a séjour date): shown without a time.
    all_day: bool = False

    @property
    def importance_label(self) -> str:
        return IMPORTANCE_LABELS.get(self.importance, "")

    @property
    def is_alert(self) -> bool:
        return self.importance >= ALERT

    def as_dict(self) -> dict:
        return {
            "usager": self.usager_id,
            "kind": self.kind,
            "time": self.time.isoformat(),
            "all_day": self.all_day,
            "importance": self.importance,
            "label": self.label,
            "url": self.url,
        }


Source = Callable[..., list[SourceItem]]
_SOURCES: dict[str, Source] = {}


def register_handover_source(key: str, source: Source) -> None:
    """Add (or replace, same key: ready() may run twice in tests) a source."""
    _SOURCES[key] = source


def unregister_handover_source(key: str) -> None:
    _SOURCES.pop(key, None)


def registered_sources() -> dict[str, Source]:
    return dict(_SOURCES)


def sort_key(item: SourceItem) -> tuple:
    """Most important first, then newest."""
    return (-item.importance, -item.time.timestamp(), item.label)


def collect(*, user, essms, unit, start, end, usagers) -> dict[int | None, list[SourceItem]]:
    """Every source's items, per person id (None: the unit), most important first."""
    usagers = list(usagers)
    if not usagers and unit is None:
        return {}
    known = {usager.pk for usager in usagers}
    grouped: dict[int | None, list[SourceItem]] = defaultdict(list)
    for source in _SOURCES.values():
        items = source(user=user, essms=essms, unit=unit, start=start, end=end, usagers=usagers)
        for item in items:
            if item.usager_id is None or item.usager_id in known:
                grouped[item.usager_id].append(item)
    for items in grouped.values():
        items.sort(key=sort_key)
    return dict(grouped)
