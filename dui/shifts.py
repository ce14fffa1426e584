"""Care shifts (postes): local wall-clock times in Europe/Paris, day 07:00–19:00, night 19:00–07:00.

The night of date D runs from D 19:00 to D+1 07:00. Bounds are computed from the wall clock with
zoneinfo, so a night that crosses a DST change lasts 11 or 13 hours, never a shifted 12.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

SHIFT_TIMEZONE = ZoneInfo("Europe/Paris")
DAY_SHIFT_STARTS = datetime.time(7, 0)
NIGHT_SHIFT_STARTS = datetime.time(19, 0)


class Poste(models.TextChoices):
    JOUR = "jour", "Jour"
    NUIT = "nuit", "Nuit"


class ShiftError(ValueError):
    """A poste or date that cannot name a shift; the message is French, for the user."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def _instant(day: datetime.date, wall: datetime.time) -> datetime.datetime:
    """The instant (in UTC) of a Paris wall-clock time: arithmetic and comparisons on it are exact.

    (Two datetimes sharing one ZoneInfo are subtracted and compared on their wall clocks, which
    would make a DST night last 12 hours.)
    """
    return datetime.datetime.combine(day, wall, tzinfo=SHIFT_TIMEZONE).astimezone(datetime.UTC)


@dataclass(frozen=True)
class Shift:
    """A shift of a day. Its bounds are computed once per instance (cached_property writes to the
    instance's __dict__, which a frozen dataclass allows): a worklist compares hundreds of
    occurrences with them, and each time-zone conversion costs more than the comparison."""

    poste: str
    date: datetime.date

    @cached_property
    def start(self) -> datetime.datetime:
        return _instant(self.date, DAY_SHIFT_STARTS if self.poste == Poste.JOUR else NIGHT_SHIFT_STARTS)

    @cached_property
    def end(self) -> datetime.datetime:
        if self.poste == Poste.JOUR:
            return _instant(self.date, NIGHT_SHIFT_STARTS)
        return _instant(self.date + datetime.timedelta(days=1), DAY_SHIFT_STARTS)

    @property
    def label(self) -> str:
        return Poste(self.poste).label

    def previous(self) -> Shift:
        if self.poste == Poste.JOUR:
            return Shift(Poste.NUIT, self.date - datetime.timedelta(days=1))
        return Shift(Poste.JOUR, self.date)

    def next(self) -> Shift:
        if self.poste == Poste.JOUR:
            return Shift(Poste.NUIT, self.date)
        return Shift(Poste.JOUR, self.date + datetime.timedelta(days=1))

    def contains(self, moment: datetime.datetime) -> bool:
        return self.start <= moment < self.end


def shift_at(moment: datetime.datetime) -> Shift:
    """The shift running at this (aware) moment."""
    local = moment.astimezone(SHIFT_TIMEZONE)
    if local.time() < DAY_SHIFT_STARTS:
        return Shift(Poste.NUIT, local.date() - datetime.timedelta(days=1))
    if local.time() < NIGHT_SHIFT_STARTS:
        return Shift(Poste.JOUR, local.date())
    return Shift(Poste.NUIT, local.date())


def parse_shift(poste: str | None, day: str | None, *, now: datetime.datetime | None = None) -> Shift:
    """The shift named by `?poste=jour|nuit&date=YYYY-MM-DD`; each missing part comes from the current shift."""
    current = shift_at(now or timezone.now())
    poste = (poste or "").strip()
    day = (day or "").strip()
    if poste and poste not in Poste.values:
        raise ShiftError("poste", f"Poste « {poste[:20]} » inconnu : choisissez « jour » ou « nuit ».")
    if day:
        try:
            date = datetime.date.fromisoformat(day)
        except ValueError:
            raise ShiftError("date", f"« {day[:20]} » n'est pas une date valide (format AAAA-MM-JJ).") from None
        if not datetime.date(2000, 1, 1) <= date <= datetime.date(2999, 12, 30):
            raise ShiftError("date", "Date hors des limites acceptées.")
    else:
        date = current.date
    if not poste:
        poste = current.poste if date == current.date else Poste.JOUR
    return Shift(poste, date)
