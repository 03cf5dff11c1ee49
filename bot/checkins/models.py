"""The check-in table. A row exists only while a check-in is waiting to be sent.

Sent and cancelled check-ins are deleted, not kept: the row holds a pseudonym and a
time, and nothing is needed once the message has gone.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String
from sqlalchemy.orm import declarative_base

from bot.navigator.models import UTCDateTime, utcnow

Base = declarative_base()


class Checkin(Base):
    """One check-in a young person asked for."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_due_at", "due_at"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, unique=True)  # pseudonym only
    channel = Column(String(40), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    due_at = Column(UTCDateTime, nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
