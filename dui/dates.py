"""Bounds of a day typed by a user: far dates (0001-01-01, 9999-12-31) would overflow the
time-zone conversion (OverflowError, a 500) when turned into a local day's bounds."""

import datetime

FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)
OUT_OF_RANGE = "Date hors limites : entre 1900-01-01 et 2999-12-31."


def in_range(day: datetime.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
