"""The check-in actions: offered once and only on Telegram; stored only on yes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import checkins as checkins_module
from actions.checkins import (
    ActionCheckinCancel,
    ActionCheckinDecline,
    ActionCheckinSave,
    ActionOfferCheckin,
)
from bot.checkins.store import CheckinStore


def make_tracker(channel: str, slots: dict[str, Any] | None = None) -> Tracker:
    latest = {"text": "/grief_support", "intent": {"name": "grief_support"}, "entities": []}
    events = [{"event": "user", "text": "/grief_support", "input_channel": channel}]
    return Tracker("wp-abc", slots or {}, latest, events, False, None, {}, "action_listen")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CheckinStore:
    database = CheckinStore(f"sqlite:///{tmp_path / 'waypoint.db'}")
    monkeypatch.setattr(checkins_module, "checkin_store", lambda: database)
    return database


async def run(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return events, [m.get("response") for m in dispatcher.messages]


async def test_offered_on_telegram_once() -> None:
    events, said = await run(ActionOfferCheckin(), make_tracker("telegram"))
    assert said == ["utter_checkin_offer"]
    assert events == [SlotSet("checkin_pending", True), SlotSet("checkin_offered", True)]
    tracker = make_tracker("telegram", {"checkin_offered": True})
    events, said = await run(ActionOfferCheckin(), tracker)
    assert said == [] and events == [SlotSet("checkin_pending", False)]


@pytest.mark.parametrize("channel", ["webchat", "rest", ""])
async def test_never_offered_where_it_could_not_arrive(channel: str) -> None:
    events, said = await run(ActionOfferCheckin(), make_tracker(channel))
    assert said == [] and events == [SlotSet("checkin_pending", False)]


async def test_yes_stores_it_before_saying_so(store: CheckinStore) -> None:
    events, said = await run(ActionCheckinSave(), make_tracker("telegram"))
    assert said == ["utter_checkin_saved"]
    assert events == [SlotSet("checkin_pending", False)]
    row = store.pending("wp-abc")
    assert row is not None and row.channel == "telegram"


async def test_a_store_failure_is_said_honestly(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> CheckinStore:
        raise RuntimeError("database down")

    monkeypatch.setattr(checkins_module, "checkin_store", broken)
    _, said = await run(ActionCheckinSave(), make_tracker("telegram"))
    assert said == ["utter_checkin_failed"]


async def test_no_stores_nothing(store: CheckinStore) -> None:
    _, said = await run(ActionCheckinDecline(), make_tracker("telegram"))
    assert said == ["utter_checkin_declined"]
    assert store.pending("wp-abc") is None


async def test_cancel_says_whether_there_was_one(store: CheckinStore) -> None:
    await run(ActionCheckinSave(), make_tracker("telegram"))
    _, said = await run(ActionCheckinCancel(), make_tracker("telegram"))
    assert said == ["utter_checkin_cancelled"] and store.pending("wp-abc") is None
    _, said = await run(ActionCheckinCancel(), make_tracker("telegram"))
    assert said == ["utter_checkin_none"]
