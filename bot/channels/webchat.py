"""Waypoint's web chat: the page in ``bot/web/``, a JSON webhook, and server-sent events
for out-of-band messages (a navigator's replies, hand-back).

Rasa sends out-of-band bot events through ``get_output_channel()`` with the pseudonym as
recipient id and the event's metadata merged into the message (``BotUttered.message()``),
so ``author``/``navigator`` reach ``send_response``. Streams and the replay buffer live in
this process: run one Sanic worker per Rasa server (Rasa's default).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.pseudonym import pseudonymise
from bot.channels.safety_net import ensure_reply
from bot.channels.text import MAX_MESSAGE_CHARS, clean_user_text

logger = logging.getLogger(__name__)

CHANNEL = "webchat"
WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}
STATIC_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,40}\.(js|css)")
SESSION = re.compile(r"[A-Za-z0-9_-]{22,64}")
VENUE = re.compile(r"[a-z0-9-]{1,40}")
KEEP_ALIVE_S = 15.0
BUFFER_SIZE = 50
BUFFER_TTL_S = 30 * 60
MAX_CONVERSATIONS = 10_000
MAX_STREAMS = 3
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {**NO_STORE, "Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer"}
LOST = "This chat has lost its place. Please reload the page."
SORRY = "Sorry, something went wrong on our side. Please try again in a moment."

Message = dict[str, Any]
Queue = asyncio.Queue[tuple[int, Message] | None]  # None closes the stream


def shape(text: Any, buttons: Any, extra: dict[str, Any]) -> list[Message]:
    """Turn one Rasa bot message into the page's messages (text, buttons, author).

    Bot text is split on blank lines like Rasa's own collector; a navigator's stays whole.
    """
    head: Message = {"author": "bot"}
    if extra.get("author") == "navigator":
        head = {"author": "navigator"}
        if isinstance(extra.get("navigator"), str) and extra["navigator"].strip():
            head["navigator"] = extra["navigator"].strip()[:40]
    text = str(text or "").strip()
    parts = [text] if head["author"] == "navigator" else text.split("\n\n")
    shaped = [{**head, "text": part.strip(), "buttons": []} for part in parts]
    shaped[-1]["buttons"] = [
        {"title": str(b["title"]), "payload": b["payload"]}
        for b in (buttons or [])[:10]
        if isinstance(b, dict) and b.get("title") and isinstance(b.get("payload"), str)
    ]
    return [m for m in shaped if m["text"] or m["buttons"]]


@dataclass
class _Conversation:
    seen: float = field(default_factory=time.monotonic)
    buffer: deque[tuple[int, float, Message]] = field(
        default_factory=lambda: deque(maxlen=BUFFER_SIZE)
    )
    streams: list[Queue] = field(default_factory=list)
    payloads: deque[str] = field(default_factory=lambda: deque(maxlen=30))


class Hub:
    """Per pseudonym: open event streams, a replay buffer, and button payloads offered.

    Bounded: an entry is forgotten ``BUFFER_TTL_S`` after its last activity once no stream
    is open, and there are never more than ``MAX_CONVERSATIONS``.
    """

    def __init__(self) -> None:
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()
        self._ids = itertools.count(time.time_ns() // 1000)  # keeps growing across restarts

    def _get(self, pid: str) -> _Conversation:
        now = time.monotonic()
        for key, old in list(self._conversations.items()):
            if now - old.seen < BUFFER_TTL_S:
                break  # ordered by last activity: the rest are newer
            if not old.streams:
                del self._conversations[key]
        while len(self._conversations) >= MAX_CONVERSATIONS:
            for queue in self._conversations.popitem(last=False)[1].streams:
                queue.put_nowait(None)
        conv = self._conversations.setdefault(pid, _Conversation())
        conv.seen = now
        self._conversations.move_to_end(pid)
        return conv

    def remember(self, pid: str, message: Message) -> None:
        """Note the buttons offered, so clicking one may keep its leading "/"."""
        if message["buttons"]:
            self._get(pid).payloads.extend(b["payload"] for b in message["buttons"])

    def publish(self, pid: str, message: Message) -> None:
        """Buffer a message and hand it to every open stream of the conversation."""
        conv, event_id = self._get(pid), next(self._ids)
        conv.buffer.append((event_id, time.monotonic(), message))
        for queue in conv.streams:
            queue.put_nowait((event_id, message))

    def subscribe(self, pid: str, after: int | None) -> Queue:
        """Open a stream, pre-filled with buffered messages newer than ``after``."""
        conv, queue, fresh = self._get(pid), Queue(), time.monotonic() - BUFFER_TTL_S
        for event_id, sent, message in conv.buffer:
            if sent > fresh and (after is None or event_id > after):
                queue.put_nowait((event_id, message))
        conv.streams.append(queue)
        while len(conv.streams) > MAX_STREAMS:  # a stale tab or a leaked connection
            conv.streams.pop(0).put_nowait(None)
        return queue

    def unsubscribe(self, pid: str, queue: Queue) -> None:
        conv = self._conversations.get(pid)
        if conv is not None and queue in conv.streams:
            conv.streams.remove(queue)

    def screen(self, pid: str, text: str) -> str:
        """Strip leading "/" unless the text is a button payload Waypoint offers.

        Domain buttons come from ``bot.channels.text``; buttons that a custom action or a
        navigator sent to this conversation were remembered here.
        """
        conv = self._conversations.get(pid)
        return clean_user_text(text, conv.payloads if conv else ())


class WebChatOutput(OutputChannel):
    """Sends bot and navigator messages to the page (text and buttons only).

    Out of band it publishes to the conversation's event streams. For a POST it collects
    the replies for the HTTP response until ``close()``; anything later (a reminder, a
    slow action after the page gave up) goes to the event stream instead.
    """

    def __init__(self, hub: Hub, collect: bool = False) -> None:
        self.hub = hub
        self.collected: list[Message] | None = [] if collect else None

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        buttons = message.get("buttons") or message.get("quick_replies")
        for shaped in shape(message.get("text"), buttons, message):
            self.hub.remember(recipient_id, shaped)
            if self.collected is not None:
                self.collected.append(shaped)
            else:
                self.hub.publish(recipient_id, shaped)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {**kwargs, "text": text})

    def close(self) -> list[Message]:
        collected, self.collected = self.collected or [], None
        return collected


def _error(text: str, status: int = 400) -> HTTPResponse:
    return response.json({"error": text}, status=status, headers=NO_STORE)


class WebChatInput(InputChannel):
    """The page at /webhooks/webchat/, its message webhook and its event stream."""

    def __init__(self, greeting: str = "hi") -> None:
        self.greeting = greeting
        self.hub = Hub()

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Optional setting ``greeting``: what the page's opening sends (e.g. "/greet")."""
        return cls(greeting=str((credentials or {}).get("greeting") or "hi"))

    def get_output_channel(self) -> OutputChannel:
        return WebChatOutput(self.hub)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: ``GET /``, ``GET /static/<name>``, ``POST /webhook``, ``GET /events``."""
        bp = Blueprint(f"{CHANNEL}_webhook", __name__)

        @bp.get("/")
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):  # the page's relative URLs need the "/"
                query = f"?{request.query_string}" if request.query_string else ""
                return response.redirect(f"{CHANNEL}/{query}", headers=NO_STORE)
            html = "text/html; charset=utf-8"
            return await response.file(
                WEB_DIR / "index.html", mime_type=html, headers=PAGE_HEADERS
            )

        @bp.get("/static/<name>")
        async def static(request: Request, name: str) -> HTTPResponse:
            match = STATIC_NAME.fullmatch(name)
            if match is None or not (WEB_DIR / name).is_file():
                return _error("Not found.", status=404)
            headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
            kind = STATIC_TYPES[match.group(1)]
            return await response.file(WEB_DIR / name, mime_type=kind, headers=headers)

        @bp.post("/webhook")
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = json.loads(request.body or b"")
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return _error("We couldn't read that. Please reload the page and try again.")
            session, text, venue = body.get("session"), body.get("message"), body.get("venue")
            if not isinstance(session, str) or not SESSION.fullmatch(session):
                return _error(LOST)
            sender_id = pseudonymise(CHANNEL, session)
            if body.get("start") is True:
                text = self.greeting
            elif not isinstance(text, str):
                return _error("Please send your message as text.")
            elif len(text) > MAX_MESSAGE_CHARS:
                return _error("That message is too long. Please send it in smaller parts.")
            else:
                text = self.hub.screen(sender_id, text)
            venue = venue.strip().lower() if isinstance(venue, str) else ""
            metadata = {"venue": venue} if VENUE.fullmatch(venue) else None
            output = WebChatOutput(self.hub, collect=True)
            message = UserMessage(
                text, output, sender_id, input_channel=CHANNEL, metadata=metadata
            )
            logger.debug("webchat.message.received sender=%s", sender_id)
            try:
                # Shielded: if the page goes away (quick exit), the message is still handled,
                # so a disclosure made just before leaving still reaches the risk checks.
                await asyncio.shield(on_new_message(message))
            except asyncio.CancelledError:  # the page gave up: replies go to its stream
                for reply in output.close():
                    self.hub.publish(sender_id, reply)
                raise
            except Exception as exc:  # the page gets a kind answer, never a trace
                output.close()
                name = type(exc).__name__
                logger.error("webchat.message.failed sender=%s error=%s", sender_id, name)
                logger.debug("webchat.message.failed", exc_info=True)
                return _error(SORRY, status=503)
            replies = output.close()
            if not replies:  # paused (maybe with immediate danger), or something broke
                agent = getattr(request.app.ctx, "agent", None)
                for extra in await ensure_reply(agent, sender_id, []):
                    replies.extend(shape(extra.get("text"), None, {}))
            return response.json({"messages": replies}, headers=NO_STORE)

        @bp.get("/events")
        async def events(request: Request) -> HTTPResponse | None:
            session = request.args.get("session", "")
            if not SESSION.fullmatch(session):
                return _error(LOST)
            last = request.headers.get("last-event-id") or request.args.get("last", "")
            sender_id = pseudonymise(CHANNEL, session)
            queue = self.hub.subscribe(sender_id, int(last) if last.isdigit() else None)
            try:
                stream = await request.respond(
                    content_type="text/event-stream; charset=utf-8",
                    headers={**NO_STORE, "X-Accel-Buffering": "no"},
                )
                await stream.send("retry: 3000\n: connected\n\n")
                while True:
                    try:
                        item = await asyncio.wait_for(queue.get(), KEEP_ALIVE_S)
                    except TimeoutError:
                        await stream.send(": keep-alive\n\n")
                        continue
                    if item is None:  # replaced by a newer stream, or forgotten
                        break
                    await stream.send(f"id: {item[0]}\ndata: {json.dumps(item[1])}\n\n")
                await stream.eof()
            finally:  # also runs when Sanic cancels the handler on disconnect
                self.hub.unsubscribe(sender_id, queue)
            return None

        return bp
