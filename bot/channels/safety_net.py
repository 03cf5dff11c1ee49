"""Never silence, and never a missed emergency, whatever state the conversation is in.

After Rasa has handled a message, a channel calls :func:`ensure_reply`:

- If the conversation is paused (a navigator has taken over), the bot is meant to be
  quiet, but the risk detector still ran on the message. If it heard immediate danger,
  the emergency answer is sent anyway and recorded in the conversation, so the
  navigator sees it too.
- If nothing was said and the conversation is not paused (the action server is down, or
  Rasa raised), the domain's ``utter_safety_net`` is sent instead of silence.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.shared.core.events import BotUttered

logger = logging.getLogger(__name__)

SAFETY_NET_RESPONSE = "utter_safety_net"
EMERGENCY_RESPONSE = "utter_emergency"
FALLBACK_TEXT = (
    "Sorry, something went wrong on my side. If you or someone else is in danger right "
    "now, call 999."
)


def response_text(agent: Any, name: str) -> str:
    """Return the domain's first text for response ``name`` (a built-in sentence if absent)."""
    try:
        return agent.domain.responses[name][0]["text"]
    except (AttributeError, KeyError, IndexError, TypeError):
        return FALLBACK_TEXT


async def _retrieve(agent: Any, sender_id: str) -> Any:
    try:
        return await agent.tracker_store.retrieve(sender_id)
    except Exception:
        logger.exception("safety_net.tracker_unavailable")
        return None


async def _record(agent: Any, sender_id: str, text: str) -> None:
    """Add the bot message to the conversation so navigators see what was said."""
    try:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            if tracker is not None:
                tracker.update(BotUttered(text, metadata={"author": "safety_net"}))
                await agent.tracker_store.save(tracker)
    except Exception:
        logger.exception("safety_net.record_failed")


async def ensure_reply(
    agent: Any, sender_id: str, messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return the replies a channel should send for the message just handled."""
    if messages or agent is None:
        return messages
    tracker = await _retrieve(agent, sender_id)
    if tracker is not None and tracker.is_paused():
        risk = (tracker.latest_message.parse_data or {}).get("risk") or {}
        if risk.get("level") != "immediate":
            return messages
        logger.warning("safety_net.emergency_while_paused")
        text = response_text(agent, EMERGENCY_RESPONSE)
        await _record(agent, sender_id, text)
        return [{"recipient_id": sender_id, "text": text}]
    logger.warning("safety_net.used")
    return [{"recipient_id": sender_id, "text": response_text(agent, SAFETY_NET_RESPONSE)}]
