"""action_escalate stores first, then tells the young person what happens next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation as escalation_module
from actions.escalation import ActionEscalate
from bot.navigator.store import EscalationStore
from bot.venues.store import VenueStore


def make_tracker(
    text: str,
    *,
    intent: str,
    risk: dict[str, Any] | None = None,
    sender_id: str = "wp-abc",
    metadata: dict[str, Any] | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    if risk is not None:
        latest["risk"] = risk
    if metadata is not None:
        latest["metadata"] = metadata
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": "webchat"}]
    return Tracker(sender_id, slots or {}, latest, events, False, None, {}, "action_listen")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EscalationStore:
    database = EscalationStore(f"sqlite:///{tmp_path / 'waypoint.db'}")
    monkeypatch.setattr(escalation_module, "escalation_store", lambda: database)
    return database


async def run(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return events, [m.get("response") for m in dispatcher.messages]


async def test_high_risk_is_stored_with_the_words_before_anyone_is_told(
    store: EscalationStore,
) -> None:
    risk = {"level": "high", "categories": ["weapon_carrying"], "evidence": ["knife"]}
    venue = VenueStore(store.db.url.render_as_string(False)).add("Youth club", "hackney").code
    tracker = make_tracker(
        "i've got a knife in my bag", intent="risk_high", risk=risk, metadata={"venue": venue}
    )
    events, said = await run(ActionEscalate(), tracker)
    row = store.open_escalation_for("wp-abc")
    assert row is not None
    assert row.level == "high"
    assert "weapon_carrying" in row.categories
    assert row.trigger_text == "i've got a knife in my bag"
    assert row.channel == "webchat"
    assert row.venue == venue
    assert said == ["utter_no_navigator_online"]  # nobody online in a fresh store
    assert events == []  # risk_raised is set by Rasa's slot mapping, not by this action


async def test_not_safe_button_is_immediate_even_without_detector_output(
    store: EscalationStore,
) -> None:
    events, _ = await run(ActionEscalate(), make_tracker("/not_safe", intent="not_safe"))
    row = store.open_escalation_for("wp-abc")
    assert row is not None and row.level == "immediate"
    assert events == []


async def test_asking_for_a_person_is_a_medium_request_and_sets_no_risk(
    store: EscalationStore,
) -> None:
    events, said = await run(
        ActionEscalate(), make_tracker("/request_navigator", intent="request_navigator")
    )
    row = store.open_escalation_for("wp-abc")
    assert row is not None and row.level == "medium"
    assert events == []
    assert said == ["utter_no_navigator_online"]


async def test_a_store_failure_is_told_honestly(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def create_escalation(self, **_: Any) -> int:
            raise RuntimeError("database is down")

    monkeypatch.setattr(escalation_module, "escalation_store", lambda: Broken())
    risk = {"level": "immediate", "categories": ["violence_now"], "evidence": []}
    events, said = await run(
        ActionEscalate(), make_tracker("he's bleeding", intent="risk_immediate", risk=risk)
    )
    assert said == ["utter_escalation_failed"]
    assert events == []
