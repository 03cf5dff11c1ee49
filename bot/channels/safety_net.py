"""Never silence, never a missed emergency, never a lost escalation.

After Rasa has handled a message, a channel calls :func:`ensure_reply`:

- If the risk detector heard high or immediate risk, the escalation is stored from here
  too (the store merges it with the one action_escalate stores), so a navigator hears
  about it even when the action server is down. It happens before the replies are
  returned, so still before the young person is told anything.

- If the conversation is paused (a navigator has taken over), the bot is meant to be
  quiet, but the risk detector still ran on the message. If it heard immediate danger,
  the emergency answer is sent anyway and recorded in the conversation, so the
  navigator sees it too.
- If nothing was said and the conversation is not paused (the action server is down, or
  Rasa raised), the domain's ``utter_safety_net`` is sent instead of silence.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any

from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.previous import escalation_words
from bot.navigator.store import EscalationStore
from bot.settings import db_url
from bot.venues.counting import count_venue_conversation

logger = logging.getLogger(__name__)

SAFETY_NET_RESPONSE = "utter_safety_net"
EMERGENCY_RESPONSE = "utter_emergency"
FALLBACK_TEXT = (
    "Sorry, something went wrong on my side. If you or someone else is in danger right "
    "now, call 999."
)


def response_text(agent: Any, name: str, slots: dict[str, Any] | None = None) -> str:
    """Return the domain's text for response ``name`` (a built-in sentence if absent).

    The variation is chosen by Rasa's own filter, as the bot would: one whose slot
    conditions ``slots`` meets ("danger" is "self_harm"), else one without a condition.
    """
    try:
        variations = ResponseVariationFilter(agent.domain.responses).responses_for_utter_action(
            name, "", slots or {}
        )
        return variations[0]["text"]
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


@lru_cache(maxsize=1)
def escalation_store() -> EscalationStore:
    """The escalation store, opened on first use in this (Rasa server) process."""
    return EscalationStore(db_url())


def last_user_message(tracker: Any) -> UserUttered | None:
    """The message just handled. Not ``latest_message``: a core fallback "rewinds" it."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return event
    return None


def latest_risk(tracker: Any) -> dict[str, Any]:
    """The risk detector's result for the message just handled ({} if none)."""
    message = last_user_message(tracker)
    return ((message.parse_data or {}).get("risk") or {}) if message else {}


def _danger(tracker: Any) -> str | None:
    """The ``danger`` entity the risk component gave the message just handled
    (bot.risk.assessment.danger decides), or None."""
    message = last_user_message(tracker)
    entities = (message.parse_data or {}).get("entities") or [] if message else []
    kinds = [e.get("value") for e in entities if e.get("entity") == "danger"]
    return kinds[0] if kinds and isinstance(kinds[0], str) else None


def _store_escalation(tracker: Any) -> None:
    message = last_user_message(tracker)
    risk = latest_risk(tracker)
    if message is None or risk.get("level") not in ("high", "immediate"):
        return
    store, words = escalation_store(), escalation_words(message.text or "", risk)
    if store.already_recorded(
        conversation_id=tracker.sender_id, level=risk["level"], trigger_text=words
    ):
        return  # action_escalate stored it while handling the message
    metadata = message.metadata or {}
    venue = metadata.get("venue") if isinstance(metadata, dict) else None
    store.create_escalation(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        level=risk["level"],
        categories=list(risk.get("categories") or []),
        trigger_text=words,
        venue=venue if isinstance(venue, str) else None,
    )


async def ensure_escalated(tracker: Any) -> None:
    """Store the escalation for high or immediate risk (idempotent with action_escalate)."""
    try:
        await asyncio.to_thread(_store_escalation, tracker)
    except Exception:
        logger.exception("safety_net.escalation_store_failed")


async def ensure_reply(
    agent: Any, sender_id: str, messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return the replies a channel should send for the message just handled."""
    if agent is None:
        return messages
    tracker = await _retrieve(agent, sender_id)
    if tracker is not None:
        await ensure_escalated(tracker)
        await count_venue_conversation(tracker)  # daily totals per venue, no pseudonym
    if messages:
        return messages
    if tracker is not None and tracker.is_paused():
        risk = latest_risk(tracker)
        if risk.get("level") != "immediate":
            return messages
        logger.warning("safety_net.emergency_while_paused")
        # While paused no slot is filled, so the message's own entity picks the variation;
        # the domain's conditions decide, as they do for the bot (reporter: null).
        slots = {"danger": _danger(tracker), "reporter": tracker.get_slot("reporter")}
        text = response_text(agent, EMERGENCY_RESPONSE, slots)
        await _record(agent, sender_id, text)
        return [{"recipient_id": sender_id, "text": text}]
    logger.warning("safety_net.used")
    return [{"recipient_id": sender_id, "text": response_text(agent, SAFETY_NET_RESPONSE)}]
