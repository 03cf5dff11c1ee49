"""A conversation counts once per venue per day, and nothing about who is kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.venues.codes import new_code
from bot.venues.counting import LONDON, count_conversation, london_day
from bot.venues.store import VenueStore

SENDER = "wp-" + "ab" * 32
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=LONDON).timestamp()
HOUR = 3600.0


def said(text: str, at: float, venue: Any = None) -> UserUttered:
    metadata = {"venue": venue} if venue is not None else {}
    return UserUttered(text, metadata=metadata, timestamp=at)


def counts_after(store: VenueStore, messages: list[UserUttered]) -> list[bool]:
    """Handle ``messages`` one by one as the channel does; return which were counted."""
    tracker = DialogueStateTracker(SENDER, [])
    counted = []
    for message in messages:
        tracker.update(message)
        counted.append(count_conversation(tracker, store))
        tracker.update(BotUttered("Hi, I'm Waypoint.", timestamp=message.timestamp + 1))
    return counted


def test_one_conversation_counts_once_a_day_per_venue(tmp_path: Path) -> None:
    store = VenueStore(f"sqlite:///{tmp_path / 'waypoint.db'}")
    club, library = store.add("Club", "hackney").code, store.add("Library", "hackney").code
    messages = [
        said("hi", MONDAY_NOON, club),
        said("I feel unsafe", MONDAY_NOON + 60, club),
        said("/topic_unsafe", MONDAY_NOON + 120, club),
        said("hi", MONDAY_NOON + HOUR, library),  # scanned another poster the same day
        said("me again", MONDAY_NOON + 10 * HOUR, club),  # 22:00, still Monday in London
        said("hi", MONDAY_NOON + 24 * HOUR, club),  # Tuesday
        said("hello", MONDAY_NOON + 25 * HOUR, club.upper()),
    ]
    assert counts_after(store, messages) == [True, False, False, True, False, True, False]
    monday, tuesday = london_day(MONDAY_NOON), london_day(MONDAY_NOON + 24 * HOUR)
    assert sorted(store.daily_counts()) == sorted(
        [(club, monday, 1), (library, monday, 1), (club, tuesday, 1)]
    )


def test_unknown_codes_and_messages_without_a_venue_are_not_counted(tmp_path: Path) -> None:
    store = VenueStore(f"sqlite:///{tmp_path / 'waypoint.db'}")
    messages = [
        said("hi", MONDAY_NOON),
        said("hi", MONDAY_NOON + 1, new_code()),  # the shape of a code, but not a venue
        said("hi", MONDAY_NOON + 2, "hillingdon-yc1"),
        said("hi", MONDAY_NOON + 3, ["not", "text"]),
    ]
    assert counts_after(store, messages) == [False] * 4
    assert store.daily_counts() == []


def test_the_count_table_never_holds_the_pseudonym(tmp_path: Path) -> None:
    path = tmp_path / "waypoint.db"
    store = VenueStore(f"sqlite:///{path}")
    club = store.add("Club", "hackney").code
    assert counts_after(store, [said("hi", MONDAY_NOON, club)]) == [True]
    store.dispose()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("waypoint.db*"))
    assert club.encode() in stored
    assert SENDER.encode() not in stored and SENDER[3:].encode() not in stored
