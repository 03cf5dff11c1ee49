"""Plain, immutable snapshots of rows, safe to pass between threads and processes.

The store hands these out instead of ORM objects so nothing lazy-loads after its
database session has closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.navigator.models import (
    CLAIMED,
    CLOSED,
    ConsoleSession,
    Escalation,
    EscalationEvent,
    Navigator,
)


@dataclass(frozen=True)
class EscalationRecord:
    """One escalation as stored."""

    id: int
    conversation_id: str
    channel: str
    level: str
    categories: tuple[str, ...]
    trigger_text: str
    area: str | None
    venue: str | None
    status: str
    handoff_active: bool
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None
    closed_at: datetime | None
    navigator_id: int | None
    outcome: str | None
    notes: str

    @property
    def is_open(self) -> bool:
        return self.status != CLOSED

    @property
    def is_claimed(self) -> bool:
        return self.status == CLAIMED

    @property
    def triggers(self) -> list[str]:
        """The young person's words that raised or re-raised this escalation."""
        return [line for line in self.trigger_text.split("\n") if line]

    @classmethod
    def of(cls, row: Escalation) -> EscalationRecord:
        return cls(
            id=row.id,
            conversation_id=row.conversation_id,
            channel=row.channel,
            level=row.level,
            categories=tuple(row.categories or ()),
            trigger_text=row.trigger_text,
            area=row.area,
            venue=row.venue,
            status=row.status,
            handoff_active=bool(row.handoff_active),
            created_at=row.created_at,
            updated_at=row.updated_at,
            claimed_at=row.claimed_at,
            closed_at=row.closed_at,
            navigator_id=row.navigator_id,
            outcome=row.outcome,
            notes=row.notes or "",
        )


@dataclass(frozen=True)
class NavigatorRecord:
    """A navigator account, without its password hash."""

    id: int
    username: str
    display_name: str
    online: bool
    last_seen: datetime | None

    @classmethod
    def of(cls, row: Navigator) -> NavigatorRecord:
        return cls(
            id=row.id,
            username=row.username,
            display_name=row.display_name,
            online=bool(row.online),
            last_seen=row.last_seen,
        )


@dataclass(frozen=True)
class SessionRecord:
    """A live console session and the navigator it belongs to."""

    navigator: NavigatorRecord
    csrf_token: str
    expires_at: datetime

    @classmethod
    def of(cls, row: ConsoleSession, navigator: Navigator) -> SessionRecord:
        return cls(NavigatorRecord.of(navigator), row.csrf_token, row.expires_at)


@dataclass(frozen=True)
class EventRecord:
    """One line of an escalation's audit trail."""

    at: datetime
    event: str
    navigator_id: int | None
    detail: str

    @classmethod
    def of(cls, row: EscalationEvent) -> EventRecord:
        return cls(row.at, row.event, row.navigator_id, row.detail or "")
