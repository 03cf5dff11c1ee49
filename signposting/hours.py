"""Weekly opening hours in Europe/London wall-clock time: open now? when next?

A period is (weekday, opens, closes) in minutes after local midnight of that weekday;
``closes`` may pass 1440 for a period that runs past midnight (22:00-02:00 on Friday is
(4, 1320, 1560)). Times are wall-clock, so on the clock-change Sundays a 09:00-17:00
service still opens at 09:00 local time; a time that doesn't exist locally (01:30 on the
last Sunday of March) is never "now".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS, UNKNOWN, SCHEDULED = "always", "unknown", "scheduled"
_TIME = re.compile(r"^([01][0-9]|2[0-4]):([0-5][0-9])$")


@dataclass(frozen=True)
class Period:
    """One opening on one weekday (0 = Monday), in minutes after local midnight."""

    weekday: int
    opens: int
    closes: int


def parse_time(text: str) -> int:
    """``"08:30"`` -> 510. Raises ValueError for anything that isn't a real HH:MM."""
    match = _TIME.match(str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not a time like 09:00")
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    if minutes > 24 * 60:
        raise ValueError(f"{text!r} is after 24:00")
    return minutes


def parse_days(text: str) -> list[int]:
    """``"mon-fri"`` -> [0..4], ``"sat,sun"`` -> [5, 6], ``"fri-mon"`` wraps round."""
    days: list[int] = []
    for part in str(text).lower().replace(" ", "").split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in DAY_NAMES or last not in DAY_NAMES:
                raise ValueError(f"{part!r} is not a day range like mon-fri")
            start, end = DAY_NAMES.index(first), DAY_NAMES.index(last)
            span = (end - start) % 7
            days.extend((start + offset) % 7 for offset in range(span + 1))
        elif part in DAY_NAMES:
            days.append(DAY_NAMES.index(part))
        else:
            raise ValueError(f"{part!r} is not a day (mon, tue, ... sun)")
    if len(set(days)) != len(days):
        raise ValueError(f"{text!r} names a day twice")
    return days


def periods_for(days: str, opens: str, closes: str) -> list[Period]:
    """The periods for one hours line. A close at or before the open means after midnight."""
    start, end = parse_time(opens), parse_time(closes)
    if start == 24 * 60:
        raise ValueError("a service can't open at 24:00; use 00:00")
    if end == start:
        raise ValueError(f"opens and closes at the same time ({opens})")
    if end < start:
        end += 24 * 60
    return [Period(day, start, end) for day in parse_days(days)]


def _local(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime given; use a timezone-aware one")
    return at.astimezone(LONDON)


def is_open(periods: list[Period], at: datetime) -> bool:
    """True if ``at`` (aware) falls inside one of the periods, in London wall-clock time."""
    local = _local(at)
    minute = local.hour * 60 + local.minute
    today = local.weekday()
    yesterday = (today - 1) % 7
    for period in periods:
        if period.weekday == today and period.opens <= minute < period.closes:
            return True
        if period.weekday == yesterday and period.opens <= minute + 24 * 60 < period.closes:
            return True
    return False


def _wall_clock(day: date, minutes: int) -> datetime:
    base = datetime.combine(day, time(0), tzinfo=LONDON)
    naive = datetime.combine(day, time(0)) + timedelta(minutes=minutes)
    # Build from the wall-clock fields so a 09:00 opening stays 09:00 across a clock change.
    return naive.replace(tzinfo=base.tzinfo)


def next_opening(periods: list[Period], at: datetime) -> datetime | None:
    """When the service next opens after ``at`` (London time), or None if it never does."""
    local = _local(at)
    best: datetime | None = None
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        for period in periods:
            if period.weekday != day.weekday():
                continue
            start = _wall_clock(day, period.opens)
            # Round-trip through UTC so a time in the spring gap moves to a real instant.
            start = start.astimezone(UTC).astimezone(LONDON)
            if start > local and (best is None or start < best):
                best = start
        if best is not None:
            return best
    return best


def describe_opening(when: datetime, at: datetime) -> str:
    """``"today at 9am"``, ``"tomorrow at 3pm"``, ``"on Monday at 9am"`` (London time)."""
    local_when, local_at = _local(when), _local(at)
    hour = local_when.strftime("%I").lstrip("0")
    minute = local_when.strftime("%M")
    clock = f"{hour}{'' if minute == '00' else ':' + minute}{local_when.strftime('%p').lower()}"
    days = (local_when.date() - local_at.date()).days
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"on {local_when.strftime('%A')} at {clock}"
