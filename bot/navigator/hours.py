"""Navigator opening hours: weekly slots in Europe/London wall-clock time.

Hours are configuration (``hours.yml`` next to this module, or the YAML file named by
``WAYPOINT_NAVIGATOR_HOURS``). Every slot is turned into a concrete period for a
particular date with :mod:`zoneinfo`, and compared in UTC, so a slot stays "4pm to
10pm" on the days the clocks change and a slot across midnight lasts the real time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

ENV_VAR = "WAYPOINT_NAVIGATOR_HOURS"
DEFAULT_FILE = Path(__file__).with_name("hours.yml")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LOOKAHEAD_DAYS = 60


@dataclass(frozen=True)
class Slot:
    """One weekly opening: ``weekday`` (0 = Monday) from ``start`` to ``end`` minutes."""

    weekday: int
    start: int  # minutes after local midnight
    end: int  # minutes after local midnight of the start day; > 1440 crosses midnight


@dataclass(frozen=True)
class OpeningHours:
    """Weekly slots plus dates with no cover, in one timezone."""

    tz: ZoneInfo
    slots: tuple[Slot, ...]
    closed_dates: frozenset[date] = frozenset()

    def periods(self, first: date, last: date) -> Iterator[tuple[datetime, datetime]]:
        """Yield (start, end) in UTC for every slot starting on a local date in range."""
        day = first
        while day <= last:
            if day not in self.closed_dates:
                for slot in self.slots:
                    if slot.weekday == day.weekday():
                        yield self._at(day, slot.start), self._at(day, slot.end)
            day += timedelta(days=1)

    def _at(self, day: date, minutes: int) -> datetime:
        """Local wall-clock ``minutes`` after midnight of ``day``, as UTC.

        A time inside the spring-forward gap is read with the winter offset (01:30
        becomes 02:30 BST); an ambiguous autumn time means its first occurrence.
        """
        day += timedelta(days=minutes // 1440)
        hour, minute = divmod(minutes % 1440, 60)
        local = datetime.combine(day, time(hour, minute), tzinfo=self.tz)
        return local.astimezone(UTC)


def _minutes(value: Any, field: str) -> int:
    if isinstance(value, int):  # YAML 1.1 reads an unquoted 16:00 as 960 (base 60)
        return value
    try:
        hours, minutes = str(value).split(":")
        total = int(hours) * 60 + int(minutes)
    except ValueError:
        raise ValueError(f"{field}: expected HH:MM, got {value!r}") from None
    if not 0 <= total <= 1440 or int(minutes) >= 60:
        raise ValueError(f"{field}: {value!r} is not a time of day")
    return total


def parse_hours(data: dict[str, Any]) -> OpeningHours:
    """Build :class:`OpeningHours` from parsed YAML, raising ValueError on bad input."""
    tz = ZoneInfo(str(data.get("timezone", "Europe/London")))
    slots: list[Slot] = []
    for number, raw in enumerate(data.get("slots") or [], start=1):
        where = f"slots[{number}]"
        start = _minutes(raw.get("start"), f"{where}.start")
        end = _minutes(raw.get("end"), f"{where}.end")
        if start >= 1440:
            raise ValueError(f"{where}.start: must be before 24:00")
        if end == start:
            raise ValueError(f"{where}: start and end are the same")
        if end < start:
            end += 1440  # runs past midnight into the next day
        for day in raw.get("days") or []:
            key = str(day).strip().lower()[:3]
            if key not in DAYS:
                raise ValueError(f"{where}.days: unknown day {day!r}")
            slots.append(Slot(DAYS.index(key), start, end))
    closed = frozenset(date.fromisoformat(str(d)) for d in data.get("closed_dates") or [])
    return OpeningHours(tz, tuple(slots), closed)


_cache: dict[tuple[str, float], OpeningHours] = {}


def load_hours(path: str | Path | None = None) -> OpeningHours:
    """Load hours from ``path``, ``$WAYPOINT_NAVIGATOR_HOURS`` or the bundled file."""
    chosen = Path(path or os.environ.get(ENV_VAR) or DEFAULT_FILE)
    key = (str(chosen.resolve()), chosen.stat().st_mtime)
    if key not in _cache:
        with chosen.open(encoding="utf-8") as handle:
            _cache[key] = parse_hours(yaml.safe_load(handle) or {})
    return _cache[key]


def _check(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def is_open(now: datetime | None = None, hours: OpeningHours | None = None) -> bool:
    """Return True if ``now`` falls within an opening slot."""
    return closes_at(now, hours) is not None


def next_opening(
    now: datetime | None = None, hours: OpeningHours | None = None
) -> datetime | None:
    """Return when the next slot starts strictly after ``now`` (local time), or None.

    If a slot is open at ``now`` this is the start of the one after it. None means no
    slot in the next ``LOOKAHEAD_DAYS`` days (no hours configured, or all closed).
    """
    hours = hours or load_hours()
    now = _check(now)
    today = now.astimezone(hours.tz).date()
    starts = [
        start
        for start, _end in hours.periods(today, today + timedelta(days=LOOKAHEAD_DAYS))
        if start > now
    ]
    return min(starts).astimezone(hours.tz) if starts else None


def clock(minutes_or_time: int | time) -> str:
    """Say a time the way people do: "4pm", "4:30pm", "midday", "midnight"."""
    if isinstance(minutes_or_time, time):
        hour, minute = minutes_or_time.hour, minutes_or_time.minute
    else:
        hour, minute = divmod(minutes_or_time % 1440, 60)
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "midday"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


def describe_when(when: datetime, now: datetime, tz: ZoneInfo | None = None) -> str:
    """Say ``when`` relative to ``now``: "today at 4pm", "tomorrow at 4pm", "Monday at 4pm"."""
    tz = tz or ZoneInfo("Europe/London")
    local, today = when.astimezone(tz), _check(now).astimezone(tz).date()
    days = (local.date() - today).days
    at_words = f"at {clock(local.time())}"
    if days == 0:
        return f"today {at_words}"
    if days == 1:
        return f"tomorrow {at_words}"
    name = DAY_NAMES[local.weekday()]
    if days < 7:
        return f"{name} {at_words}"
    return f"{name} {local.day} {local.strftime('%B')} {at_words}"


def when_back(now: datetime | None = None, hours: OpeningHours | None = None) -> str | None:
    """The words for when navigators are next on shift, e.g. "tomorrow at 4pm"."""
    hours = hours or load_hours()
    now = _check(now)
    opening = next_opening(now, hours)
    return describe_when(opening, now, hours.tz) if opening else None


def closes_at(now: datetime | None = None, hours: OpeningHours | None = None) -> datetime | None:
    """When the slot open at ``now`` ends (local time), or None when closed."""
    hours = hours or load_hours()
    now = _check(now)
    today = now.astimezone(hours.tz).date()
    periods = hours.periods(today - timedelta(days=1), today)
    ends = [end for start, end in periods if start <= now < end]
    return max(ends).astimezone(hours.tz) if ends else None


def back_sentence(now: datetime | None = None, hours: OpeningHours | None = None) -> str:
    """What to tell someone when nobody is online: when a youth worker may be back.

    Within opening hours nobody online may be a break or a busy shift, so this says one
    may come online soon rather than only the next shift's start, which would be untrue.
    """
    hours = hours or load_hours()
    nxt = when_back(now, hours)
    back = f"back {nxt}" if nxt else "back at the start of their next shift"
    end = closes_at(now, hours)
    if end is None:
        return f"They're {back}."
    return (
        f"Youth workers are usually here until {clock(end.time())}, so one may come online "
        f"soon. If not, they're {back}."
    )


def describe_hours(hours: OpeningHours | None = None) -> list[str]:
    """Lines like "Monday to Friday, 4pm to 10pm" for the console and the guide."""
    hours = hours or load_hours()
    by_time: dict[tuple[int, int], list[int]] = {}
    for slot in hours.slots:
        by_time.setdefault((slot.start, slot.end), []).append(slot.weekday)
    lines = []
    for (start, end), weekdays in sorted(by_time.items(), key=lambda item: min(item[1])):
        runs: list[list[int]] = []
        for day in sorted(set(weekdays)):
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        days = ", ".join(
            DAY_NAMES[run[0]] if len(run) == 1 else f"{DAY_NAMES[run[0]]} to {DAY_NAMES[run[-1]]}"
            for run in runs
        )
        lines.append(f"{days}, {clock(start)} to {clock(end)}")
    return lines
