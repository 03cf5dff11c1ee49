"""Check-ins: offered once after a hard conversation, stored only if the young person agrees.

Offered only on channels where a later message can reach the young person (Telegram,
through the bridge). The web chat's conversation ends when its page is closed, so it is
never offered there.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.checkins.store import CheckinStore
from bot.checkins.timing import due_time
from bot.settings import db_url

logger = logging.getLogger(__name__)

ACTION_OFFER = "action_offer_checkin"
ACTION_SAVE = "action_checkin_save"
ACTION_DECLINE = "action_checkin_decline"
ACTION_CANCEL = "action_checkin_cancel"
PENDING, OFFERED = "checkin_pending", "checkin_offered"
# Channels that can deliver a message later (bot/checkins/sender.py).
DELIVERABLE_CHANNELS = frozenset({"telegram"})


@lru_cache(maxsize=1)
def checkin_store() -> CheckinStore:
    """Return the process-wide store (created on first use, not at import)."""
    return CheckinStore(db_url())


class ActionOfferCheckin(Action):
    """Offer a check-in tomorrow, once per conversation, where it can be delivered."""

    def name(self) -> str:
        """Return the action name used in the domain and rules."""
        return ACTION_OFFER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Say the offer and mark it pending, or do nothing."""
        channel = tracker.get_latest_input_channel() or ""
        if tracker.get_slot(OFFERED) or channel not in DELIVERABLE_CHANNELS:
            return [SlotSet(PENDING, False)]
        dispatcher.utter_message(response="utter_checkin_offer")
        return [SlotSet(PENDING, True), SlotSet(OFFERED, True)]


class ActionCheckinSave(Action):
    """The young person said yes: store the check-in, then say so."""

    def name(self) -> str:
        """Return the action name used in the domain and rules."""
        return ACTION_SAVE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Store first; only then promise the message."""
        channel = tracker.get_latest_input_channel() or ""
        try:
            checkin_store().request(
                conversation_id=tracker.sender_id,
                channel=channel,
                due_at=due_time(datetime.now(UTC)),
            )
        except Exception:
            logger.exception("checkin.store_failed")
            dispatcher.utter_message(response="utter_checkin_failed")
            return [SlotSet(PENDING, False)]
        logger.info("checkin.stored channel=%s", channel)
        dispatcher.utter_message(response="utter_checkin_saved")
        return [SlotSet(PENDING, False)]


class ActionCheckinDecline(Action):
    """The young person said no: nothing is stored."""

    def name(self) -> str:
        """Return the action name used in the domain and rules."""
        return ACTION_DECLINE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Say that's fine; never ask again in this conversation."""
        dispatcher.utter_message(response="utter_checkin_declined")
        return [SlotSet(PENDING, False)]


class ActionCheckinCancel(Action):
    """Cancel this conversation's check-in, if there is one."""

    def name(self) -> str:
        """Return the action name used in the domain and rules."""
        return ACTION_CANCEL

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Delete the stored check-in and say what happened."""
        try:
            cancelled = checkin_store().cancel(tracker.sender_id)
        except Exception:
            logger.exception("checkin.cancel_failed")
            dispatcher.utter_message(response="utter_checkin_cancel_failed")
            return [SlotSet(PENDING, False)]
        dispatcher.utter_message(
            response="utter_checkin_cancelled" if cancelled else "utter_checkin_none"
        )
        return [SlotSet(PENDING, False)]
