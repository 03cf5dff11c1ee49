"""The typed Rasa HTTP client, against the stand-in server and a mock transport."""

from __future__ import annotations

import httpx
import pytest

from bot.navigator.rasa_client import RasaClient, RasaStateError
from tests.navigator.fake_rasa import TOKEN, FakeRasa

pytestmark = pytest.mark.asyncio


async def test_calls_and_auth(fake_rasa: FakeRasa) -> None:
    client = RasaClient(fake_rasa.url, TOKEN)
    try:
        fake_rasa.add_user("wp/odd id", "hello")
        tracker = await client.tracker("wp/odd id")
        assert tracker["events"][0]["text"] == "hello"
        assert fake_rasa.received[-1].path == "/conversations/wp%2Fodd%20id/tracker"
        assert fake_rasa.received[-1].query == {"token": TOKEN, "include_events": "ALL"}

        state = await client.append_events("wp-1", [{"event": "pause"}])
        assert state["paused"] is True
        sent = fake_rasa.received[-1]
        assert sent.body == [{"event": "pause"}]
        assert sent.query["execute_side_effects"] == "true"
        assert sent.query["output_channel"] == "latest"

        await client.append_events(
            "wp-1", [{"event": "resume"}], execute_side_effects=False, output_channel="telegram"
        )
        assert fake_rasa.received[-1].query["execute_side_effects"] == "false"
        assert fake_rasa.received[-1].query["output_channel"] == "telegram"

        await client.trigger_intent("wp-1", "navigator_handback")
        trigger = fake_rasa.received[-1]
        assert trigger.path.endswith("/trigger_intent")
        assert trigger.body == {"name": "navigator_handback", "entities": {}}
        assert trigger.query["output_channel"] == "latest"
    finally:
        await client.aclose()
    wrong = RasaClient(fake_rasa.url, "wrong-token")
    with pytest.raises(httpx.HTTPStatusError):
        await wrong.tracker("wp-1")
    await wrong.aclose()


async def test_take_over_and_hand_back_check_the_paused_flag() -> None:
    paused = {"value": False}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"paused": paused["value"], "events": None})

    client = RasaClient("http://rasa.invalid", TOKEN, transport=httpx.MockTransport(handler))
    with pytest.raises(RasaStateError):
        await client.take_over("wp-1", "Sam")  # Rasa says it is not paused
    paused["value"] = True
    await client.take_over("wp-1", "Sam")
    with pytest.raises(RasaStateError):
        await client.hand_back("wp-1", "Sam")  # still paused after "resume"
    await client.aclose()


async def test_server_errors_raise(fake_rasa: FakeRasa) -> None:
    client = RasaClient(fake_rasa.url, TOKEN)
    fake_rasa.fail_posts = 1
    with pytest.raises(httpx.HTTPStatusError):
        await client.reply("wp-1", "Sam", "hello")
    await client.aclose()
    unreachable = RasaClient("http://127.0.0.1:9", TOKEN, timeout=2)
    with pytest.raises(httpx.HTTPError):
        await unreachable.tracker("wp-1")
    await unreachable.aclose()
