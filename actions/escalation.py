"""Escalating to a human navigator.

The escalation is committed to the store *before* the young person is told that a
youth worker is coming; if it cannot be stored they are told that honestly, with the
24/7 lines, and never that someone is coming.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import disclosure
from bot.navigator import hours
from bot.navigator.store import EscalationStore
from bot.settings import db_url

logger = logging.getLogger(__name__)

ACTION_ESCALATE = "action_escalate"

# When the detector found no risk, what the intent itself tells us.
DEFAULTS_BY_INTENT: dict[str, tuple[str, list[str]]] = {
    "not_safe": ("immediate", ["threatened"]),
    # Only reached through the rule for "No" to "Are you safe right now?".
    "deny": ("immediate", ["threatened"]),
    "request_navigator": ("medium", ["asked_for_person"]),
}


@lru_cache(maxsize=1)
def escalation_store() -> EscalationStore:
    """Return the process-wide store (created on first use, not at import)."""
    return EscalationStore(db_url())


class ActionEscalate(Action):
    """Store an escalation, then tell the young person what happens next."""

    def name(self) -> str:
        """Return the action name used in the domain and rules."""
        return ACTION_ESCALATE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Store first; only then say that a youth worker is being told."""
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
        level, categories = DEFAULTS_BY_INTENT.get(intent, ("medium", ["asked_for_person"]))
        said = disclosure(tracker, level, categories)
        try:
            escalation_id = escalation_store().create_escalation(
                conversation_id=tracker.sender_id,
                channel=said.channel,
                level=said.level,
                categories=list(said.categories),
                trigger_text=said.words,
                venue=said.venue,
            )
        except Exception:
            logger.exception("escalation.store_failed")
            dispatcher.utter_message(response="utter_escalation_failed")
            return []
        logger.info("escalation.stored id=%s level=%s", escalation_id, said.level)
        now = datetime.now(UTC)
        if escalation_store().any_navigator_online(now=now):
            told = (
                "utter_navigator_told_immediate"
                if said.level == "immediate"
                else "utter_navigator_told"
            )
            dispatcher.utter_message(response=told)
        else:
            dispatcher.utter_message(
                response="utter_no_navigator_online",
                back_time=hours.back_sentence(now),
            )
        # The "danger" slot is kept: every immediate message sets it afresh (the risk
        # component), and after an overdose "I'm safe now" still needs "get checked".
        return []
