"""Talking to the real Rasa server over its REST webhook, as the tests do."""

from __future__ import annotations

from typing import Any

import httpx

from bot.channels.pseudonym import pseudonymise
from bot.launcher import Stack
from bot.navigator.store import EscalationStore


def say(stack: Stack, sender: str, text: Any, **extra: Any) -> list[dict[str, Any]]:
    """Send one message as ``sender`` and return the bot's replies."""
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text, **extra},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def joined(replies: list[dict[str, Any]]) -> str:
    """All reply texts as one string."""
    return "\n".join(reply.get("text") or "" for reply in replies)


def button_titles(replies: list[dict[str, Any]]) -> list[str]:
    """Titles of every button offered in the replies."""
    return [b["title"] for reply in replies for b in reply.get("buttons") or []]


def tracker(stack: Stack, conversation_id: str) -> dict[str, Any]:
    """Rasa's tracker for a conversation (HTTP API, token-protected)."""
    response = httpx.get(
        f"{stack.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": stack.token},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def pseudonym(stack: Stack, channel: str, platform_id: str) -> str:
    """The conversation id the stack's channels give ``platform_id`` (its test secret)."""
    secret = stack.config.extra_env["WAYPOINT_SECRET"].encode()
    return pseudonymise(channel, platform_id, secret=secret)


def escalations(stack: Stack) -> EscalationStore:
    """The escalation store the stack's processes write to."""
    url = stack.config.env().get("WAYPOINT_DB_URL")
    return EscalationStore(url or f"sqlite:///{stack.config.data_dir / 'waypoint.db'}")
