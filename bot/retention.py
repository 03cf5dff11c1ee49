"""Retention: what the privacy notice (docs/privacy.md) promises, applied.

- Conversation events are deleted after ``WAYPOINT_RETENTION_DAYS`` (default 30).
- Closed escalations are redacted after ``WAYPOINT_ESCALATION_RETENTION_DAYS`` (default
  90): the young person's words, notes, area, place and pseudonym go; an anonymous row
  that an escalation existed stays.
- Telegram chat ids whose conversation is gone are deleted.
- Per-venue daily totals hold no pseudonym and are kept.

It runs when Waypoint starts, every ``WAYPOINT_PURGE_EVERY_MINUTES`` (default 60) while
``make run`` is up, and from cron as ``waypoint purge``.
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot import settings

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30
DEFAULT_ESCALATION_DAYS = 90
DEFAULT_PURGE_EVERY_MINUTES = 60


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


def retention_days() -> int:
    """Return how many days conversation events are kept."""
    return _positive_int("WAYPOINT_RETENTION_DAYS", DEFAULT_DAYS)


def escalation_retention_days() -> int:
    """Return how many days a closed escalation keeps its words and notes."""
    return _positive_int("WAYPOINT_ESCALATION_RETENTION_DAYS", DEFAULT_ESCALATION_DAYS)


def purge_every_minutes() -> int:
    """Return how often the running stack applies retention."""
    return _positive_int("WAYPOINT_PURGE_EVERY_MINUTES", DEFAULT_PURGE_EVERY_MINUTES)


@dataclass(frozen=True)
class Purged:
    """What one purge removed."""

    events: int = 0
    chat_ids: int = 0
    escalations: int = 0

    def __str__(self) -> str:
        return (
            f"deleted {self.events} conversation events and {self.chat_ids} Telegram chat "
            f"ids, redacted {self.escalations} closed escalations"
        )


def tracker_url() -> str:
    """Return the tracker store URL the launcher gives Rasa."""
    return os.environ.get("WAYPOINT_TRACKER_URL") or (
        f"sqlite:///{settings.data_dir() / 'conversations.db'}"
    )


def purge_conversations(url: str, days: int, now: float | None = None) -> int:
    """Delete tracker events older than ``days``; return how many rows went."""
    cutoff = (now if now is not None else time.time()) - days * 86_400
    engine = sa.create_engine(url, future=True)
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0
        events = sa.Table("events", sa.MetaData(), autoload_with=engine)
        with engine.begin() as connection:
            result = connection.execute(sa.delete(events).where(events.c.timestamp < cutoff))
            return int(result.rowcount or 0)
    finally:
        engine.dispose()


def forget_idle_chats(conversations_url: str, waypoint_url: str) -> int:
    """Delete Telegram chat ids whose conversation has no events left; return how many.

    The bridge keeps an encrypted pseudonym -> chat id map to deliver navigators'
    messages; once retention has deleted a conversation, its chat id has no purpose.
    """
    chats_engine = sa.create_engine(waypoint_url, future=True)
    events_engine = sa.create_engine(conversations_url, future=True)
    try:
        if not sa.inspect(chats_engine).has_table("telegram_chats"):
            return 0
        chats = sa.Table("telegram_chats", sa.MetaData(), autoload_with=chats_engine)
        with chats_engine.connect() as connection:
            pseudonyms = set(connection.execute(sa.select(chats.c.pseudonym)).scalars())
        active: set[str] = set()
        if pseudonyms and sa.inspect(events_engine).has_table("events"):
            events = sa.Table("events", sa.MetaData(), autoload_with=events_engine)
            with events_engine.connect() as connection:
                query = (
                    sa.select(events.c.sender_id)
                    .where(events.c.sender_id.in_(pseudonyms))
                    .distinct()
                )
                active = set(connection.execute(query).scalars())
        idle = pseudonyms - active
        if idle:
            with chats_engine.begin() as connection:
                connection.execute(sa.delete(chats).where(chats.c.pseudonym.in_(idle)))
        return len(idle)
    finally:
        chats_engine.dispose()
        events_engine.dispose()


def expire_escalations(url: str, days: int, now: datetime | None = None) -> int:
    """Redact escalations closed more than ``days`` ago; return how many."""
    from bot.navigator.store import EscalationStore

    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    store = EscalationStore(url)
    try:
        return store.expire_closed(closed_before=cutoff)
    finally:
        store.dispose()


def purge(days: int | None = None, escalation_days: int | None = None) -> Purged:
    """Apply retention everywhere."""
    days = retention_days() if days is None else days
    escalation_days = escalation_retention_days() if escalation_days is None else escalation_days
    events = purge_conversations(tracker_url(), days)
    chat_ids = forget_idle_chats(tracker_url(), settings.db_url())
    escalations = expire_escalations(settings.db_url(), escalation_days)
    purged = Purged(events=events, chat_ids=chat_ids, escalations=escalations)
    logger.info(
        "retention.purged events=%d chat_ids=%d escalations=%d",
        purged.events,
        purged.chat_ids,
        purged.escalations,
    )
    return purged


def main(argv: list[str] | None = None) -> int:
    """``waypoint purge [--days N] [--escalation-days N]``."""
    parser = argparse.ArgumentParser(prog="waypoint purge")
    parser.add_argument(
        "--days",
        type=int,
        default=retention_days(),
        help="keep conversation events this many days",
    )
    parser.add_argument(
        "--escalation-days",
        type=int,
        default=escalation_retention_days(),
        help="keep a closed escalation's words and notes this many days",
    )
    args = parser.parse_args(argv)
    if args.days < 1 or args.escalation_days < 1:
        parser.error("retention periods must be at least 1 day")
    purged = purge(args.days, args.escalation_days)
    print(  # noqa: T201
        f"Retention ({args.days} days for chats, {args.escalation_days} for closed "
        f"escalations): {purged}."
    )
    return 0
