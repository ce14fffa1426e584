"""What a figure is computed over: ESSMS (one, or all of an OG), optionally one unit, and a period.

Loaded history is cached on the scope so that the indicators of one dashboard share it.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from pilotage import facts
from pilotage.history import ONE_DAY, Stay, load_stays
from pilotage.periods import Period


@dataclass
class Scope:
    essms_ids: list[int]
    period: Period
    unit_id: int | None = None
    today: datetime.date = field(default_factory=timezone.localdate)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key, compute):
        """A value shared by the indicators of one scope (GIRs for the distribution and the GMP…)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def start(self) -> datetime.date:
        return self.period.start

    @property
    def end(self) -> datetime.date:
        return self.period.end

    @property
    def last_day(self) -> datetime.date:
        """The day "as of" figures are read on: the period's last day, or today if it is not over."""
        return min(self.end, self.today)

    @property
    def elapsed_days(self) -> int:
        """Days of the period already lived (the future is not realised yet)."""
        return max(0, (self.last_day - self.start).days + 1)

    @cached_property
    def stays(self) -> list[Stay]:
        """Séjours with a day in the period, or ending in it (the day before the start is loaded too)."""
        return load_stays(self.essms_ids, self.start - ONE_DAY, self.end)

    @cached_property
    def day_totals(self) -> dict:
        return facts.present_days(self.essms_ids, self.start, self.end, unit_id=self.unit_id, today=self.today)

    @cached_property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start 00:00, day after end 00:00) in local time: DST days last 23 or 25 hours, not 24."""
        tz = ZoneInfo(settings.TIME_ZONE)
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + ONE_DAY, datetime.time.min, tzinfo=tz)
        return start, end

    def unit_on(self, stay: Stay, day: datetime.date):
        return stay.placement_on(day)[0]

    def in_scope_on(self, stay: Stay, day: datetime.date) -> bool:
        """The séjour counts for this scope's unit on that day (always, without a unit)."""
        return self.unit_id is None or stay.placement_on(day)[0] == self.unit_id

    def stays_on(self, day: datetime.date) -> list[Stay]:
        """Séjours covering `day` and, with a unit, placed in it that day."""
        return [s for s in self.stays if s.in_stay(day) and self.in_scope_on(s, day)]

    @cached_property
    def persons_in_period(self) -> set[int]:
        """Persons with a day of séjour in the period (in the unit, when one is chosen)."""
        return {
            s.usager_id for s in self.stays if any(self.in_scope_on(s, day) for day in s.days_in(self.start, self.end))
        }
