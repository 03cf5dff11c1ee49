"""Stickers, photos, voice notes and locations get a kind answer; a location is never kept."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.telegram.config import BridgeSettings
from bot.telegram.media import (
    CAPTION_NOTE,
    LOCATION_REPLY,
    PICTURE_REPLY,
    STICKER_REPLY,
    VOICE_REPLY,
)
from tests.telegram.conftest import StubRasa, process
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.updates import (
    captioned_photo_update,
    location_update,
    photo_update,
    sticker_update,
    voice_update,
)

CHAT = 626262
LATITUDE, LONGITUDE = 51.50735, -0.12776


async def test_each_kind_gets_its_own_kind_reply_and_rasa_is_not_bothered(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    for update_id, update in enumerate(
        (sticker_update(CHAT), photo_update(CHAT), voice_update(CHAT),
         location_update(CHAT, LATITUDE, LONGITUDE)), 1
    ):  # fmt: skip
        await process(application, update, update_id)
    assert rasa.received == []
    texts = [c.params["text"] for c in bot_api.recorded("sendMessage")]
    assert texts == [STICKER_REPLY, PICTURE_REPLY, VOICE_REPLY, LOCATION_REPLY]
    assert all("999" in text for text in texts)


async def test_a_location_is_never_logged_sent_or_stored(
    application: Application,
    rasa: StubRasa,
    bot_api: FakeBotApi,
    settings: BridgeSettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        await process(application, location_update(CHAT, LATITUDE, LONGITUDE))
    assert rasa.received == []
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "telegram.message.not_text kind=location" in logged
    stored = b"".join(p.read_bytes() for p in Path(settings.db_url[10:]).parent.glob("*.db*"))
    for number in (LATITUDE, LONGITUDE):
        assert str(number) not in logged
        assert str(number).encode() not in stored
    for call in bot_api.calls:
        assert str(LATITUDE) not in str(call.params)


async def test_words_under_a_photo_reach_rasa(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    await process(application, captioned_photo_update(CHAT, "this is the knife he had"))
    assert [text for _, text in rasa.received] == ["this is the knife he had"]
    texts = [c.params["text"] for c in bot_api.recorded("sendMessage")]
    assert texts == [CAPTION_NOTE, "Hello from Rasa"]
