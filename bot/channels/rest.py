"""Rasa's REST channel, pseudonymous: the ``sender`` never reaches the tracker store.

Mounted at ``/webhooks/rest/webhook`` (the name stays ``rest``) so tests and evaluation
tools talk to it exactly as to Rasa's own. Differences from Rasa's ``RestInput``:
the sender becomes an HMAC pseudonym, text starting with "/" is cleaned, the body's
``input_channel`` cannot override the channel name, only a ``venue`` code and the
``opened`` flag are kept from ``metadata``, and malformed requests get a 400 with a
plain-language error instead of a 500.
"""

from __future__ import annotations

import logging
import re
from asyncio import CancelledError
from collections.abc import Awaitable, Callable, Collection
from typing import Any, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.forget import forget, is_forget_request
from bot.channels.previous import with_previous
from bot.channels.pseudonym import pseudonymise
from bot.channels.safety_net import ensure_reply
from bot.channels.text import MAX_MESSAGE_CHARS, OPENED_KEY, clean_user_text

logger = logging.getLogger(__name__)

VENUE_RE = re.compile(r"^[a-z0-9-]{1,40}$")
MAX_SENDER_CHARS = 256


class BadRequest(ValueError):
    """A request that cannot be handled; the message is shown to the caller."""


def parse_body(request: Request) -> tuple[str, str, Optional[dict[str, Any]]]:
    """Return (platform sender id, text, metadata) from a REST request, or raise."""
    try:
        body = request.json
    except Exception as error:  # sanic raises InvalidUsage on malformed JSON
        raise BadRequest("The request body must be JSON.") from error
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise BadRequest("'sender' must be a non-empty string.")
    text = body.get("message", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise BadRequest("'message' must be a string.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise BadRequest(f"'message' is too long (over {MAX_MESSAGE_CHARS} characters).")
    metadata = body.get("metadata")
    if not isinstance(metadata, dict):
        return sender, text, None
    kept: dict[str, Any] = {}
    venue = metadata.get("venue")
    if isinstance(venue, str) and VENUE_RE.match(venue):
        kept["venue"] = venue
    if metadata.get(OPENED_KEY) is True:
        kept[OPENED_KEY] = True
    return sender, text, kept or None


async def reply_to(
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    *,
    sender_id: str,
    text: str,
    channel: str,
    metadata: Optional[dict[str, Any]] = None,
    offered: Collection[str] = (),
) -> HTTPResponse:
    """Handle one pseudonymous message and answer with every reply, as Rasa's REST does.

    ``/forget`` erases the conversation instead of reaching Rasa. Anything else is
    cleaned (``offered``: extra payloads this channel may pass) and handled by Rasa;
    the answer is never silence or a trace.
    """
    agent = getattr(request.app.ctx, "agent", None)
    if is_forget_request(text):
        said = await forget(agent, sender_id, channel)
        return response.json([{"recipient_id": sender_id, "text": line} for line in said])
    collector = CollectingOutputChannel()
    text = clean_user_text(text, offered)
    message = UserMessage(
        text,
        collector,
        sender_id,
        input_channel=channel,
        metadata=await with_previous(agent, sender_id, text, metadata),
    )
    try:
        await on_new_message(message)
    except CancelledError:
        logger.error("%s.message.timeout", channel)
    except Exception:
        logger.exception("%s.message.failure", channel)
    return response.json(await ensure_reply(agent, sender_id, collector.messages))


class PseudonymousRestInput(InputChannel):
    """REST input channel whose sender ids are pseudonyms."""

    @classmethod
    def name(cls) -> str:
        """Keep Rasa's URL (/webhooks/rest/webhook) and channel name."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: ``GET /`` (health) and ``POST /webhook`` (one message in, replies out)."""
        hook = Blueprint("waypoint_rest", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = parse_body(request)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            sender_id = pseudonymise(self.name(), sender)
            return await reply_to(
                request,
                on_new_message,
                sender_id=sender_id,
                text=text,
                channel=self.name(),
                metadata=metadata,
            )

        return hook
