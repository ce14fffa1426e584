"""Shift windows of the handover: day 07:00–19:00, night 19:00–07:00 Europe/Paris, DST-safe."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from transmissions.selectors.handover import Poste, Shift, ShiftError, handover_window, parse_shift, shift_at

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


def paris(y, m, d, hh, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=PARIS)


def test_day_shift_runs_from_seven_to_nineteen():
    shift = Shift(Poste.JOUR, datetime.date(2025, 3, 12))
    assert (shift.start, shift.end) == (paris(2025, 3, 12, 7), paris(2025, 3, 12, 19))


def test_night_of_d_runs_from_d_nineteen_to_d_plus_one_seven():
    shift = Shift(Poste.NUIT, datetime.date(2025, 3, 12))
    assert (shift.start, shift.end) == (paris(2025, 3, 12, 19), paris(2025, 3, 13, 7))
    assert shift.end - shift.start == datetime.timedelta(hours=12)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2025, 3, 12, 6, 59), Shift(Poste.NUIT, datetime.date(2025, 3, 11))),
        (paris(2025, 3, 12, 7, 0), Shift(Poste.JOUR, datetime.date(2025, 3, 12))),
        (paris(2025, 3, 12, 18, 59), Shift(Poste.JOUR, datetime.date(2025, 3, 12))),
        (paris(2025, 3, 12, 19, 0), Shift(Poste.NUIT, datetime.date(2025, 3, 12))),
        (paris(2025, 3, 12, 23, 59), Shift(Poste.NUIT, datetime.date(2025, 3, 12))),
        # Around midnight: still the night that began the day before.
        (paris(2025, 3, 13, 0, 0), Shift(Poste.NUIT, datetime.date(2025, 3, 12))),
        (paris(2025, 3, 13, 0, 30), Shift(Poste.NUIT, datetime.date(2025, 3, 12))),
        # An instant given in UTC is read on the Paris wall clock (UTC+1 in March before the change).
        (datetime.datetime(2025, 3, 12, 5, 59, tzinfo=UTC), Shift(Poste.NUIT, datetime.date(2025, 3, 11))),
        (datetime.datetime(2025, 3, 12, 6, 0, tzinfo=UTC), Shift(Poste.JOUR, datetime.date(2025, 3, 12))),
    ],
)
def test_shift_at(moment, expected):
    assert shift_at(moment) == expected
    assert expected.contains(moment)


def test_previous_and_next_shifts_chain_without_gap():
    day = Shift(Poste.JOUR, datetime.date(2025, 3, 12))
    assert day.previous() == Shift(Poste.NUIT, datetime.date(2025, 3, 11))
    assert day.next() == Shift(Poste.NUIT, datetime.date(2025, 3, 12))
    assert day.next().next() == Shift(Poste.JOUR, datetime.date(2025, 3, 13))
    assert day.previous().end == day.start
    assert day.end == day.next().start


def test_nights_across_daylight_saving_changes_follow_the_wall_clock():
    # Last Sunday of March 2025 (30/03): 02:00 → 03:00, the night is one hour shorter.
    spring = Shift(Poste.NUIT, datetime.date(2025, 3, 29))
    assert spring.end - spring.start == datetime.timedelta(hours=11)
    assert spring.end.astimezone(UTC) == datetime.datetime(2025, 3, 30, 5, 0, tzinfo=UTC)  # 07:00 CEST
    # Last Sunday of October 2025 (26/10): 03:00 → 02:00, the night is one hour longer.
    autumn = Shift(Poste.NUIT, datetime.date(2025, 10, 25))
    assert autumn.end - autumn.start == datetime.timedelta(hours=13)
    assert autumn.end.astimezone(UTC) == datetime.datetime(2025, 10, 26, 6, 0, tzinfo=UTC)  # 07:00 CET
    # Days around the change keep their 12 hours.
    assert Shift(Poste.JOUR, datetime.date(2025, 3, 30)).end - Shift(Poste.JOUR, datetime.date(2025, 3, 30)).start == (
        datetime.timedelta(hours=12)
    )


def test_shift_at_on_daylight_saving_mornings():
    # 30/03/2025 at 06:30 CEST (04:30 UTC): still the night of the 29th; 07:00 CEST (05:00 UTC): the day.
    assert shift_at(datetime.datetime(2025, 3, 30, 4, 30, tzinfo=UTC)) == Shift(Poste.NUIT, datetime.date(2025, 3, 29))
    assert shift_at(datetime.datetime(2025, 3, 30, 5, 0, tzinfo=UTC)) == Shift(Poste.JOUR, datetime.date(2025, 3, 30))
    # 26/10/2025, the repeated hour 02:00–03:00 belongs to the night, 07:00 CET (06:00 UTC) starts the day.
    assert shift_at(datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)) == Shift(
        Poste.NUIT, datetime.date(2025, 10, 25)
    )
    assert shift_at(datetime.datetime(2025, 10, 26, 5, 59, tzinfo=UTC)) == Shift(
        Poste.NUIT, datetime.date(2025, 10, 25)
    )
    assert shift_at(datetime.datetime(2025, 10, 26, 6, 0, tzinfo=UTC)) == Shift(Poste.JOUR, datetime.date(2025, 10, 26))


def test_parse_shift_defaults_to_the_current_shift():
    now = paris(2025, 3, 13, 2, 0)
    assert parse_shift(None, None, now=now) == Shift(Poste.NUIT, datetime.date(2025, 3, 12))
    assert parse_shift("jour", None, now=now) == Shift(Poste.JOUR, datetime.date(2025, 3, 12))
    assert parse_shift("", "2025-03-01", now=now) == Shift(Poste.JOUR, datetime.date(2025, 3, 1))
    assert parse_shift("nuit", "2025-03-01", now=now) == Shift(Poste.NUIT, datetime.date(2025, 3, 1))


@pytest.mark.parametrize(
    ("poste", "date", "field", "message"),
    [
        ("soir", None, "poste", "choisissez « jour » ou « nuit »"),
        (None, "12/03/2025", "date", "n'est pas une date valide"),
        (None, "2025-02-30", "date", "n'est pas une date valide"),
        (None, "1900-01-01", "date", "hors des limites"),
    ],
)
def test_parse_shift_refuses_bad_input_in_french(poste, date, field, message):
    with pytest.raises(ShiftError, match=message) as caught:
        parse_shift(poste, date, now=paris(2025, 3, 12, 10))
    assert caught.value.field == field


def test_window_of_the_current_shift_starts_at_the_previous_shift():
    now = paris(2025, 3, 12, 10, 15)
    window = handover_window(shift_at(now), now=now)
    assert (window.start, window.end, window.is_current) == (paris(2025, 3, 11, 19), now, True)
    night_now = paris(2025, 3, 13, 0, 30)
    window = handover_window(shift_at(night_now), now=night_now)
    assert (window.start, window.end) == (paris(2025, 3, 12, 7), night_now)


def test_window_of_a_chosen_past_shift_is_that_shift():
    now = paris(2025, 3, 12, 10)
    window = handover_window(Shift(Poste.NUIT, datetime.date(2025, 3, 10)), now=now)
    assert (window.start, window.end, window.is_current) == (paris(2025, 3, 10, 19), paris(2025, 3, 11, 7), False)


def test_window_of_a_future_shift_is_empty():
    now = paris(2025, 3, 12, 10)
    window = handover_window(Shift(Poste.JOUR, datetime.date(2025, 3, 14)), now=now)
    assert window.not_started
