"""Server-sent events: the live queue and the live transcript.

The action server writes escalations from another process, so the queue stream polls
the database (one tiny aggregate query every ~0.3 s) and only renders and pushes when
something changed. The transcript stream polls Rasa once a second the same way.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sanic import Request

from bot.navigator import views
from bot.navigator.rasa_client import RasaClient
from bot.navigator.records import SessionRecord
from bot.navigator.store import EscalationStore
from bot.navigator.transcript import fingerprint, transcript

QUEUE_POLL = 0.3
TRANSCRIPT_POLL = 1.0
KEEPALIVE = 15.0  # well inside Sanic's 60 s response timeout
HEARTBEAT = 30.0  # how often an open console refreshes the navigator's last_seen
SESSION_CHECK = 5.0  # a stream ends soon after its session is logged out or expires
AVAILABILITY_CHECK = 5.0
SSE_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


async def stream(
    request: Request,
    session: SessionRecord,
    store: EscalationStore,
    token: str,
    *,
    interval: float,
    poll: Callable[[], Awaitable[Any]],
    render: Callable[[], Awaitable[str]],
) -> None:
    """Push ``render()`` whenever ``poll()`` returns something new; keep the line alive."""
    response = await request.respond(
        content_type="text/event-stream; charset=utf-8", headers=SSE_HEADERS
    )
    await response.send("retry: 2000\n\n")
    last: Any = object()
    sent = touched = checked = time.monotonic()
    navigator_id = session.navigator.id
    await asyncio.to_thread(store.touch_navigator, navigator_id=navigator_id)
    while True:
        now = time.monotonic()
        if now - checked >= SESSION_CHECK:
            checked = now
            if await asyncio.to_thread(store.session_for, token) is None:
                await response.send(sse("signed_out", {}))
                break
        if now - touched >= HEARTBEAT:
            touched = now
            await asyncio.to_thread(store.touch_navigator, navigator_id=navigator_id)
        marker = await poll()
        if marker != last:
            last, sent = marker, now
            await response.send(await render())
        elif now - sent >= KEEPALIVE:
            sent = now
            await response.send(": keepalive\n\n")
        await asyncio.sleep(interval)
    await response.eof()


class QueueFeed:
    """Renders the queue; ``marker`` is cheap and changes when the queue does."""

    def __init__(self, store: EscalationStore) -> None:
        self.store = store
        self._available = False
        self._checked = 0.0

    async def marker(self) -> tuple[Any, ...]:
        now = time.monotonic()
        if now - self._checked >= AVAILABILITY_CHECK:
            self._checked = now
            self._available = await asyncio.to_thread(self.store.any_navigator_online)
        version = await asyncio.to_thread(self.store.queue_version)
        return version, self._available

    async def payload(self) -> dict[str, Any]:
        rows = await asyncio.to_thread(self.store.queue)
        navigators = await asyncio.to_thread(self.store.navigators)
        names = {n.id: n.display_name for n in navigators}
        available = await asyncio.to_thread(self.store.any_navigator_online)
        return {
            "html": views.queue_rows(rows, names),
            "count": len(rows),
            "immediate": sum(1 for row in rows if row.level == "immediate"),
            "waiting": sum(1 for row in rows if row.status != "claimed"),
            "available": "yes" if available else "no",
        }

    async def render(self) -> str:
        return sse("queue", await self.payload())


class TranscriptFeed:
    """Renders one escalation's transcript from Rasa's tracker."""

    def __init__(self, store: EscalationStore, rasa: RasaClient, escalation_id: int) -> None:
        self.store, self.rasa, self.escalation_id = store, rasa, escalation_id
        self._tracker: dict[str, Any] | None = None
        self._status = ""

    async def marker(self) -> tuple[Any, ...]:
        row = await asyncio.to_thread(self.store.get, self.escalation_id)
        self._status = row.status if row else "missing"
        try:
            if row is None:
                raise LookupError(self.escalation_id)
            self._tracker = await self.rasa.tracker(row.conversation_id)
            tracker_mark: Any = fingerprint(self._tracker)
        except (httpx.HTTPError, LookupError):
            self._tracker, tracker_mark = None, "unavailable"
        return self._status, row.updated_at if row else None, tracker_mark

    async def live_html(self) -> str:
        if self._tracker is None:
            return '<p class="notice">Couldn\'t load the conversation from the bot server.</p>'
        return views.transcript_html(transcript(self._tracker))

    async def render(self) -> str:
        return sse("transcript", {"html": await self.live_html(), "status": self._status})
