"""Presence from the dated history: which séjour counts on which day, in which unit.

The one rule (issue 16): a day D counts for a séjour when `admitted_on ≤ D < ended_on` (or no
`ended_on`) and no absence covers D (`starts_on ≤ D ≤ ends_on`, an open absence covers every later
day); the unit of D is the one of the placement in force on D (the latest started, when several).
Everything here reads history only; facts and indicators are built on it.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from dui.models import Absence, AbsenceKind, Placement, Sejour

ONE_DAY = datetime.timedelta(days=1)
PRESENT, HOSPITALISED, ABSENT = "present", "hospitalised", "absent"


@dataclass
class Stay:
    """A séjour with its placements and absences, sorted by start."""

    sejour_id: int
    essms_id: int
    usager_id: int
    admitted_on: datetime.date
    ended_on: datetime.date | None
    placements: list = field(default_factory=list)  # (starts_on, ends_on, unit_id, modality)
    absences: list = field(default_factory=list)  # (starts_on, ends_on, kind)

    def in_stay(self, day: datetime.date) -> bool:
        return self.admitted_on <= day and (self.ended_on is None or day < self.ended_on)

    def placement_on(self, day: datetime.date):
        found = None
        for starts_on, ends_on, unit_id, modality in self.placements:
            if starts_on > day:
                break
            if ends_on is None or ends_on >= day:
                found = (unit_id, modality)
        return found or (None, "")

    def state_on(self, day: datetime.date) -> str | None:
        """present, hospitalised, absent, or None when D is not a day of this séjour."""
        if not self.in_stay(day):
            return None
        state = PRESENT
        for starts_on, ends_on, kind in self.absences:
            if starts_on > day:
                break
            if ends_on is None or ends_on >= day:
                if kind == AbsenceKind.HOSPITALISATION:
                    return HOSPITALISED
                state = ABSENT
        return state

    def days_in(self, start: datetime.date, end: datetime.date):
        """The days of [start, end] that belong to this séjour."""
        day = max(start, self.admitted_on)
        last = end if self.ended_on is None else min(end, self.ended_on - ONE_DAY)
        while day <= last:
            yield day
            day += ONE_DAY


def load_stays(essms_ids, start: datetime.date, end: datetime.date, *, usager_ids=None) -> list[Stay]:
    """Séjours of these ESSMS with at least one day in [start, end], with their history (3 queries)."""
    sejours = Sejour.objects.filter(essms_id__in=essms_ids, admitted_on__isnull=False, admitted_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)
    )
    if usager_ids is not None:
        sejours = sejours.filter(usager_id__in=usager_ids)
    stays = {
        row[0]: Stay(*row)
        for row in sejours.values_list("pk", "essms_id", "usager_id", "admitted_on", "ended_on").order_by("pk")
    }
    if not stays:
        return []
    # A subquery rather than a list of ids: no long IN list to send and parse.
    ids = sejours.values("pk")
    for sejour_id, *row in (
        Placement.objects.filter(sejour_id__in=ids)
        .order_by("starts_on", "pk")
        .values_list("sejour_id", "starts_on", "ends_on", "unit_id", "modality")
    ):
        stays[sejour_id].placements.append(tuple(row))
    for sejour_id, *row in (
        Absence.objects.filter(sejour_id__in=ids)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start), starts_on__lte=end)
        .order_by("starts_on", "pk")
        .values_list("sejour_id", "starts_on", "ends_on", "kind")
    ):
        stays[sejour_id].absences.append(tuple(row))
    return list(stays.values())


def day_counts(stays, start: datetime.date, end: datetime.date) -> Counter:
    """{(essms_id, unit_id, modality, day, state): person-days} over [start, end]."""
    counts = Counter()
    for stay in stays:
        for day in stay.days_in(start, end):
            unit_id, modality = stay.placement_on(day)
            counts[(stay.essms_id, unit_id, modality, day, stay.state_on(day))] += 1
    return counts


def persons_by_state(stays, start: datetime.date, end: datetime.date, *, unit_id=None) -> dict[str, set[int]]:
    """{state: usager ids with at least one such day in [start, end]} (in the unit, when given)."""
    persons = {PRESENT: set(), HOSPITALISED: set(), ABSENT: set()}
    for stay in stays:
        for day in stay.days_in(start, end):
            if unit_id is not None and stay.placement_on(day)[0] != unit_id:
                continue
            persons[stay.state_on(day)].add(stay.usager_id)
    return persons


def in_unit_during(stay: Stay, unit_id, start: datetime.date, end: datetime.date) -> bool:
    """Whether the séjour has a day of [start, end] in the unit (any unit when unit_id is None)."""
    if unit_id is None:
        return next(stay.days_in(start, end), None) is not None
    return any(stay.placement_on(day)[0] == unit_id for day in stay.days_in(start, end))
