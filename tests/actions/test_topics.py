"""action_offer_topic offers the topic that fits what a medium-risk message was about."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.topics import ActionOfferTopic


def make_tracker(text: str, categories: list[str]) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": "risk_medium", "confidence": 1.0},
        "risk": {"level": "medium", "categories": categories, "evidence": []},
    }
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": "rest"}]
    return Tracker("wp-abc", {}, latest, events, False, None, {}, "action_listen")


async def offered(text: str, categories: list[str]) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await ActionOfferTopic().run(dispatcher, make_tracker(text, categories), {})
    return [b for message in dispatcher.messages for b in message.get("buttons") or []]


async def test_exploitation_is_offered_its_own_topic() -> None:
    buttons = await offered("they keep asking me to do stuff", ["exploitation"])
    assert buttons == [{"title": "Being used or pressured", "payload": "/topic_exploitation"}]


async def test_a_death_is_offered_the_grief_topic_first() -> None:
    buttons = await offered("my bro got stabbed last month and died", ["violence_now"])
    assert buttons == [
        {"title": "I lost someone", "payload": "/topic_grief"},
        {"title": "I feel unsafe", "payload": "/topic_unsafe"},
    ]


async def test_nothing_matching_means_no_extra_message() -> None:
    assert await offered("something vague", []) == []
