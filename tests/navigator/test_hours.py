"""Opening hours: weekdays, weekends, slots across midnight and the clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.navigator.hours import (
    back_sentence,
    clock,
    closes_at,
    describe_hours,
    describe_when,
    is_open,
    load_hours,
    next_opening,
    parse_hours,
    when_back,
)

LONDON = ZoneInfo("Europe/London")
STANDARD = parse_hours(
    {
        "timezone": "Europe/London",
        "slots": [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "16:00", "end": "22:00"},
            {"days": ["sat"], "start": "12:00", "end": "18:00"},
        ],
    }
)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_weekday_hours_start_inclusive_end_exclusive() -> None:
    wednesday = (2025, 6, 11)
    assert not is_open(london(*wednesday, 15, 59), STANDARD)
    assert is_open(london(*wednesday, 16, 0), STANDARD)
    assert is_open(london(*wednesday, 21, 59), STANDARD)
    assert not is_open(london(*wednesday, 22, 0), STANDARD)
    assert is_open(utc(*wednesday, 15, 30), STANDARD)  # 16:30 BST


def test_weekend() -> None:
    assert is_open(london(2025, 6, 14, 13, 0), STANDARD)  # Saturday
    assert not is_open(london(2025, 6, 15, 13, 0), STANDARD)  # Sunday: no cover
    saturday_evening = london(2025, 6, 14, 19, 0)
    assert next_opening(saturday_evening, STANDARD) == london(2025, 6, 16, 16, 0)
    assert when_back(saturday_evening, STANDARD) == "Monday at 4pm"
    assert when_back(london(2025, 6, 13, 23, 0), STANDARD) == "tomorrow at midday"
    assert when_back(london(2025, 6, 16, 10, 0), STANDARD) == "today at 4pm"
    # Open now: the next opening is the one after this slot.
    assert when_back(london(2025, 6, 16, 16, 30), STANDARD) == "tomorrow at 4pm"


def test_slot_across_midnight() -> None:
    late = parse_hours({"slots": [{"days": ["fri"], "start": "22:00", "end": "02:00"}]})
    assert not is_open(london(2025, 6, 13, 21, 59), late)
    assert is_open(london(2025, 6, 13, 23, 0), late)
    assert is_open(london(2025, 6, 14, 1, 59), late)  # Saturday, still Friday's slot
    assert not is_open(london(2025, 6, 14, 2, 0), late)
    assert not is_open(london(2025, 6, 13, 1, 0), late)  # Friday 1am: Thursday had none


def test_last_sunday_of_march_clocks_go_forward() -> None:
    # Saturday 29 March 2025 is GMT; Monday 31 March is BST (UTC+1).
    opening = next_opening(london(2025, 3, 29, 19, 0), STANDARD)
    assert opening == utc(2025, 3, 31, 15, 0)  # 4pm BST
    assert opening is not None and opening.utcoffset() == timedelta(hours=1)
    assert when_back(london(2025, 3, 29, 19, 0), STANDARD) == "Monday at 4pm"
    assert is_open(utc(2025, 3, 31, 15, 30), STANDARD)  # 4:30pm BST
    assert not is_open(utc(2025, 3, 28, 15, 30), STANDARD)  # 3:30pm GMT on Friday
    # A night slot over the change is an hour shorter in real time.
    night = parse_hours({"slots": [{"days": ["sat"], "start": "23:00", "end": "03:00"}]})
    assert is_open(utc(2025, 3, 29, 23, 0), night)
    assert is_open(utc(2025, 3, 30, 1, 59), night)  # 02:59 BST
    assert not is_open(utc(2025, 3, 30, 2, 0), night)  # 03:00 BST
    # A slot starting inside the missing hour begins with the winter offset: 02:30 BST.
    gap = parse_hours({"slots": [{"days": ["sun"], "start": "01:30", "end": "04:00"}]})
    assert next_opening(utc(2025, 3, 30, 0, 0), gap) == utc(2025, 3, 30, 1, 30)


def test_last_sunday_of_october_clocks_go_back() -> None:
    # Saturday 25 October 2025 is BST; Monday 27 October is GMT.
    opening = next_opening(london(2025, 10, 25, 19, 0), STANDARD)
    assert opening == utc(2025, 10, 27, 16, 0)
    assert opening is not None and opening.utcoffset() == timedelta(0)
    assert when_back(london(2025, 10, 25, 19, 0), STANDARD) == "Monday at 4pm"
    # 22:00 BST Saturday to 02:00 GMT Sunday is five real hours.
    night = parse_hours({"slots": [{"days": ["sat"], "start": "22:00", "end": "02:00"}]})
    assert not is_open(utc(2025, 10, 25, 20, 59), night)
    assert is_open(utc(2025, 10, 25, 21, 0), night)
    assert is_open(utc(2025, 10, 26, 0, 30), night)  # 01:30 BST, first time round
    assert is_open(utc(2025, 10, 26, 1, 30), night)  # 01:30 GMT, second time round
    assert not is_open(utc(2025, 10, 26, 2, 0), night)


def test_closed_dates_and_far_openings() -> None:
    bank_holiday = parse_hours(
        {
            "slots": [{"days": ["mon", "tue"], "start": "16:00", "end": "22:00"}],
            "closed_dates": ["2025-08-25"],
        }
    )
    assert not is_open(london(2025, 8, 25, 17, 0), bank_holiday)
    assert when_back(london(2025, 8, 24, 12, 0), bank_holiday) == "Tuesday at 4pm"
    two_weeks = parse_hours(
        {
            "slots": [{"days": ["mon"], "start": "16:30", "end": "22:00"}],
            "closed_dates": ["2025-06-16", "2025-06-23"],
        }
    )
    assert when_back(london(2025, 6, 14, 12, 0), two_weeks) == "Monday 30 June at 4:30pm"


def test_no_hours_means_no_opening() -> None:
    none = parse_hours({"slots": []})
    assert not is_open(london(2025, 6, 11, 17, 0), none)
    assert next_opening(london(2025, 6, 11, 17, 0), none) is None
    assert when_back(london(2025, 6, 11, 17, 0), none) is None


def test_words() -> None:
    assert [clock(m) for m in (960, 990, 720, 0, 15, 1440)] == [
        "4pm",
        "4:30pm",
        "midday",
        "midnight",
        "12:15am",
        "midnight",
    ]
    now = london(2025, 6, 11, 9, 0)
    assert describe_when(london(2025, 6, 11, 16, 0), now) == "today at 4pm"
    assert describe_when(london(2025, 6, 12, 16, 0), now) == "tomorrow at 4pm"
    assert describe_when(london(2025, 6, 16, 16, 0), now) == "Monday at 4pm"
    assert describe_hours(STANDARD) == ["Monday to Friday, 4pm to 10pm", "Saturday, midday to 6pm"]


def test_bundled_file_and_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAYPOINT_NAVIGATOR_HOURS", raising=False)
    assert describe_hours(load_hours()) == describe_hours(STANDARD)
    other = tmp_path / "hours.yml"
    other.write_text("slots:\n  - days: [sun]\n    start: 10:00\n    end: '14:00'\n")
    monkeypatch.setenv("WAYPOINT_NAVIGATOR_HOURS", str(other))
    assert describe_hours(load_hours()) == ["Sunday, 10am to 2pm"]  # unquoted 10:00 too
    assert is_open(london(2025, 6, 15, 11, 0))


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        is_open(datetime(2025, 6, 11, 17, 0), STANDARD)
    with pytest.raises(ValueError, match=r"slots\[1\]\.start"):
        parse_hours({"slots": [{"days": ["mon"], "start": "4pm", "end": "22:00"}]})
    with pytest.raises(ValueError, match="unknown day"):
        parse_hours({"slots": [{"days": ["someday"], "start": "16:00", "end": "22:00"}]})
    with pytest.raises(ValueError, match="the same"):
        parse_hours({"slots": [{"days": ["mon"], "start": "16:00", "end": "16:00"}]})


def test_what_to_say_when_nobody_is_online() -> None:
    """Out of hours: when they are back. In hours (a break, a busy shift): one may come
    online soon, and when the next shift starts if not; never only "tomorrow"."""
    monday_morning, monday_evening = london(2025, 6, 16, 10, 0), london(2025, 6, 16, 17, 0)
    assert closes_at(monday_morning, STANDARD) is None
    assert closes_at(monday_evening, STANDARD) == london(2025, 6, 16, 22, 0)
    assert back_sentence(monday_morning, STANDARD) == "They're back today at 4pm."
    assert back_sentence(monday_evening, STANDARD) == (
        "Youth workers are usually here until 10pm, so one may come online soon. "
        "If not, they're back tomorrow at 4pm."
    )
    never = parse_hours({"timezone": "Europe/London", "slots": []})
    assert back_sentence(monday_evening, never) == (
        "They're back at the start of their next shift."
    )
