"""Storing, cancelling and finding due check-ins (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from bot.checkins.models import Base, Checkin
from bot.navigator.db import Database
from bot.navigator.models import utcnow


class CheckinStore:
    """Check-ins in Waypoint's own database, keyed by pseudonym."""

    def __init__(self, url: str) -> None:
        self.db = Database(url, create_tables=False)
        with self.db.write() as session:
            Base.metadata.create_all(session.connection())

    def request(self, *, conversation_id: str, channel: str, due_at: datetime) -> int:
        """Store (or move) this conversation's check-in; return its id."""
        with self.db.write() as session:
            row = session.execute(
                select(Checkin).where(Checkin.conversation_id == conversation_id)
            ).scalar_one_or_none()
            if row is None:
                row = Checkin(conversation_id=conversation_id, channel=channel, due_at=due_at)
                session.add(row)
            else:
                row.channel, row.due_at, row.attempts = channel, due_at, 0
            session.flush()
            return int(row.id)

    def cancel(self, conversation_id: str) -> bool:
        """Delete this conversation's check-in; return whether there was one."""
        with self.db.write() as session:
            result = session.execute(
                delete(Checkin).where(Checkin.conversation_id == conversation_id)
            )
            return bool(result.rowcount)

    def pending(self, conversation_id: str) -> Checkin | None:
        """Return this conversation's waiting check-in, if any."""
        with self.db.read() as session:
            return session.execute(
                select(Checkin).where(Checkin.conversation_id == conversation_id)
            ).scalar_one_or_none()

    def due(self, now: datetime | None = None, *, limit: int = 50) -> list[Checkin]:
        """Return check-ins due at ``now``, oldest first."""
        with self.db.read() as session:
            query = (
                select(Checkin)
                .where(Checkin.due_at <= (now or utcnow()))
                .order_by(Checkin.due_at)
                .limit(limit)
            )
            return list(session.execute(query).scalars())

    def done(self, checkin_id: int) -> None:
        """Forget a check-in that was sent (or can never be sent)."""
        with self.db.write() as session:
            session.execute(delete(Checkin).where(Checkin.id == checkin_id))

    def failed(self, checkin_id: int) -> int:
        """Count a failed attempt; return how many attempts have failed."""
        with self.db.write() as session:
            session.execute(
                update(Checkin)
                .where(Checkin.id == checkin_id)
                .values(attempts=Checkin.attempts + 1)
            )
            row = session.get(Checkin, checkin_id)
            return int(row.attempts) if row is not None else 0

    def dispose(self) -> None:
        self.db.dispose()
