"""Due check-ins reach the right Telegram chat through the real bridge callback server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from telegram.ext import Application

from bot.checkins.sender import checkin_message, send_due
from bot.checkins.store import CheckinStore
from bot.telegram.callback_server import make_app, start_server
from bot.telegram.config import BridgeSettings
from tests.telegram.conftest import BRIDGE_SECRET
from tests.telegram.fake_bot_api import FakeBotApi

NOW = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
CHAT = 777


async def test_due_check_ins_are_sent_once_and_forgotten(
    application: Application, settings: BridgeSettings, bot_api: FakeBotApi, tmp_path: Path
) -> None:
    bridge = application.bot_data["bridge"]
    pseudonym = bridge.pseudonym(CHAT)
    bridge.chat_ids.remember(pseudonym, CHAT)
    store = CheckinStore(f"sqlite:///{tmp_path / 'checkins.db'}")
    store.request(conversation_id=pseudonym, channel="telegram", due_at=NOW)
    store.request(conversation_id="wp-later", channel="telegram", due_at=NOW + timedelta(hours=1))
    store.request(conversation_id="wp-unknown", channel="telegram", due_at=NOW)
    runner = await start_server(make_app(application.bot, bridge, BRIDGE_SECRET), settings.port)
    url = f"http://127.0.0.1:{settings.port}/rasa"
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            sent = await send_due(store, client, callback_url=url, secret=BRIDGE_SECRET, now=NOW)
            again = await send_due(store, client, callback_url=url, secret=BRIDGE_SECRET, now=NOW)
    finally:
        await runner.cleanup()
    assert (sent, again) == (1, 0)
    [message] = bot_api.recorded("sendMessage")
    assert message.params["chat_id"] == CHAT
    assert message.params["text"].startswith("Hi, it's Waypoint.")
    assert "call 999" in message.params["text"]
    # The unknown chat is given up (the bridge answered 404); the later one waits.
    assert store.pending("wp-unknown") is None
    assert [c.conversation_id for c in store.due(NOW + timedelta(hours=1))] == ["wp-later"]


async def test_unreachable_bridge_is_retried_then_given_up(tmp_path: Path) -> None:
    store = CheckinStore(f"sqlite:///{tmp_path / 'checkins.db'}")
    store.request(conversation_id="wp-a", channel="telegram", due_at=NOW)
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(4):
            await send_due(
                store, client, callback_url="http://127.0.0.1:9/rasa", secret="s", now=NOW
            )
            assert store.pending("wp-a") is not None
        await send_due(store, client, callback_url="http://127.0.0.1:9/rasa", secret="s", now=NOW)
    assert store.pending("wp-a") is None


def test_the_message_comes_from_the_domain() -> None:
    message = checkin_message()
    assert "How are you doing?" in message["text"]
    assert {"title": "Talk to a youth worker", "payload": "/request_navigator"} in message[
        "buttons"
    ]
