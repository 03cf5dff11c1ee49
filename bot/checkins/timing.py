"""When a check-in is due: the next day, at a kind hour in the UK."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
EARLIEST = time(10, 0)
LATEST = time(20, 0)


def due_time(now: datetime) -> datetime:
    """Return tomorrow at the same clock time, moved into 10:00-20:00 London time.

    A chat at 2am gets its check-in at 10am the next day, not at 2am.
    """
    local = now.astimezone(LONDON)
    clock = min(max(local.time().replace(second=0, microsecond=0), EARLIEST), LATEST)
    tomorrow = local.date() + timedelta(days=1)
    return datetime.combine(tomorrow, clock, tzinfo=LONDON).astimezone(UTC)
