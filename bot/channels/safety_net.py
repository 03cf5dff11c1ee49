"""Never silence: if a message produced no reply and the bot is not paused, say so kindly.

Silence can happen when the action server is down (a custom action fails after the
domain responses before it were sent) or when Rasa itself raises. A paused conversation
(a navigator has taken over) is meant to be quiet, so it is left alone.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

SAFETY_NET_RESPONSE = "utter_safety_net"
FALLBACK_TEXT = (
    "Sorry, something went wrong on my side. If you or someone else is in danger right "
    "now, call 999."
)


async def is_paused(agent: Any, sender_id: str) -> bool:
    """Return True if the conversation is paused for a navigator (False if unknown)."""
    try:
        tracker = await agent.tracker_store.retrieve(sender_id)
    except Exception:
        logger.exception("safety_net.tracker_unavailable")
        return False
    return bool(tracker is not None and tracker.is_paused())


def safety_net_text(agent: Any) -> str:
    """Return the domain's safety-net words (a built-in sentence if the domain lacks them)."""
    try:
        return agent.domain.responses[SAFETY_NET_RESPONSE][0]["text"]
    except (AttributeError, KeyError, IndexError, TypeError):
        return FALLBACK_TEXT


async def ensure_reply(
    agent: Any, sender_id: str, messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return ``messages``, or the safety-net message if there were none and not paused."""
    if messages or agent is None or await is_paused(agent, sender_id):
        return messages
    logger.warning("safety_net.used")
    return [{"recipient_id": sender_id, "text": safety_net_text(agent)}]
