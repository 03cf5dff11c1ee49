"""The four things a navigator does to a conversation: take over, reply, hand back, close.

Order of operations is chosen so a young person is never misled:
- take over: record the claim in the store first (so a session restart re-pauses),
  then pause Rasa and announce the navigator; if Rasa can't be reached, undo the claim;
- hand back / close: tell the young person and resume Rasa first, then record it; if
  Rasa can't be reached, nothing changes and the navigator is told.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx
from sanic import Request, Sanic
from sanic.response import HTTPResponse, redirect, text

from bot.navigator.auth import login_required
from bot.navigator.messages import OUTCOMES
from bot.navigator.models import CLAIMED
from bot.navigator.rasa_client import NotDeliveredError, RasaClient, RasaStateError
from bot.navigator.records import EscalationRecord, SessionRecord
from bot.navigator.store import EscalationConflictError, EscalationNotFoundError, EscalationStore
from bot.navigator.transcript import last_handoff

log = logging.getLogger(__name__)

MAX_REPLY = 2000
MAX_NOTES = 4000
RASA_ERRORS = (httpx.HTTPError, RasaStateError)
db = asyncio.to_thread


def back(escalation_id: int, error: str | None = None) -> HTTPResponse:
    """Back to the escalation page, with a fixed notice code (never reflected text)."""
    suffix = f"?e={error}" if error else ""
    return redirect(f"/escalations/{escalation_id}{suffix}", status=303)


async def claimer_name(store: EscalationStore, row: EscalationRecord) -> str | None:
    """The display name of the navigator who holds this escalation, if any."""
    if row.navigator_id is None:
        return None
    navigator = await db(store.get_navigator, row.navigator_id)
    return navigator.display_name if navigator else None


async def went_through(rasa: RasaClient, conversation_id: str, handoff: str) -> bool:
    """After an error or timeout, did Rasa apply our events anyway?

    A slow Rasa can time out after it has already paused (or resumed) and delivered
    the announcement; the store must then follow, not undo it.
    """
    try:
        tracker = await rasa.tracker(conversation_id)
    except httpx.HTTPError:
        return False
    paused = handoff == "joined"
    return tracker.get("paused") is paused and last_handoff(tracker) == handoff


def add_handoff_routes(app: Sanic, store: EscalationStore, rasa: RasaClient) -> None:
    """Register the POST routes that change a conversation."""

    @app.post("/escalations/<escalation_id:int>/take-over")
    @login_required
    async def take_over(
        request: Request, session: SessionRecord, escalation_id: int
    ) -> HTTPResponse:
        me = session.navigator
        before = await db(store.get, escalation_id)
        if before is None:
            return text("No such escalation.", status=404)
        if before.status == CLAIMED and before.navigator_id == me.id:
            return back(escalation_id)  # a double click: they already know you're here
        try:
            row = await db(store.claim, escalation_id=escalation_id, navigator_id=me.id)
        except EscalationConflictError:
            return back(escalation_id, "taken" if before.status == CLAIMED else "state")
        try:
            await rasa.take_over(row.conversation_id, me.display_name)
        except RasaStateError:
            log.error("navigator.take_over.not_paused id=%s", escalation_id)
            return back(escalation_id, "rasa")
        except httpx.HTTPError:
            if await went_through(rasa, row.conversation_id, "joined"):
                log.warning("navigator.take_over.slow id=%s", escalation_id)
                return back(escalation_id)
            log.error("navigator.take_over.failed id=%s", escalation_id)
            await db(store.release, escalation_id=escalation_id, navigator_id=me.id)
            return back(escalation_id, "rasa")
        return back(escalation_id)

    @app.post("/escalations/<escalation_id:int>/reply")
    @login_required
    async def reply(request: Request, session: SessionRecord, escalation_id: int) -> HTTPResponse:
        words = (request.form.get("text") or "").strip()[:MAX_REPLY]
        row = await db(store.get, escalation_id)
        if row is None:
            return text("No such escalation.", status=404)
        if not words:
            return back(escalation_id, "empty")
        if row.status != CLAIMED or not row.handoff_active:
            return back(escalation_id, "state")
        if row.navigator_id != session.navigator.id:
            return back(escalation_id, "not_yours")
        try:
            await rasa.reply(row.conversation_id, session.navigator.display_name, words)
        except NotDeliveredError:
            log.warning("navigator.reply.not_delivered id=%s", escalation_id)
            return back(escalation_id, "not_delivered")
        except RASA_ERRORS:
            log.error("navigator.reply.failed id=%s", escalation_id)
            return back(escalation_id, "rasa")
        await db(
            store.record,
            escalation_id=escalation_id,
            event="replied",
            navigator_id=session.navigator.id,
        )
        return back(escalation_id)

    async def hand_back_row(row: EscalationRecord, navigator_id: int) -> bool:
        """Tell them the person has left and resume the bot, then record it."""
        try:
            await rasa.hand_back(
                row.conversation_id, await claimer_name(store, row) or "The youth worker"
            )
        except RASA_ERRORS:
            if not await went_through(rasa, row.conversation_id, "left"):
                log.error("navigator.hand_back.failed id=%s", row.id)
                return False
            log.warning("navigator.hand_back.slow id=%s", row.id)
        with contextlib.suppress(EscalationConflictError):  # someone else recorded it first
            await db(store.hand_back, escalation_id=row.id, navigator_id=navigator_id)
        return True

    @app.post("/escalations/<escalation_id:int>/hand-back")
    @login_required
    async def hand_back(
        request: Request, session: SessionRecord, escalation_id: int
    ) -> HTTPResponse:
        row = await db(store.get, escalation_id)
        if row is None:
            return text("No such escalation.", status=404)
        if row.status != CLAIMED:
            return back(escalation_id, "state")
        ok = await hand_back_row(row, session.navigator.id)
        return back(escalation_id, None if ok else "rasa")

    @app.post("/escalations/<escalation_id:int>/close")
    @login_required
    async def close(request: Request, session: SessionRecord, escalation_id: int) -> HTTPResponse:
        outcome = request.form.get("outcome") or ""
        notes = (request.form.get("notes") or "").strip()[:MAX_NOTES]
        row = await db(store.get, escalation_id)
        if row is None:
            return text("No such escalation.", status=404)
        if outcome not in OUTCOMES:
            return back(escalation_id, "outcome")
        if row.handoff_active and not await hand_back_row(row, session.navigator.id):
            return back(escalation_id, "rasa")
        try:
            await db(
                store.close,
                escalation_id=escalation_id,
                outcome=outcome,
                notes=notes,
                navigator_id=session.navigator.id,
            )
        except (EscalationConflictError, EscalationNotFoundError):
            return back(escalation_id, "state")
        return back(escalation_id)
