"""Counting conversations started from a venue, as daily totals only.

A conversation (one pseudonym) counts once per venue per Europe/London day. The
conversation's own tracker is the record that stops double counting: a message is
counted when no earlier message of the same conversation carried the same venue code on
the same day. Nothing about the person is stored for this: ``venue_daily_counts`` holds
(venue, day, total) and nothing else, there is no separate list of who was counted, and
it still holds across restarts and several Rasa servers (they share the tracker store).

Codes that are not in the ``venues`` table are never counted.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa.shared.core.events import UserUttered

from bot.venues.codes import normalise
from bot.venues.store import VenueStore, default_store

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")


def london_day(timestamp: float) -> date:
    """Return the Europe/London date of a Unix timestamp."""
    return datetime.fromtimestamp(timestamp, LONDON).date()


def _venue_of(event: UserUttered) -> str | None:
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    return normalise(metadata.get("venue"))


def new_visit(tracker: Any) -> tuple[str, date] | None:
    """Return (venue, day) if the message just handled starts a venue's count for today."""
    said = [event for event in tracker.events if isinstance(event, UserUttered)]
    if not said:
        return None
    latest = said[-1]
    venue = _venue_of(latest)
    if venue is None:
        return None
    day = london_day(latest.timestamp)
    for earlier in said[:-1]:
        if _venue_of(earlier) == venue and london_day(earlier.timestamp) == day:
            return None
    return venue, day


def count_conversation(tracker: Any, store: VenueStore | None = None) -> bool:
    """Count the message just handled if it opens a real venue's day; True if counted."""
    visit = new_visit(tracker)
    if visit is None:
        return False
    store = store or default_store()
    venue, day = visit
    if not store.known(venue):
        return False
    store.count_conversation(venue, day)
    logger.info("venues.conversation.counted")
    return True


async def count_venue_conversation(tracker: Any) -> None:
    """:func:`count_conversation` off the event loop; a failure is logged, never raised."""
    try:
        await asyncio.to_thread(count_conversation, tracker)
    except Exception as error:
        logger.error("venues.count_failed error=%s", type(error).__name__)
