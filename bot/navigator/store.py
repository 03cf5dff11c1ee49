"""The escalation store: the source of truth for who needs a person, and who is there.

Every write is committed before the method returns, so once ``create_escalation``
has returned the bot may tell the young person that a navigator is being told.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.navigator.accounts import AccountsMixin
from bot.navigator.db import Database
from bot.navigator.handoffs import (
    EscalationConflictError,
    EscalationNotFoundError,
    HandoffMixin,
    add_event,
)
from bot.navigator.hours import OpeningHours, load_hours
from bot.navigator.models import (
    CLOSED,
    HANDED_BACK,
    LEVEL_RANK,
    LEVELS,
    WAITING,
    Escalation,
    EscalationEvent,
    Navigator,
    utcnow,
)
from bot.navigator.records import EscalationRecord, EventRecord
from bot.privacy.redact import redact
from bot.venues.store import known_venue

log = logging.getLogger(__name__)

__all__ = ["EscalationConflictError", "EscalationNotFoundError", "EscalationStore"]

ONLINE_STALE_AFTER = timedelta(minutes=2)
"""A navigator marked online whose console has not been seen for this long is not
counted: a closed laptop must not leave the bot promising a person who is not there."""
MAX_TRIGGER_CHARS = 2000


def normalise_words(text: str) -> str:
    """The young person's words as stored: redacted, whitespace collapsed, length capped.

    The channels already redacted them; doing it again here means no caller can store
    a phone number or address by mistake.
    """
    return " ".join(redact(text).split())[:MAX_TRIGGER_CHARS]


def _default_url() -> str:
    from bot.settings import db_url

    return db_url()


class EscalationStore(HandoffMixin, AccountsMixin):
    """Escalations, navigators and console sessions in one SQL database."""

    def __init__(
        self,
        url: str | None = None,
        *,
        hours: OpeningHours | None = None,
        create_tables: bool = True,
    ) -> None:
        self.db = Database(url or _default_url(), create_tables=create_tables)
        self._hours = hours

    @property
    def hours(self) -> OpeningHours:
        return self._hours or load_hours()

    def dispose(self) -> None:
        self.db.dispose()

    # -- the bot's side -------------------------------------------------------------

    def create_escalation(
        self,
        *,
        conversation_id: str,
        channel: str,
        level: str,
        categories: list[str] | tuple[str, ...],
        trigger_text: str,
        area: str | None = None,
        venue: str | None = None,
    ) -> int:
        """Store an escalation (or fold it into the open one) and return its id."""
        if level not in LEVEL_RANK:
            raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
        if not conversation_id:
            raise ValueError("conversation_id is required")
        if conversation_id.isdigit():  # looks like a raw platform id: keep it, but say so
            log.warning("navigator.escalation.unpseudonymised_id channel=%s", channel)
        fields: dict[str, Any] = dict(
            conversation_id=conversation_id,
            channel=channel,
            level=level,
            categories=sorted(set(categories)),
            trigger_text=normalise_words(trigger_text),
            area=area,
            venue=venue if known_venue(venue, self.db.url.render_as_string(False)) else None,
        )
        for attempt in (1, 2):
            try:
                with self.db.write() as session:
                    return self._create_or_merge(session, fields)
            except IntegrityError:
                # Another process opened one for this conversation between our read and
                # our insert; the second attempt finds it and merges into it.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _create_or_merge(self, session: Session, new: dict[str, Any]) -> int:
        now = utcnow()
        row = session.execute(
            select(Escalation)
            .where(
                Escalation.conversation_id == new["conversation_id"],
                Escalation.status != CLOSED,
            )
            .with_for_update()
        ).scalar_one_or_none()
        if row is None:
            row = Escalation(**new, status=WAITING, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            add_event(session, row.id, "created", detail=row.level)
            log.info("navigator.escalation.created id=%s level=%s", row.id, row.level)
            return int(row.id)
        raised = LEVEL_RANK[new["level"]] > LEVEL_RANK[row.level]
        if raised:
            row.level = new["level"]
        row.categories = sorted(set(row.categories or []) | set(new["categories"]))
        words = new["trigger_text"]
        if words and words not in row.trigger_text.split("\n"):
            row.trigger_text = f"{row.trigger_text}\n{words}" if row.trigger_text else words
        row.area, row.venue = row.area or new["area"], row.venue or new["venue"]
        if row.status == HANDED_BACK:
            row.status = WAITING  # back with the bot, new risk: needs a person again
        row.updated_at = now
        add_event(session, row.id, "raised" if raised else "repeated", detail=row.level)
        log.info("navigator.escalation.merged id=%s level=%s", row.id, row.level)
        return int(row.id)

    def already_recorded(
        self, *, conversation_id: str, level: str, trigger_text: str
    ) -> bool:
        """True if the open escalation already holds these words at this level or higher.

        The Rasa server stores high and immediate risk as a backup for action_escalate
        (which may be down); this lets it skip the write when the action already did it.
        """
        row = self.open_escalation_for(conversation_id)
        return (
            row is not None
            and LEVEL_RANK[row.level] >= LEVEL_RANK[level]
            and normalise_words(trigger_text) in row.triggers
        )

    def handoff_active(self, conversation_id: str) -> bool:
        """True while a navigator has taken this conversation over (the bot must stay paused)."""
        with self.db.read() as session:
            query = select(
                exists().where(
                    Escalation.conversation_id == conversation_id,
                    Escalation.status != CLOSED,
                    Escalation.handoff_active.is_(True),
                )
            )
            return bool(session.execute(query).scalar())

    def any_navigator_online(self, now: datetime | None = None) -> bool:
        """True when a navigator is online and their console was seen recently.

        Opening hours do not enter into it: a navigator online at 1am is there, and
        telling the young person nobody is would be untrue. Hours only say when
        navigators are back when nobody is online.
        """
        now = now or utcnow()
        with self.db.read() as session:
            query = select(
                exists().where(
                    Navigator.online.is_(True), Navigator.last_seen >= now - ONLINE_STALE_AFTER
                )
            )
            return bool(session.execute(query).scalar())

    # -- queries ----------------------------------------------------------------------

    def get(self, escalation_id: int) -> EscalationRecord | None:
        with self.db.read() as session:
            row = session.get(Escalation, escalation_id)
            return EscalationRecord.of(row) if row else None

    def open_escalation_for(self, conversation_id: str) -> EscalationRecord | None:
        with self.db.read() as session:
            row = session.execute(
                select(Escalation).where(
                    Escalation.conversation_id == conversation_id, Escalation.status != CLOSED
                )
            ).scalar_one_or_none()
            return EscalationRecord.of(row) if row else None

    def queue(self) -> list[EscalationRecord]:
        """Open escalations: immediate, then high, then medium; oldest first within each."""
        rank = case({name: -r for name, r in LEVEL_RANK.items()}, value=Escalation.level)
        with self.db.read() as session:
            rows = session.execute(
                select(Escalation)
                .where(Escalation.status != CLOSED)
                .order_by(rank, Escalation.created_at, Escalation.id)
            ).scalars()
            return [EscalationRecord.of(row) for row in rows]

    def queue_version(self) -> tuple[Any, ...]:
        """A cheap marker that changes whenever any escalation changes (for live views)."""
        with self.db.read() as session:
            return tuple(
                session.execute(
                    select(func.count(Escalation.id), func.max(Escalation.updated_at))
                ).one()
            )

    def history(self, escalation_id: int) -> list[EventRecord]:
        """The audit trail of one escalation, oldest first."""
        with self.db.read() as session:
            rows = session.execute(
                select(EscalationEvent)
                .where(EscalationEvent.escalation_id == escalation_id)
                .order_by(EscalationEvent.at, EscalationEvent.id)
            ).scalars()
            return [EventRecord.of(row) for row in rows]
