"""Out-of-band messages from Rasa reach the right chat, labelled, and only with the secret."""

from __future__ import annotations

import httpx
from telegram.ext import Application

from bot.telegram.callback_server import make_app, start_server
from bot.telegram.config import BridgeSettings
from bot.telegram.rasa_client import SECRET_HEADER
from tests.telegram.conftest import BRIDGE_SECRET
from tests.telegram.fake_bot_api import FakeBotApi

CHAT = 555


async def test_callbacks_are_checked_routed_and_labelled(
    application: Application, settings: BridgeSettings, bot_api: FakeBotApi
) -> None:
    bridge = application.bot_data["bridge"]
    pseudonym = bridge.pseudonym(CHAT)
    bridge.chat_ids.remember(pseudonym, CHAT)
    runner = await start_server(make_app(application.bot, bridge, BRIDGE_SECRET), settings.port)
    url = f"http://127.0.0.1:{settings.port}"
    body = {
        "recipient_id": pseudonym,
        "text": "Are you safe now?",
        "buttons": [],
        "author": "navigator",
        "navigator": "Sam",
    }
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            assert (await client.get("/health")).status_code == 200
            assert (await client.post("/rasa", json=body)).status_code == 403
            wrong = {SECRET_HEADER: "not-the-secret"}
            assert (await client.post("/rasa", json=body, headers=wrong)).status_code == 403
            headers = {SECRET_HEADER: BRIDGE_SECRET}
            unknown = {**body, "recipient_id": "wp-nobody"}
            assert (await client.post("/rasa", json=unknown, headers=headers)).status_code == 404
            bad = await client.post("/rasa", content=b"[1]", headers=headers)
            assert bad.status_code == 400
            sent = await client.post("/rasa", json=body, headers=headers)
            assert sent.status_code == 200, sent.text
    finally:
        await runner.cleanup()
    [message] = bot_api.recorded("sendMessage")
    assert message.params["chat_id"] == CHAT
    assert message.params["text"] == "Sam (youth worker): Are you safe now?"
