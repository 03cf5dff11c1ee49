"""Where to deliver out-of-band messages: pseudonym -> Telegram chat, encrypted.

Rasa only knows pseudonyms, so when a navigator replies the bridge must find the chat.
The chat id is stored encrypted (Fernet, key derived from the server secret with
HKDF-SHA256), keyed by pseudonym, so a copy of the database alone reveals no chat ids.
The same encrypted token carries the chat's two settings: the venue code it started
from (a QR poster's deep link) and whether the young person sent /stop. So /forget and
retention, which delete the row, delete those too.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass, replace

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Column, MetaData, String, Table, Text, create_engine, delete, select
from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

metadata = MetaData()
chats = Table(
    "telegram_chats",
    metadata,
    Column("pseudonym", String(80), primary_key=True),
    Column("token", Text, nullable=False),  # Fernet token of the chat record (JSON)
)


@dataclass(frozen=True)
class Chat:
    """What the bridge keeps about one chat."""

    chat_id: int
    venue: str | None = None  # venue code from the deep link (not personal data)
    stopped: bool = False  # /stop: no out-of-band messages until they write again


def fernet_for(server_secret: bytes) -> Fernet:
    """Return the Fernet cipher whose key is HKDF-SHA256(server secret)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"waypoint telegram chat ids"
    ).derive(server_secret)
    return Fernet(base64.urlsafe_b64encode(key))


def _decode(plain: bytes) -> Chat:
    """Read a token's plaintext: JSON, or the bare chat id written by earlier versions."""
    if plain.strip().lstrip(b"-").isdigit():
        return Chat(chat_id=int(plain))
    data = json.loads(plain)
    venue = data.get("venue")
    return Chat(
        chat_id=int(data["chat"]),
        venue=venue if isinstance(venue, str) else None,
        stopped=bool(data.get("stopped")),
    )


class ChatIds:
    """The encrypted pseudonym -> chat map."""

    def __init__(self, db_url: str, server_secret: bytes, engine: Engine | None = None) -> None:
        self.engine = engine or create_engine(db_url, future=True)
        self.fernet = fernet_for(server_secret)
        self.known: dict[str, Chat] = {}
        metadata.create_all(self.engine)

    def _save(self, pseudonym: str, chat: Chat) -> None:
        if self.known.get(pseudonym) == chat:
            return
        plain = {"chat": chat.chat_id, "venue": chat.venue, "stopped": chat.stopped}
        token = self.fernet.encrypt(json.dumps(plain).encode()).decode()
        with self.engine.begin() as conn:
            conn.execute(delete(chats).where(chats.c.pseudonym == pseudonym))
            conn.execute(chats.insert().values(pseudonym=pseudonym, token=token))
        self.known[pseudonym] = chat

    def remember(self, pseudonym: str, chat_id: int) -> Chat:
        """Store (or refresh) the chat for ``pseudonym``, keeping its settings; return it."""
        chat = self.chat(pseudonym)
        chat = replace(chat, chat_id=chat_id) if chat is not None else Chat(chat_id=chat_id)
        self._save(pseudonym, chat)
        return chat

    def set_venue(self, pseudonym: str, chat_id: int, venue: str | None) -> Chat:
        """Remember the venue code the chat came from; return the new record."""
        chat = replace(self.remember(pseudonym, chat_id), venue=venue)
        self._save(pseudonym, chat)
        return chat

    def set_stopped(self, pseudonym: str, chat_id: int, stopped: bool) -> Chat:
        """Mark the chat as stopped (/stop) or not (they wrote again); return it."""
        chat = replace(self.remember(pseudonym, chat_id), stopped=stopped)
        self._save(pseudonym, chat)
        return chat

    def chat(self, pseudonym: str) -> Chat | None:
        """Return the chat record for ``pseudonym``, or None if unknown."""
        if pseudonym in self.known:
            return self.known[pseudonym]
        with self.engine.connect() as conn:
            token = conn.execute(
                select(chats.c.token).where(chats.c.pseudonym == pseudonym)
            ).scalar_one_or_none()
        if token is None:
            return None
        try:
            chat = _decode(self.fernet.decrypt(token.encode()))
        except (InvalidToken, ValueError, KeyError, TypeError):
            logger.error("telegram.chat_ids.undecryptable")
            return None
        self.known[pseudonym] = chat
        return chat

    def lookup(self, pseudonym: str) -> int | None:
        """Return the chat id for ``pseudonym``, or None if unknown."""
        chat = self.chat(pseudonym)
        return chat.chat_id if chat is not None else None

    def forget(self, pseudonym: str) -> bool:
        """Delete the chat for ``pseudonym``; return True if there was one."""
        self.known.pop(pseudonym, None)
        with self.engine.begin() as conn:
            result = conn.execute(delete(chats).where(chats.c.pseudonym == pseudonym))
        return bool(result.rowcount)
