"""The writer's previous message, so owning up in the next one is heard.

Young people often test the water first: "if my mate had a blade in his bag would you
tell the school", then "its me btw". The risk component reads a reply that owns up
together with the message before it (``RiskDetector.assess_reply``). A channel puts the
conversation's last user text in the new message's metadata under ``PREVIOUS_KEY``. That
text is the one the tracker already keeps (cleaned and redacted by the channel), so
nothing new about the young person is stored.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Optional

from bot.risk.assessment import OWN_UP_MAX_CHARS

logger = logging.getLogger(__name__)

PREVIOUS_KEY = "previous"
PREVIOUS_MAX_AGE_SECONDS = 30 * 60
"""An own-up refers to what was just said; a message from an hour ago is not joined."""

WITH_PREVIOUS_KEY = "with_previous"
"""In a message's ``risk``: the earlier message it was read with (bot/risk/component.py)."""


def escalation_words(text: str, risk: dict[str, Any]) -> str:
    """The words an escalation keeps: the message, after the one it owns up to if the
    risk was heard in the two together ("if my mate had a blade ... / its me btw")."""
    previous = risk.get(WITH_PREVIOUS_KEY)
    return f"{previous} / {text}" if isinstance(previous, str) and previous else text


async def previous_text(agent: Any, sender_id: str) -> Optional[str]:
    """The conversation's last user text if it was sent recently, else None.

    Never raises: without it a reply is still assessed on its own.
    """
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return None
    try:
        tracker = await store.retrieve(sender_id)
    except Exception:
        logger.exception("channel.previous.failed")
        return None
    latest = tracker.latest_message if tracker is not None else None
    if latest is None or not isinstance(latest.text, str) or not latest.text.strip():
        return None
    if time.time() - float(latest.timestamp or 0) > PREVIOUS_MAX_AGE_SECONDS:
        return None
    return latest.text


async def with_previous(
    agent: Any, sender_id: str, text: Any, metadata: Optional[dict[str, Any]]
) -> Optional[dict[str, Any]]:
    """``metadata`` with the previous user text added (a new dict), or as it was.

    Only a message short enough to be an own-up (``text``) needs it, so a longer one
    costs no tracker read.
    """
    if not isinstance(text, str) or len(text) > OWN_UP_MAX_CHARS:
        return metadata
    previous = await previous_text(agent, sender_id)
    if previous is None:
        return metadata
    return {**(metadata or {}), PREVIOUS_KEY: previous}
