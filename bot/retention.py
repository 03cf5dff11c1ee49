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


def main(argv: list[str] | None = None) -> int:
    """``waypoint purge [--days N]``."""
    parser = argparse.ArgumentParser(prog="waypoint purge")
    parser.add_argument("--days", type=int, default=retention_days())
    args = parser.parse_args(argv)
    removed = purge_conversations(tracker_url(), args.days)
    print(f"Deleted {removed} conversation events older than {args.days} days.")  # noqa: T201
    return 0
