"""The handover (relève de poste) of one unit: per person, what is new since the previous shift.

Shifts are local wall-clock times in Europe/Paris: day 07:00–19:00, night 19:00–07:00 (the
night of date D runs from D 19:00 to D+1 07:00). Bounds are computed from the wall clock with
zoneinfo, so a night that crosses a DST change lasts 11 or 13 hours, never a shifted 12.

Fixed number of queries whatever the number of persons: placements and absences of the day
(dui.selectors.sejours.presence_on), the transmissions of the window for all those persons
and the unit in one query, the open cibles in one query, the events in one query.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict

from django.db.models import Q, QuerySet

from dui import audit
from dui.actor import user_of
from dui.catalogue import READ
from dui.models import Unit
from dui.permissions import active_membership, can
from dui.selectors import units_for_user
from dui.selectors.sejours import presence_on
from dui.shifts import Poste, Shift, ShiftError, parse_shift, shift_at  # noqa: F401  (re-exported)
from transmissions.models import Cible, Event, Transmission
from transmissions.selectors import transmissions_for_user
from transmissions.selectors.handover_rows import (  # noqa: F401  (re-exported)
    ALERT_EVENT_KINDS,
    ITEMS_PER_PERSON,
    SUMMARY_LENGTH,
    EventCount,
    Handover,
    HandoverItem,
    OlderOpen,
    OpenCible,
    PersonHandover,
    Window,
    first_line,
    handover_window,
    summary_of,
)
from transmissions.sources import collect
from transmissions.visibility import levels_readable_by

# A transmission written during the window about an observation up to this long before still
# shows as new (a late writing, or Résultats added later to an older thread).
LATE_WRITING_LOOKBACK = datetime.timedelta(days=31)
# Open cibles opened within this horizon are listed on the handover; older ones still open are
# counted there and listed in the person's synthèse.
OPEN_CIBLE_HORIZON = datetime.timedelta(days=30)
UNIT_ITEMS = 10


def default_unit(user) -> Unit | None:
    return units_for_user(user).filter(is_active=True).order_by("name").first()


# ---------- Queries ----------


def _room_key(room: str) -> tuple:
    """Natural order of rooms ("2" before "10"); persons without a room last."""
    if not room:
        return (1, ())
    return (
        0,
        tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.findall(r"\d+|\D+", room)
        ),
    )


def _person_key(person: PersonHandover) -> tuple:
    usager = person.usager
    return (_room_key(person.room), str(usager).casefold(), usager.pk)


def _in_window(window: Window, *, observed: str, written: str) -> Q:
    """Observed in the window, or written in it about a recent earlier observation (late writing, Résultats)."""
    end = window.query_end
    return Q(**{f"{observed}__gte": window.start - LATE_WRITING_LOOKBACK, f"{observed}__lt": end}) & (
        Q(**{f"{observed}__gte": window.start}) | Q(**{f"{written}__gte": window.start, f"{written}__lt": end})
    )


# What the short form needs: no author row, no person row (the presence list has it), no search text.
WINDOW_FIELDS = (
    "id",
    "essms_id",
    "usager_id",
    "unit_id",
    "cible__label",
    "free_cible",
    "theme",
    "donnees",
    "actions",
    "resultats",
    "narrative",
    "observed_at",
    "written_at",
    "author_metier",
    "visibility",
    "original_id",
    "version",
)


def window_transmissions(*, user, window: Window, usager_ids, unit: Unit | None = None) -> QuerySet[Transmission]:
    """Readable current transmissions of the window for these persons (and the unit's own), newest first."""
    scope = Q(usager_id__in=list(usager_ids))
    if unit is not None:
        scope |= Q(usager__isnull=True, unit_id=unit.pk)
    return (
        transmissions_for_user(user)
        .filter(scope)
        .filter(_in_window(window, observed="observed_at", written="written_at"))
        .select_related(None)
        .select_related("cible")
        .only(*WINDOW_FIELDS)
        .order_by("-observed_at", "-id")
    )


OPEN_CIBLE_FIELDS = (
    "id",
    "essms_id",
    "usager_id",
    "unit_id",
    "cible_id",
    "cible__label",
    "free_cible",
    "observed_at",
    "original_id",
    "version",
)


def open_cibles_rows(*, user, usager_ids, unit: Unit | None = None) -> QuerySet:
    """Current versions of cible threads with Données or Actions and no Résultats, oldest first.

    Light rows (value tuples of OPEN_CIBLE_FIELDS): threads left open for months can be many,
    only the recent ones become objects (group_open_cibles).
    """
    scope = Q(usager_id__in=list(usager_ids))
    if unit is not None:
        scope |= Q(usager__isnull=True, unit_id=unit.pk)
    return (
        transmissions_for_user(user)
        .filter(scope, is_current=True, resultats="")
        .filter(Q(cible__isnull=False) | ~Q(free_cible=""))
        .exclude(donnees="", actions="")
        .order_by("observed_at", "id")
        .values_list(*OPEN_CIBLE_FIELDS)
    )


def _light_transmission(values: dict) -> Transmission:
    label = values.pop("cible__label")
    transmission = Transmission(**values)
    if transmission.cible_id:
        transmission._state.fields_cache["cible"] = Cible(id=transmission.cible_id, label=label)
    return transmission


def group_open_cibles(
    rows, *, recent_since: datetime.datetime | None = None
) -> tuple[dict[int | None, list[OpenCible]], dict[int | None, OlderOpen]]:
    """Open cible threads per person (None: the unit) and per cible label, oldest first.

    Threads opened before `recent_since` are only counted per person (second dict).
    """
    grouped: dict[int | None, dict[str, OpenCible]] = defaultdict(dict)
    older: dict[int | None, OlderOpen] = {}
    for row in rows:
        values = dict(zip(OPEN_CIBLE_FIELDS, row, strict=True))
        owner = values["usager_id"]
        if recent_since is not None and values["observed_at"] < recent_since:
            if owner in older:
                older[owner].count += 1
            else:
                older[owner] = OlderOpen(1, values["observed_at"])
            continue
        transmission = _light_transmission(values)
        label = transmission.cible_label
        per_person = grouped[owner]
        if label.casefold() not in per_person:
            per_person[label.casefold()] = OpenCible(label=label, since=transmission.observed_at)
        per_person[label.casefold()].transmissions.append(transmission)
    return {owner: list(cibles.values()) for owner, cibles in grouped.items()}, older


def can_read_events(user) -> bool:
    """The matrix opens both the events and the transmissions that carry them."""
    return can(user, READ, Event.document_class_code) and can(user, READ, Transmission.document_class_code)


def readable_events(user) -> QuerySet[Event]:
    """Events of the active ESSMS whose transmission the user may read (matrix and visibility level)."""
    membership = active_membership(user)
    if membership is None or not can_read_events(user):
        return Event.objects.none()
    return Event.objects.filter(
        essms_id=membership.essms_id,
        transmission__essms_id=membership.essms_id,
        transmission__visibility__in=levels_readable_by(user),
    )


def window_events(*, user, window: Window, usager_ids) -> list[dict]:
    return list(
        readable_events(user)
        .filter(usager_id__in=list(usager_ids))
        .filter(_in_window(window, observed="occurred_at", written="transmission__written_at"))
        .order_by("occurred_at", "id")
        .values("id", "usager_id", "kind", "occurred_at", "duration_seconds", "transmission_id")
    )


def _items(transmissions, events_by_thread: dict[int, str], limit: int, window: Window) -> list[HandoverItem]:
    return [
        HandoverItem(t, events_by_thread.get(t.thread_id, ""), t.observed_at < window.start)
        for t in transmissions[:limit]
    ]


def handover_for_unit(
    actor, *, unit: Unit, shift: Shift, now: datetime.datetime | None = None, log: bool = False
) -> Handover:
    """The handover of `unit` for `shift`: persons placed in the unit on the shift's date, present ones by room.

    With `log` (a page or the API shows it), every transmission shown is logged as read, in one insert."""
    handover = _handover(actor, unit=unit, shift=shift, now=now)
    if log:
        detail = f"relève {shift.label.lower()} du {shift.date:%d/%m/%Y}"
        audit.log_reads(actor, handover.shown_transmissions(), detail=detail)
    return handover


def _handover(user, *, unit: Unit, shift: Shift, now: datetime.datetime | None) -> Handover:
    window = handover_window(shift, now=now)
    readable = can(user, READ, Transmission.document_class_code)
    entries = presence_on(user, day=shift.date, unit=unit) if readable else []
    people = [PersonHandover(entry.usager, entry.placement, entry.absence) for entry in entries]
    by_id = {person.usager.pk: person for person in people}
    unit_transmissions: list[Transmission] = []
    if window.not_started:
        transmissions, events, open_rows = [], [], []
    else:
        transmissions = list(window_transmissions(user=user, window=window, usager_ids=by_id, unit=unit))
        events = window_events(user=user, window=window, usager_ids=by_id) if by_id else []
        open_rows = open_cibles_rows(user=user, usager_ids=by_id, unit=unit)
    events_by_thread = {event["transmission_id"]: event["kind"] for event in events}
    for transmission in transmissions:
        person = by_id.get(transmission.usager_id)
        if person is not None:
            person.transmissions.append(transmission)
        elif transmission.usager_id is None:
            unit_transmissions.append(transmission)
    for event in events:
        by_id[event["usager_id"]].events.append(event)
    open_cibles, older_open = group_open_cibles(open_rows, recent_since=window.end - OPEN_CIBLE_HORIZON)
    signals = {}
    if not window.not_started and people:
        signals = collect(
            user=user_of(user),
            essms=active_membership(user).essms,
            unit=unit,
            start=window.start,
            end=window.query_end,
            usagers=[person.usager for person in people],
        )
    for person in people:
        person.signals = signals.get(person.usager.pk, [])
    for person in people:
        if person.absence is None:
            person.open_cibles = open_cibles.get(person.usager.pk, [])
            person.older_open = older_open.get(person.usager.pk)
            person.items = _items(person.transmissions, events_by_thread, ITEMS_PER_PERSON, window)
    present = sorted((p for p in people if p.absence is None), key=_person_key)
    absent = sorted((p for p in people if p.absence is not None), key=_person_key)
    return Handover(
        unit=unit,
        window=window,
        persons=present,
        absents=absent,
        unit_transmissions=unit_transmissions,
        unit_items=_items(unit_transmissions, events_by_thread, UNIT_ITEMS, window),
        unit_open_cibles=open_cibles.get(None, []),
        unit_older_open=older_open.get(None),
        events_readable=can_read_events(user),
        unit_signals=signals.get(None, []),
    )
