"""/start with a poster's venue code, /privacy and /stop, with real PTB objects."""

from __future__ import annotations

import httpx
from telegram.ext import Application

from bot.telegram.callback_server import make_app, start_server
from bot.telegram.chat_ids import ChatIds
from bot.telegram.config import BridgeSettings
from bot.telegram.handlers import GREETING, PRIVACY, STOPPED
from bot.telegram.rasa_client import SECRET_HEADER
from bot.venues.codes import new_code
from bot.venues.store import VenueStore
from tests.telegram.conftest import BRIDGE_SECRET, StubRasa, process, pseudonym
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.updates import text_update

CHAT = 515151


async def test_a_deep_link_venue_goes_with_this_and_every_later_message(
    application: Application, rasa: StubRasa, settings: BridgeSettings
) -> None:
    venue = VenueStore(settings.db_url).add("Yiewsley youth centre", "hillingdon").code
    await process(application, text_update(f"/start {venue}", CHAT))
    await process(application, text_update("someone's been following me", CHAT), update_id=2)
    assert [text for _, text in rasa.received] == [GREETING, "someone's been following me"]
    assert {sender for sender, _ in rasa.received} == {pseudonym(CHAT)}
    # /start's greeting is marked as sent for them, so the transcript does not show it as typed.
    assert rasa.metadata == [{"venue": venue, "opened": True}, {"venue": venue}]
    # Kept with the encrypted chat record, so a restarted bridge still knows it.
    again = ChatIds(settings.db_url, settings.server_secret).chat(pseudonym(CHAT))
    assert again is not None and again.venue == venue and again.chat_id == CHAT


async def test_unknown_or_malformed_start_payloads_are_ignored(
    application: Application, rasa: StubRasa
) -> None:
    for update_id, payload in enumerate((new_code(), "hillingdon-yc1", "a b", "x" * 64), 1):
        await process(application, text_update(f"/start {payload}", CHAT + update_id), update_id)
    await process(application, text_update("/start", CHAT), update_id=9)
    assert [text for _, text in rasa.received] == [GREETING] * 5
    assert rasa.metadata == [{"opened": True}] * 5


async def test_privacy_asks_rasa_for_the_privacy_answer(
    application: Application, rasa: StubRasa
) -> None:
    await process(application, text_update("/privacy", CHAT))
    assert rasa.received == [(pseudonym(CHAT), PRIVACY)]


async def test_stop_holds_back_out_of_band_messages_until_they_write_again(
    application: Application, rasa: StubRasa, settings: BridgeSettings, bot_api: FakeBotApi
) -> None:
    bridge = application.bot_data["bridge"]
    runner = await start_server(make_app(application.bot, bridge, BRIDGE_SECRET), settings.port)
    body = {"recipient_id": pseudonym(CHAT), "text": "Just checking in. How are you doing?"}
    headers = {SECRET_HEADER: BRIDGE_SECRET}
    url = f"http://127.0.0.1:{settings.port}/rasa"
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            await process(application, text_update("hi", CHAT))
            assert (await client.post(url, json=body, headers=headers)).status_code == 200
            await process(application, text_update("/stop", CHAT), update_id=2)
            held = await client.post(url, json=body, headers=headers)
            assert held.status_code == 410 and "/stop" in held.json()["error"]
            await process(application, text_update("can we talk", CHAT), update_id=3)
            assert (await client.post(url, json=body, headers=headers)).status_code == 200
    finally:
        await runner.cleanup()
    assert [text for _, text in rasa.received] == ["hi", "can we talk"]  # /stop stays here
    texts = [c.params["text"] for c in bot_api.recorded("sendMessage")]
    assert texts == [
        "Hello from Rasa",
        body["text"],
        *STOPPED,
        "Hello from Rasa",
        body["text"],
    ]
    assert "/forget" in STOPPED[1] and "999" in STOPPED[1]
