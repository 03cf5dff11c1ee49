"""Session start that keeps a navigator's conversation paused.

Rasa resets the paused flag when a session expires (60 minutes without a message) or
on a restart, so the young person would suddenly get bot replies in the middle of a
conversation with a person. The navigator store is the source of truth: while a
handoff is open, a new session starts paused again.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import escalation_store

logger = logging.getLogger(__name__)

CARRIED_SLOTS = ("risk_raised",)


class ActionSessionStart(Action):
    """Start a session, carry over what matters for safety, re-pause open handoffs."""

    def name(self) -> str:
        """Rasa's reserved name, overridden here."""
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Return SessionStarted, the carried slots, action_listen, and a pause if needed."""
        events: list[dict[str, Any]] = [SessionStarted()]
        for slot in CARRIED_SLOTS:
            value = tracker.get_slot(slot)
            if value is not None:
                events.append(SlotSet(slot, value))
        events.append(ActionExecuted("action_listen"))
        try:
            paused = escalation_store().handoff_active(tracker.sender_id)
        except Exception:
            logger.exception("session.handoff_check_failed")
            paused = False
        if paused:
            logger.info("session.repaused")
            events.append(ConversationPaused())
        return events
