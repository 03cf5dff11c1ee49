"""SQLAlchemy 1.4 tables for escalations, navigators and console sessions.

Written for 1.4's 2.0-style API (``declarative_base``, ``select()``), so the same code
runs against SQLite (the embedded default) and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

Base = declarative_base()

LEVELS = ("medium", "high", "immediate")
"""Escalation levels, least urgent first."""
LEVEL_RANK = {name: rank for rank, name in enumerate(LEVELS)}

WAITING, CLAIMED, HANDED_BACK, CLOSED = "waiting", "claimed", "handed_back", "closed"
STATUSES = (WAITING, CLAIMED, HANDED_BACK, CLOSED)


def utcnow() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python.

    SQLite has no timezone type: values are stored as naive UTC there and given their
    timezone back on the way out. PostgreSQL stores ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSONList(TypeDecorator):
    """A list of strings kept as JSON text (portable across SQLite and PostgreSQL)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str:
        return json.dumps(sorted(set(value or [])))

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str]:
        return list(json.loads(value)) if value else []


class Navigator(Base):
    """A youth worker who can log in to the console."""

    __tablename__ = "navigators"

    id = Column(Integer, primary_key=True)
    display_name = Column(String(60), nullable=False)  # first name shown to young people
    username = Column(String(60), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    online = Column(Boolean, nullable=False, default=False)
    last_seen = Column(UTCDateTime, nullable=True)  # refreshed while a console is open
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class Escalation(Base):
    """One conversation that needs a person; at most one open per conversation."""

    __tablename__ = "escalations"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False)  # pseudonymous sender id only
    channel = Column(String(40), nullable=False)
    level = Column(String(16), nullable=False)
    categories = Column(JSONList, nullable=False, default=list)
    trigger_text = Column(Text, nullable=False)  # the young person's words, one per line
    area = Column(String(120), nullable=True)
    venue = Column(String(200), nullable=True)
    status = Column(String(16), nullable=False, default=WAITING)
    # True while a navigator has taken over (Rasa paused). action_session_start reads
    # this to re-pause after a session expiry or /restart silently un-paused Rasa.
    handoff_active = Column(Boolean, nullable=False, default=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow)
    claimed_at = Column(UTCDateTime, nullable=True)
    closed_at = Column(UTCDateTime, nullable=True)
    navigator_id = Column(Integer, ForeignKey("navigators.id"), nullable=True)
    outcome = Column(String(60), nullable=True)
    notes = Column(Text, nullable=False, default="")

    __table_args__ = (
        # A second open escalation for one conversation is refused by the database
        # itself, so two processes racing to escalate still produce one row.
        Index(
            "uq_escalations_open_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
        Index("ix_escalations_status", "status"),
        Index("ix_escalations_updated_at", "updated_at"),
    )


class EscalationEvent(Base):
    """Audit trail: what happened to an escalation and when (never message text)."""

    __tablename__ = "escalation_events"

    id = Column(Integer, primary_key=True)
    escalation_id = Column(Integer, ForeignKey("escalations.id"), nullable=False, index=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow)
    event = Column(String(40), nullable=False)
    navigator_id = Column(Integer, ForeignKey("navigators.id"), nullable=True)
    detail = Column(String(200), nullable=False, default="")


class ConsoleSession(Base):
    """A logged-in console; only a hash of the cookie token is stored."""

    __tablename__ = "navigator_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    navigator_id = Column(Integer, ForeignKey("navigators.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False)
