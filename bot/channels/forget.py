"""``/forget`` on every channel: erase the conversation, then say what was deleted.

The channels catch the command before Rasa sees it (it must work while a navigator has
the conversation paused, and even if the model or the action server is broken), and
hold Rasa's lock for the conversation while erasing, so a message being handled at
that moment cannot write its events back afterwards.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from bot.channels.safety_net import escalation_store
from bot.channels.text import is_forget_request
from bot.privacy.erase import Erased, delete_events, erase_everything

__all__ = ["forget", "is_forget_request"]

logger = logging.getLogger(__name__)

DONE = "Done. I've deleted this chat and everything Waypoint kept from it."
ESCALATED = (
    "A youth worker was told about this chat. What you said is deleted from their list "
    "too. They keep only a note that a chat happened, not what was said or who it was."
)
NOTHING_KEPT = "There was nothing saved from this chat, so there was nothing to delete."
TELEGRAM_COPY = (
    "Telegram keeps its own copy of these messages on your phone. To remove it, delete "
    "this chat in Telegram."
)
WEB_COPY = "This page has been cleared too."
AGAIN = "You can start again any time. If you're ever in danger, call 999."
FAILED = (
    "Sorry, I couldn't delete everything just now. Please send /forget again in a "
    "minute. If you're in danger, call 999."
)

def conversation_deleter(agent: Any) -> Callable[[str], int]:
    """How to delete one conversation from the agent's tracker store.

    Rasa's SQL tracker store (what Waypoint configures) and the in-memory one are
    supported; any other store raises, so the young person is told it failed rather
    than that it worked.
    """
    store = getattr(agent, "tracker_store", None)
    inner = getattr(store, "_tracker_store", store)
    engine = getattr(inner, "engine", None)
    if isinstance(engine, Engine):
        return lambda sender_id: delete_events(engine, sender_id)
    memory = getattr(inner, "store", None)
    if isinstance(memory, dict):
        return lambda sender_id: int(memory.pop(sender_id, None) is not None)
    raise TypeError(f"cannot delete conversations from {type(inner).__name__}")


def confirmation(erased: Erased, channel: str) -> list[str]:
    """What the young person is told: what was deleted, and what wasn't ours to delete."""
    said = [DONE if erased.anything else NOTHING_KEPT]
    if erased.escalations:
        said.append(ESCALATED)
    if channel == "telegram":
        said.append(TELEGRAM_COPY)
    elif channel == "webchat":
        said.append(WEB_COPY)
    said.append(AGAIN)
    return said


async def forget(agent: Any, sender_id: str, channel: str) -> list[str]:
    """Erase everything for ``sender_id``; return the messages to send back."""
    try:
        delete_conversation = conversation_deleter(agent)
        async with agent.lock_store.lock(sender_id):
            erased = await asyncio.to_thread(
                erase_everything,
                sender_id,
                store=escalation_store(),
                delete_conversation=delete_conversation,
            )
    except Exception as error:
        logger.error("privacy.erase_failed channel=%s error=%s", channel, type(error).__name__)
        return [FAILED]
    return confirmation(erased, channel)
