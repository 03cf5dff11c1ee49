"""Waypoint's web chat: the page in ``bot/web/``, a JSON webhook, and server-sent events
for out-of-band messages (a navigator's replies, hand-back).

Rasa sends out-of-band bot events through ``get_output_channel()`` with the pseudonym as
recipient id and the event's metadata merged into the message (``BotUttered.message()``),
so ``author``/``navigator`` reach ``send_response``. Streams and the replay buffer live in
this process: run one Sanic worker per Rasa server (Rasa's default).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.forget import forget, is_forget_request
from bot.channels.links import safe_link
from bot.channels.previous import with_previous
from bot.channels.pseudonym import pseudonymise
from bot.channels.safety_net import ensure_reply
from bot.channels.text import MAX_MESSAGE_CHARS, OPENED_KEY
from bot.channels.webchat_hub import Hub, Message

logger = logging.getLogger(__name__)

CHANNEL = "webchat"
WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}
STATIC_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,40}\.(js|css)")
SESSION = re.compile(r"[A-Za-z0-9_-]{22,64}")
VENUE = re.compile(r"[a-z0-9-]{1,40}")
KEEP_ALIVE_S = 15.0
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {**NO_STORE, "Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer"}
LOST = "This chat has lost its place. Please reload the page."
SORRY = "Sorry, something went wrong on our side. Please try again in a moment."


def _button(button: Any) -> dict[str, str] | None:
    """A payload button, or a link button with a link the page may open (else None)."""
    if not isinstance(button, dict) or not button.get("title"):
        return None
    if isinstance(button.get("payload"), str):
        return {"title": str(button["title"]), "payload": button["payload"]}
    url = safe_link(button.get("url"))
    return {"title": str(button["title"]), "url": url} if url else None


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
        kept for b in (buttons or [])[:10] if (kept := _button(b)) is not None
    ]
    return [m for m in shaped if m["text"] or m["buttons"]]


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


PRIVACY_DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
PRIVACY_PAGE = """<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <meta name="robots" content="noindex, nofollow">
  <title>What happens to your messages - Waypoint</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="static/chat.css">
</head>
<body>
  <header class="top">
    <div class="top-inner">
      <a class="exit" href="https://www.bbc.co.uk/weather" rel="nofollow noreferrer">
        <span class="visually-hidden">Emergency: </span>Leave this site quickly
      </a>
      <p class="danger">In danger now? <a href="tel:999">Call 999</a></p>
    </div>
  </header>
  <main id="main" class="main"><div class="main-inner privacy">
{body}
  </div></main>
</body>
</html>
"""


@lru_cache(maxsize=1)
def privacy_page() -> str:
    """docs/privacy.md as a page in the chat's own style (nothing from other hosts)."""
    import markdown

    body = markdown.markdown(PRIVACY_DOC.read_text(encoding="utf-8"))
    return PRIVACY_PAGE.replace("{body}", body)


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

        @bp.get("/privacy")
        async def privacy(_: Request) -> HTTPResponse:
            return response.html(privacy_page(), headers=PAGE_HEADERS)

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
            if body.get("forget") is True or is_forget_request(text):
                said = await forget(getattr(request.app.ctx, "agent", None), sender_id, CHANNEL)
                self.hub.forget(sender_id)
                messages = [m for line in said for m in shape(line, None, {})]
                return response.json({"messages": messages, "forgotten": True}, headers=NO_STORE)
            opened = body.get("start") is True
            if opened:
                text = self.greeting
            elif not isinstance(text, str):
                return _error("Please send your message as text.")
            elif len(text) > MAX_MESSAGE_CHARS:
                return _error("That message is too long. Please send it in smaller parts.")
            else:
                text = self.hub.screen(sender_id, text)
            venue = venue.strip().lower() if isinstance(venue, str) else ""
            metadata: dict[str, Any] | None = {"venue": venue} if VENUE.fullmatch(venue) else None
            if opened:
                metadata = {**(metadata or {}), OPENED_KEY: True}
            agent = getattr(request.app.ctx, "agent", None)
            metadata = await with_previous(agent, sender_id, text, metadata)
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
            # Every message, like the other channels: the backup escalation store, and
            # the safety net when nothing was said (paused with danger, or a failure).
            agent = getattr(request.app.ctx, "agent", None)
            checked = await ensure_reply(agent, sender_id, replies)
            if not replies:
                replies = [m for extra in checked for m in shape(extra.get("text"), None, {})]
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
