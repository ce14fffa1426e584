"""Activity indicators for the pilotage engine: pure reads of the dated history, no side effect.

For one ESSMS (and optionally one unit) over the local days [start, end] (Europe/Paris, both
included; a session belongs to the day it starts on, whatever the DST change):

- `sessions_held`: sessions marked held. For a unit, those opened to that unit or to the whole
  ESSMS (no unit named).
- `attendance_rate`: numerator = registrations marked present, denominator = every registration
  of a held session (absent, refused and not recorded included).
- `mean_satisfaction`: sum and count of the scores (1–5) given by persons present at a held session.

Per unit, a registration counts for the unit the person was placed in on the session's day
(the placement in force that day), not for the units the session was opened to: a person moved
between units mid-month counts for each unit on its own days.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from activities.models import ActivitySession, Attendance, Registration, SessionStatus
from dui.models import Placement


@dataclass(frozen=True)
class Ratio:
    """A figure with what it is made of; `value` is None when the denominator is 0."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def period_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, end + 1 day 00:00) in local time, as aware datetimes."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    return first, after


def held_sessions(*, essms_id: int, start: datetime.date, end: datetime.date, unit_id: int | None = None) -> QuerySet:
    first, after = period_bounds(start, end)
    qs = ActivitySession.objects.filter(
        essms_id=essms_id, status=SessionStatus.HELD, starts_at__gte=first, starts_at__lt=after
    )
    if unit_id is not None:
        opened = ActivitySession.units.through.objects.filter(activitysession_id=OuterRef("pk"))
        qs = qs.filter(~Exists(opened) | Exists(opened.filter(unit_id=unit_id)))
    return qs


def held_registrations(
    *, essms_id: int, start: datetime.date, end: datetime.date, unit_id: int | None = None
) -> QuerySet:
    """Registrations of the held sessions of the period; per unit, of the persons placed in it on the session's day."""
    first, after = period_bounds(start, end)
    qs = Registration.objects.filter(
        essms_id=essms_id,
        session__status=SessionStatus.HELD,
        session__starts_at__gte=first,
        session__starts_at__lt=after,
    )
    if unit_id is not None:
        day = TruncDate("session__starts_at", tzinfo=timezone.get_current_timezone())
        placed = Placement.objects.filter(
            essms_id=essms_id, usager_id=OuterRef("usager_id"), unit_id=unit_id, starts_on__lte=OuterRef("day")
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("day")))
        qs = qs.annotate(day=day).filter(Exists(placed))
    return qs


def sessions_held(*, essms_id: int, start: datetime.date, end: datetime.date, unit_id: int | None = None) -> int:
    return held_sessions(essms_id=essms_id, start=start, end=end, unit_id=unit_id).count()


def attendance_rate(*, essms_id: int, start: datetime.date, end: datetime.date, unit_id: int | None = None) -> Ratio:
    counts = held_registrations(essms_id=essms_id, start=start, end=end, unit_id=unit_id).aggregate(
        registered=Count("pk"), present=Count("pk", filter=Q(attendance=Attendance.PRESENT))
    )
    return Ratio(counts["present"], counts["registered"])


def mean_satisfaction(*, essms_id: int, start: datetime.date, end: datetime.date, unit_id: int | None = None) -> Ratio:
    scored = held_registrations(essms_id=essms_id, start=start, end=end, unit_id=unit_id).filter(
        attendance=Attendance.PRESENT, satisfaction__isnull=False
    )
    totals = scored.aggregate(total=Sum("satisfaction"), count=Count("pk"))
    return Ratio(totals["total"] or 0, totals["count"])


def persons_present(*, essms_id: int, start: datetime.date, end: datetime.date, unit_id: int | None = None) -> set[int]:
    """The persons behind the attendance numerator (usager ids), for a drill-down read through the habilitations."""
    rows = held_registrations(essms_id=essms_id, start=start, end=end, unit_id=unit_id)
    return set(rows.filter(attendance=Attendance.PRESENT).values_list("usager_id", flat=True))
