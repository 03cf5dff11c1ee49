"""Conversations older than the retention period are deleted."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.retention import purge_conversations


def test_purge_deletes_only_old_events(tmp_path: Path) -> None:
    database = tmp_path / "conversations.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL)"
        )
        now = time.time()
        connection.executemany(
            "INSERT INTO events (sender_id, timestamp) VALUES (?, ?)",
            [("old", now - 31 * 86_400), ("new", now - 29 * 86_400), ("now", now)],
        )
    assert purge_conversations(f"sqlite:///{database}", 30, now=now) == 1
    with sqlite3.connect(database) as connection:
        left = {row[0] for row in connection.execute("SELECT sender_id FROM events")}
    assert left == {"new", "now"}


def test_purge_without_a_database_yet(tmp_path: Path) -> None:
    assert purge_conversations(f"sqlite:///{tmp_path / 'none.db'}", 30) == 0


def test_telegram_chat_ids_go_when_their_conversation_has_gone(tmp_path: Path) -> None:
    from bot.retention import forget_idle_chats
    from bot.telegram.chat_ids import ChatIds

    conversations = tmp_path / "conversations.db"
    with sqlite3.connect(conversations) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL)"
        )
        connection.execute("INSERT INTO events (sender_id, timestamp) VALUES ('wp-kept', 1)")
    waypoint = f"sqlite:///{tmp_path / 'waypoint.db'}"
    chat_ids = ChatIds(waypoint, b"secret")
    chat_ids.remember("wp-kept", 111)
    chat_ids.remember("wp-gone", 222)
    assert forget_idle_chats(f"sqlite:///{conversations}", waypoint) == 1
    fresh = ChatIds(waypoint, b"secret")
    assert fresh.lookup("wp-kept") == 111
    assert fresh.lookup("wp-gone") is None
