"""Retention: conversations are deleted after ``WAYPOINT_RETENTION_DAYS`` (default 30).

This is what the privacy message promises ("chats are deleted after 30 days"). It runs
when Waypoint starts and can be run from cron as ``waypoint purge``.
"""

from __future__ import annotations

import argparse
import logging
import os
import time

import sqlalchemy as sa

from bot import settings

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30


def retention_days() -> int:
    """Return the configured retention period in days."""
    return int(os.environ.get("WAYPOINT_RETENTION_DAYS", str(DEFAULT_DAYS)))


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
                query = sa.select(events.c.sender_id).where(
                    events.c.sender_id.in_(pseudonyms)
                ).distinct()
                active = set(connection.execute(query).scalars())
        idle = pseudonyms - active
        if idle:
            with chats_engine.begin() as connection:
                connection.execute(sa.delete(chats).where(chats.c.pseudonym.in_(idle)))
        return len(idle)
    finally:
        chats_engine.dispose()
        events_engine.dispose()


def purge(days: int) -> tuple[int, int]:
    """Apply retention everywhere; return (events deleted, chat ids forgotten)."""
    removed = purge_conversations(tracker_url(), days)
    return removed, forget_idle_chats(tracker_url(), settings.db_url())


def main(argv: list[str] | None = None) -> int:
    """``waypoint purge [--days N]``."""
    parser = argparse.ArgumentParser(prog="waypoint purge")
    parser.add_argument("--days", type=int, default=retention_days())
    args = parser.parse_args(argv)
    removed, forgotten = purge(args.days)
    print(  # noqa: T201
        f"Deleted {removed} conversation events older than {args.days} days "
        f"and {forgotten} Telegram chat ids with no conversation left."
    )
    return 0
