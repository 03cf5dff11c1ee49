"""``/forget`` on every channel: erase the conversation, then say what was deleted.

The channels catch the command before Rasa sees it (it must work while a navigator has
the conversation paused, and even if the model or the action server is broken), and
hold Rasa's lock for the conversation while erasing, so a message being handled at
that moment cannot write its events back afterwards.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.channels.safety_net import escalation_store
from bot.channels.text import is_forget_request
from bot.privacy.erase import Erased, erase_everything
from bot.retention import tracker_url

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

_fallback_engines: dict[str, Engine] = {}


def tracker_engine(agent: Any) -> Engine:
    """Rasa's own SQL tracker-store engine, or one for the configured tracker URL."""
    store = getattr(agent, "tracker_store", None)
    engine = getattr(getattr(store, "_tracker_store", store), "engine", None)
    if isinstance(engine, Engine):
        return engine
    url = tracker_url()
    if url not in _fallback_engines:
        _fallback_engines[url] = sa.create_engine(url, future=True)
    return _fallback_engines[url]


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
        lock_store = getattr(agent, "lock_store", None)
        engine = tracker_engine(agent)
        if lock_store is None:
            erased = await asyncio.to_thread(
                erase_everything, sender_id, tracker=engine, store=escalation_store()
            )
        else:
            async with lock_store.lock(sender_id):
                erased = await asyncio.to_thread(
                    erase_everything, sender_id, tracker=engine, store=escalation_store()
                )
    except Exception as error:
        logger.error("privacy.erase_failed channel=%s error=%s", channel, type(error).__name__)
        return [FAILED]
    return confirmation(erased, channel)
