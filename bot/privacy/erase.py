""" "Forget me": erase everything Waypoint keeps about one pseudonym, at once.

Used by ``/forget`` on every channel (Telegram, the web chat's "Delete this chat" button,
REST). What goes: the conversation's events in the tracker store, the young person's
words, notes, area and place in any escalation, the encrypted Telegram chat-id link, and
any check-ins waiting to be sent. What stays: for each escalation an anonymous row that
says one existed (level, categories, channel, times, outcome "erased"), because a
safeguarding service must be able to count what it was asked to do, and per-venue daily
totals, which never held a pseudonym.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.navigator.db import checkpoint_sqlite
from bot.navigator.store import EscalationStore

logger = logging.getLogger(__name__)

# Waypoint tables that hold a row per pseudonym, and the column that names it. A table
# that does not exist yet (a feature not used in this deployment) is skipped.
PSEUDONYM_TABLES: tuple[tuple[str, str], ...] = (
    ("telegram_chats", "pseudonym"),
    ("checkins", "conversation_id"),
)


@dataclass(frozen=True)
class Erased:
    """How much was deleted for one pseudonym."""

    events: int = 0
    escalations: int = 0
    chat_links: int = 0
    checkins: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.events or self.escalations or self.chat_links or self.checkins)


def delete_events(engine: Engine, sender_id: str) -> int:
    """Delete a conversation's events from Rasa's SQL tracker store; return how many.

    On SQLite the deleted rows are overwritten with zeros and the write-ahead log is
    checkpointed, so the words do not linger in the file.
    """
    if not sa.inspect(engine).has_table("events"):
        return 0
    events = sa.Table("events", sa.MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA secure_delete=ON")
        result = connection.execute(sa.delete(events).where(events.c.sender_id == sender_id))
        deleted = int(result.rowcount or 0)
    checkpoint_sqlite(engine)
    return deleted


def delete_pseudonym_rows(engine: Engine, pseudonym: str) -> dict[str, int]:
    """Delete every row naming ``pseudonym`` in :data:`PSEUDONYM_TABLES`."""
    deleted: dict[str, int] = {}
    inspector = sa.inspect(engine)
    with engine.begin() as connection:
        for table_name, column in PSEUDONYM_TABLES:
            if not inspector.has_table(table_name):
                continue
            table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
            if column not in table.c:
                continue
            result = connection.execute(sa.delete(table).where(table.c[column] == pseudonym))
            deleted[table_name] = int(result.rowcount or 0)
    return deleted


def erase_everything(
    pseudonym: str, *, store: EscalationStore, delete_conversation: Callable[[str], int]
) -> Erased:
    """Erase one young person's data everywhere; return what was deleted.

    ``delete_conversation`` deletes the tracker's events (:func:`delete_events` for
    Rasa's SQL tracker store) and returns how many went. Escalations first: if anything
    later fails, the words a navigator could read are already gone, and running it
    again finishes the job.
    """
    escalations = store.erase_conversation(conversation_id=pseudonym)
    rows = delete_pseudonym_rows(store.db.engine, pseudonym)
    store.db.checkpoint()
    events = delete_conversation(pseudonym)
    erased = Erased(
        events=events,
        escalations=escalations,
        chat_links=rows.get("telegram_chats", 0),
        checkins=rows.get("checkins", 0),
    )
    logger.info(
        "privacy.erased events=%d escalations=%d chat_links=%d checkins=%d",
        erased.events,
        erased.escalations,
        erased.chat_links,
        erased.checkins,
    )
    return erased
