"""Opening hours in Europe/London: across midnight, weekends and both clock changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from signposting.hours import describe_opening, is_open, next_opening, periods_for

WEEKDAYS = periods_for("mon-fri", "09:00", "17:00")
LATE = periods_for("fri-sat", "22:00", "02:00")  # Friday and Saturday nights
WEEKEND = periods_for("sat,sun", "10:00", "16:00")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2026, 11, 27, 21, 59), False),  # Friday 21:59 GMT
        (utc(2026, 11, 27, 22, 0), True),  # Friday 22:00
        (utc(2026, 11, 28, 1, 59), True),  # Saturday 01:59: still Friday's period
        (utc(2026, 11, 28, 2, 0), False),  # Saturday 02:00: closed
        (utc(2026, 11, 29, 1, 0), True),  # Sunday 01:00: Saturday night's period
        (utc(2026, 11, 30, 1, 0), False),  # Monday 01:00: no Sunday period
        (utc(2026, 11, 26, 23, 0), False),  # Thursday night
    ],
)
def test_across_midnight(at: datetime, expected: bool) -> None:
    assert is_open(LATE, at) is expected


def test_weekends_and_weekdays() -> None:
    saturday_noon = utc(2026, 11, 28, 12, 0)
    assert is_open(WEEKEND, saturday_noon)
    assert not is_open(WEEKDAYS, saturday_noon)
    assert is_open(WEEKDAYS, utc(2026, 11, 30, 9, 0))  # Monday 09:00 GMT
    assert not is_open(WEEKDAYS, utc(2026, 11, 30, 17, 0))  # closes at 17:00 sharp


def test_british_summer_time_is_wall_clock() -> None:
    # In July 09:00 London is 08:00 UTC.
    assert is_open(WEEKDAYS, utc(2026, 7, 6, 8, 0))
    assert not is_open(WEEKDAYS, utc(2026, 7, 6, 7, 59))
    assert not is_open(WEEKDAYS, utc(2026, 7, 6, 16, 0))  # 17:00 BST


def test_spring_clock_change() -> None:
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026 (01:00 GMT -> 02:00 BST).
    assert is_open(LATE, utc(2026, 3, 29, 0, 59))  # 00:59 GMT, Saturday night open
    assert not is_open(LATE, utc(2026, 3, 29, 1, 0))  # 02:00 BST: closed
    sunday = periods_for("sun", "09:00", "17:00")
    assert is_open(sunday, utc(2026, 3, 29, 8, 0))  # 09:00 BST
    assert not is_open(sunday, utc(2026, 3, 29, 7, 59))
    opens = next_opening(sunday, utc(2026, 3, 29, 0, 30))
    assert opens is not None and opens.astimezone(UTC) == utc(2026, 3, 29, 8, 0)


def test_autumn_clock_change() -> None:
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026 (02:00 BST -> 01:00 GMT),
    # so 01:00-02:00 London happens twice; both are inside Saturday night's period.
    assert is_open(LATE, utc(2026, 10, 25, 0, 30))  # 01:30 BST
    assert is_open(LATE, utc(2026, 10, 25, 1, 30))  # 01:30 GMT
    assert not is_open(LATE, utc(2026, 10, 25, 2, 0))  # 02:00 GMT
    sunday = periods_for("sun", "09:00", "17:00")
    assert is_open(sunday, utc(2026, 10, 25, 9, 0))  # 09:00 GMT
    assert not is_open(sunday, utc(2026, 10, 25, 8, 30))


def test_next_opening_and_its_words() -> None:
    friday_evening = utc(2026, 11, 27, 18, 0)
    opens = next_opening(WEEKDAYS, friday_evening)
    assert opens is not None and opens.astimezone(UTC) == utc(2026, 11, 30, 9, 0)
    assert describe_opening(opens, friday_evening) == "on Monday at 9am"
    early = utc(2026, 11, 30, 6, 0)
    assert describe_opening(next_opening(WEEKDAYS, early), early) == "today at 9am"
    late = utc(2026, 11, 30, 20, 0)
    assert describe_opening(next_opening(WEEKDAYS, late), late) == "tomorrow at 9am"
    assert next_opening([], late) is None


@pytest.mark.parametrize(
    ("days", "opens", "closes"),
    [
        ("mon", "25:00", "26:00"),
        ("mon", "9am", "5pm"),
        ("mon", "10:00", "10:00"),
        ("funday", "09:00", "10:00"),
        ("mon", "24:00", "02:00"),
        ("mon,mon", "09:00", "10:00"),
    ],
)
def test_impossible_hours_are_refused(days: str, opens: str, closes: str) -> None:
    with pytest.raises(ValueError):
        periods_for(days, opens, closes)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        is_open(WEEKDAYS, datetime(2026, 11, 30, 9, 0))
