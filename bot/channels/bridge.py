"""The Rasa side of the Telegram bridge (``bot/telegram/``, a separate process).

The bridge talks to Telegram; this channel only talks to the bridge. The bridge has
already turned the chat id into a pseudonym (``pseudonymise("telegram", chat_id)``), so
raw Telegram ids never reach Rasa. Every request must carry ``X-Waypoint-Bridge-Secret``
(compared in constant time). Out-of-band messages (a navigator's replies, hand-back) go
back to the bridge's callback server through :class:`TelegramBridgeOutput`.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Optional

import httpx
from rasa.core.channels.channel import (
    InputChannel,
    OutputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rest import BadRequest, parse_body, reply_to
from bot.navigator.messages import NOT_DELIVERED
from bot.telegram.rasa_client import SECRET_HEADER

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
CALLBACK_TIMEOUT_S = 10.0
PSEUDONYM = re.compile(r"wp-[0-9a-f]{64}")  # what bot.channels.pseudonym produces
# Intents the bridge's own Telegram commands send as payloads (/privacy). Metadata is
# only ever a venue code and the "opened" flag (parse_body keeps nothing else).
BRIDGE_COMMANDS = frozenset({"/privacy"})


def secret_matches(given: Optional[str], expected: str) -> bool:
    """Return True if ``given`` equals the configured secret (constant-time)."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class NotDelivered(RuntimeError):
    """A navigator's reply could not reach the chat (it sent /stop, or it is closed).

    Raised only for a navigator's own reply: Rasa's ``tracker/events`` endpoint then
    answers 500 without saving the event, and the console tells the navigator, instead
    of a reply that looks sent but never arrived. Announcements (joined, left) are not
    raised for, so taking over and handing back always work.
    """


class TelegramBridgeOutput(OutputChannel):
    """Posts out-of-band messages to the bridge, which sends them to the right chat."""

    def __init__(self, callback_url: str, secret: str) -> None:
        self.callback_url = callback_url
        self.secret = secret

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Forward one message (text, buttons, author) as a single POST."""
        body = {
            "recipient_id": recipient_id,
            "text": message.get("text") or "",
            "buttons": message.get("buttons") or message.get("quick_replies") or [],
            "author": message.get("author") or "bot",
            "navigator": message.get("navigator"),
        }
        headers = {SECRET_HEADER: self.secret}
        try:
            async with httpx.AsyncClient(timeout=CALLBACK_TIMEOUT_S) as client:
                sent = await client.post(self.callback_url, json=body, headers=headers)
            sent.raise_for_status()
            logger.info("bridge.callback.sent")
        except httpx.HTTPStatusError as error:
            status = error.response.status_code
            logger.error("bridge.callback.failed status=%s", status)
            a_reply = body["author"] == "navigator" and not message.get("handoff")
            if a_reply and status in (404, 410):
                raise NotDelivered(f"{NOT_DELIVERED}: {status}") from error
        except httpx.HTTPError as error:
            logger.error("bridge.callback.failed error=%s", type(error).__name__)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {**kwargs, "text": text})


class TelegramBridgeInput(InputChannel):
    """``POST /webhooks/telegram/webhook``: one message from the bridge in, replies out."""

    def __init__(self, secret: str, callback_url: str) -> None:
        self.secret = secret
        self.callback_url = callback_url

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> InputChannel:
        """Settings ``secret`` and ``callback_url`` (both from the environment)."""
        credentials = credentials or {}
        secret = str(credentials.get("secret") or "")
        if len(secret) < 16:
            raise ValueError("telegram channel: 'secret' must be at least 16 characters")
        return cls(secret=secret, callback_url=str(credentials.get("callback_url") or ""))

    def get_output_channel(self) -> Optional[OutputChannel]:
        if not self.callback_url:
            return None
        return TelegramBridgeOutput(self.callback_url, self.secret)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: ``GET /`` (health) and ``POST /webhook``."""
        hook = Blueprint("waypoint_telegram", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not secret_matches(request.headers.get(SECRET_HEADER), self.secret):
                logger.warning("bridge.message.forbidden")
                return response.json({"error": "Forbidden."}, status=403)
            try:
                sender_id, text, metadata = parse_body(request)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            if not PSEUDONYM.fullmatch(sender_id):  # never a raw chat id in the tracker
                return response.json({"error": "'sender' must be a pseudonym."}, status=400)
            return await reply_to(
                request,
                on_new_message,
                sender_id=sender_id,
                text=text,
                channel=CHANNEL,
                metadata=metadata,
                offered=BRIDGE_COMMANDS,
            )

        return hook
