"""What navigators do to an escalation: claim, release, hand back, close.

Each change is one conditional UPDATE, so two navigators clicking at once cannot both
win, and each is written to the audit trail (event names only, never message text).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.navigator.db import Database
from bot.navigator.models import (
    CLAIMED,
    CLOSED,
    HANDED_BACK,
    WAITING,
    Escalation,
    EscalationEvent,
    utcnow,
)
from bot.navigator.records import EscalationRecord
from bot.privacy.redact import redact

log = logging.getLogger("bot.navigator.store")


class EscalationNotFoundError(LookupError):
    """No escalation has that id."""


class EscalationConflictError(RuntimeError):
    """The escalation is not in a state that allows this (e.g. claimed by someone else)."""


def add_event(
    session: Session,
    escalation_id: int,
    event: str,
    navigator_id: int | None = None,
    detail: str = "",
) -> None:
    """Append one line to an escalation's audit trail."""
    session.add(
        EscalationEvent(
            escalation_id=escalation_id,
            event=event,
            navigator_id=navigator_id,
            detail=detail[:200],
        )
    )


class HandoffMixin:
    """Navigator actions on escalations; expects ``self.db`` (a :class:`Database`)."""

    db: Database

    def erase_conversation(self, *, conversation_id: str) -> int:
        """Forget a young person ("forget me"): redact every escalation of theirs.

        Their words, the notes, area, place and pseudonym are wiped; level, categories,
        times and outcome stay as anonymous counts. An open one is closed ("erased").
        Returns how many escalations were redacted. If ``handoff_active`` was true, the
        caller must also resume the Rasa conversation.
        """
        query = select(Escalation).where(Escalation.conversation_id == conversation_id)
        return self._anonymise(query, "erased")

    def expire_closed(self, *, closed_before: datetime) -> int:
        """Retention: redact escalations closed before ``closed_before``; return how many.

        What stays is the same anonymous row as after "forget me": that an escalation
        existed, its level, categories, channel, times and outcome.
        """
        query = select(Escalation).where(
            Escalation.status == CLOSED,
            Escalation.closed_at < closed_before,
            Escalation.conversation_id.not_like("erased-%"),
            Escalation.conversation_id.not_like("expired-%"),
        )
        return self._anonymise(query, "expired")

    def _anonymise(self, query: Select, event: str) -> int:
        now = utcnow()
        with self.db.write() as session:
            rows = list(session.execute(query).scalars())
            for row in rows:
                if row.status != CLOSED:
                    row.status, row.outcome, row.closed_at = CLOSED, event, now
                row.conversation_id = f"{event}-{row.id}"
                row.trigger_text, row.notes, row.area, row.venue = "", "", None, None
                row.handoff_active, row.updated_at = False, now
                add_event(session, row.id, event)
        for row in rows:
            log.info("navigator.escalation.%s id=%s", event, row.id)
        return len(rows)

    def claim(self, *, escalation_id: int, navigator_id: int) -> EscalationRecord:
        """Take over: the navigator owns it and the conversation counts as paused.

        Claiming again by the same navigator is harmless; by anyone else it raises
        :class:`EscalationConflictError`.
        """
        now = utcnow()
        return self._transition(
            escalation_id,
            "claimed",
            navigator_id,
            allowed=(WAITING, HANDED_BACK),
            values=dict(
                status=CLAIMED,
                handoff_active=True,
                navigator_id=navigator_id,
                claimed_at=now,
                updated_at=now,
            ),
            already=lambda row: row.status == CLAIMED and row.navigator_id == navigator_id,
        )

    def release(self, *, escalation_id: int, navigator_id: int) -> EscalationRecord:
        """Undo a claim whose take-over message could not be delivered: back to waiting."""
        return self._transition(
            escalation_id,
            "released",
            navigator_id,
            allowed=(CLAIMED,),
            values=dict(status=WAITING, handoff_active=False, updated_at=utcnow()),
            where_navigator=navigator_id,
        )

    def hand_back(
        self, *, escalation_id: int, navigator_id: int | None = None
    ) -> EscalationRecord:
        """The bot is in charge again; the escalation stays open until closed."""
        return self._transition(
            escalation_id,
            "handed_back",
            navigator_id,
            allowed=(CLAIMED,),
            values=dict(status=HANDED_BACK, handoff_active=False, updated_at=utcnow()),
            already=lambda row: row.status == HANDED_BACK,
        )

    def close(
        self,
        *,
        escalation_id: int,
        outcome: str,
        notes: str = "",
        navigator_id: int | None = None,
    ) -> EscalationRecord:
        """Close with an outcome. Hand back through Rasa first if a handoff is active."""
        if not outcome.strip():
            raise ValueError("outcome is required")
        now = utcnow()
        values: dict[str, Any] = dict(
            status=CLOSED,
            handoff_active=False,
            closed_at=now,
            updated_at=now,
            outcome=outcome.strip()[:60],
            notes=redact(notes.strip()),
            navigator_id=func.coalesce(Escalation.navigator_id, navigator_id),
        )
        return self._transition(
            escalation_id,
            "closed",
            navigator_id,
            allowed=(WAITING, CLAIMED, HANDED_BACK),
            values=values,
            detail=outcome.strip(),
        )

    def record(
        self,
        *,
        escalation_id: int,
        event: str,
        navigator_id: int | None = None,
        detail: str = "",
    ) -> None:
        """Add a line to the audit trail (an event name, never message text)."""
        with self.db.write() as session:
            add_event(session, escalation_id, event, navigator_id, detail)
        log.info("navigator.escalation.%s id=%s navigator=%s", event, escalation_id, navigator_id)

    def _transition(
        self,
        escalation_id: int,
        event: str,
        navigator_id: int | None,
        *,
        allowed: tuple[str, ...],
        values: dict[str, Any],
        already: Callable[[Escalation], bool] | None = None,
        where_navigator: int | None = None,
        detail: str = "",
    ) -> EscalationRecord:
        """Change state with one conditional UPDATE, so two navigators cannot both win."""
        with self.db.write() as session:
            query = update(Escalation).where(
                Escalation.id == escalation_id, Escalation.status.in_(allowed)
            )
            if where_navigator is not None:
                query = query.where(Escalation.navigator_id == where_navigator)
            query = query.values(**values).execution_options(synchronize_session=False)
            changed = session.execute(query).rowcount
            row = session.get(Escalation, escalation_id, populate_existing=True)
            if row is None:
                raise EscalationNotFoundError(escalation_id)
            if not changed:
                if already is not None and already(row):
                    return EscalationRecord.of(row)
                raise EscalationConflictError(f"escalation {escalation_id} is {row.status}")
            add_event(session, escalation_id, event, navigator_id, detail)
        log.info("navigator.escalation.%s id=%s navigator=%s", event, escalation_id, navigator_id)
        return EscalationRecord.of(row)
