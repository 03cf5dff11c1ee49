"""Where to deliver out-of-band messages: pseudonym -> Telegram chat id, encrypted.

Rasa only knows pseudonyms, so when a navigator replies the bridge must find the chat.
The chat id is stored encrypted (Fernet, key derived from the server secret with
HKDF-SHA256), keyed by pseudonym, so a copy of the database alone reveals no chat ids.
"""

from __future__ import annotations

import base64
import logging

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
    Column("token", Text, nullable=False),  # Fernet token of the chat id
)


def fernet_for(server_secret: bytes) -> Fernet:
    """Return the Fernet cipher whose key is HKDF-SHA256(server secret)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"waypoint telegram chat ids"
    ).derive(server_secret)
    return Fernet(base64.urlsafe_b64encode(key))


class ChatIds:
    """The encrypted pseudonym -> chat id map."""

    def __init__(self, db_url: str, server_secret: bytes, engine: Engine | None = None) -> None:
        self.engine = engine or create_engine(db_url, future=True)
        self.fernet = fernet_for(server_secret)
        self.known: dict[str, int] = {}
        metadata.create_all(self.engine)

    def remember(self, pseudonym: str, chat_id: int) -> None:
        """Store (or refresh) the chat for ``pseudonym``."""
        if self.known.get(pseudonym) == chat_id:
            return
        token = self.fernet.encrypt(str(chat_id).encode()).decode()
        with self.engine.begin() as conn:
            conn.execute(delete(chats).where(chats.c.pseudonym == pseudonym))
            conn.execute(chats.insert().values(pseudonym=pseudonym, token=token))
        self.known[pseudonym] = chat_id

    def lookup(self, pseudonym: str) -> int | None:
        """Return the chat id for ``pseudonym``, or None if unknown."""
        if pseudonym in self.known:
            return self.known[pseudonym]
        with self.engine.connect() as conn:
            token = conn.execute(
                select(chats.c.token).where(chats.c.pseudonym == pseudonym)
            ).scalar_one_or_none()
        if token is None:
            return None
        try:
            chat_id = int(self.fernet.decrypt(token.encode()))
        except (InvalidToken, ValueError):
            logger.error("telegram.chat_ids.undecryptable")
            return None
        self.known[pseudonym] = chat_id
        return chat_id

    def forget(self, pseudonym: str) -> bool:
        """Delete the chat for ``pseudonym``; return True if there was one."""
        self.known.pop(pseudonym, None)
        with self.engine.begin() as conn:
            result = conn.execute(delete(chats).where(chats.c.pseudonym == pseudonym))
        return bool(result.rowcount)
