"""The encrypted pseudonym -> chat id map."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.telegram.chat_ids import ChatIds

SECRET = b"chat-ids-tests-secret"
CHAT = 987654321


def test_chat_ids_are_stored_encrypted_and_can_be_looked_up_again(tmp_path: Path) -> None:
    path = tmp_path / "waypoint.db"
    ChatIds(f"sqlite:///{path}", SECRET).remember("wp-abc", CHAT)
    raw = path.read_bytes()
    assert str(CHAT).encode() not in raw
    rows = sqlite3.connect(path).execute("SELECT pseudonym, token FROM telegram_chats").fetchall()
    assert len(rows) == 1 and rows[0][0] == "wp-abc" and str(CHAT) not in rows[0][1]
    # A fresh process (no cache) finds it; a different secret cannot read it.
    assert ChatIds(f"sqlite:///{path}", SECRET).lookup("wp-abc") == CHAT
    assert ChatIds(f"sqlite:///{path}", b"another-secret").lookup("wp-abc") is None
    assert ChatIds(f"sqlite:///{path}", SECRET).lookup("wp-unknown") is None


def test_remember_replaces_and_forget_deletes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'waypoint.db'}"
    store = ChatIds(url, SECRET)
    store.remember("wp-abc", CHAT)
    store.remember("wp-abc", CHAT + 1)
    assert ChatIds(url, SECRET).lookup("wp-abc") == CHAT + 1
    assert store.forget("wp-abc") is True
    assert store.lookup("wp-abc") is None
    assert ChatIds(url, SECRET).lookup("wp-abc") is None
    assert store.forget("wp-abc") is False
