"""The bridge's handlers, with real PTB objects against the Bot API stand-in."""

from __future__ import annotations

from telegram.ext import Application

from bot.telegram.handlers import SORRY
from bot.telegram.media import PICTURE_REPLY, STICKER_REPLY
from bot.telegram.replies import MAX_CALLBACK_DATA, ButtonPayloads, keyboard, label
from tests.telegram.conftest import StubRasa, process, pseudonym
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.updates import callback_update, photo_update, sticker_update, text_update

CHAT = 424242


async def test_start_greets_through_rasa_and_sends_buttons_as_an_inline_keyboard(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    rasa.replies = [
        {"recipient_id": pseudonym(CHAT), "text": "Hi, I'm Waypoint."},
        {
            "recipient_id": pseudonym(CHAT),
            "text": "What's on your mind?",
            "buttons": [{"title": "I feel unsafe", "payload": "/topic_unsafe"}],
        },
    ]
    await process(application, text_update("/start", CHAT))
    assert rasa.received == [(pseudonym(CHAT), "hi")]
    sent = bot_api.recorded("sendMessage")
    assert [c.params["text"] for c in sent] == ["Hi, I'm Waypoint.", "What's on your mind?"]
    assert all(c.params["chat_id"] == CHAT for c in sent)
    assert "reply_markup" not in sent[0].params
    keys = sent[1].params["reply_markup"]["inline_keyboard"]
    assert keys == [[{"text": "I feel unsafe", "callback_data": "/topic_unsafe"}]]


async def test_help_asks_rasa_for_help_and_other_commands_reach_rasa_to_be_cleaned(
    application: Application, rasa: StubRasa
) -> None:
    await process(application, text_update("/help", CHAT))
    await process(application, text_update("/restart", CHAT), update_id=2)
    await process(application, text_update("they're waiting outside", CHAT), update_id=3)
    texts = [text for _, text in rasa.received]
    assert texts == ["help", "/restart", "they're waiting outside"]
    assert {sender for sender, _ in rasa.received} == {pseudonym(CHAT)}


async def test_the_raw_chat_id_never_reaches_rasa(
    application: Application, rasa: StubRasa
) -> None:
    await process(application, text_update("hi", CHAT))
    sender = rasa.received[0][0]
    assert str(CHAT) not in sender and sender.startswith("wp-")


async def test_stickers_and_photos_get_the_kind_reply_without_bothering_rasa(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    await process(application, sticker_update(CHAT))
    await process(application, photo_update(CHAT), update_id=2)
    assert rasa.received == []
    assert [c.params["text"] for c in bot_api.recorded("sendMessage")] == [
        STICKER_REPLY,
        PICTURE_REPLY,
    ]


async def test_a_button_press_sends_its_payload_and_shows_the_title_as_chosen(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    buttons = [
        {"text": "I'm safe right now", "callback_data": "/im_safe"},
        {"text": "Show me the menu", "callback_data": "/show_menu"},
    ]
    await process(application, callback_update("/im_safe", CHAT, "Call 999.", buttons))
    assert rasa.received == [(pseudonym(CHAT), "/im_safe")]
    assert len(bot_api.recorded("answerCallbackQuery")) == 1
    edited = bot_api.recorded("editMessageText")[0].params
    assert edited["text"] == "Call 999.\n\n➜ I'm safe right now"
    assert not edited.get("reply_markup")
    assert bot_api.recorded("sendMessage")[0].params["text"] == "Hello from Rasa"


async def test_long_payloads_fit_telegrams_64_bytes_and_round_trip() -> None:
    payloads = ButtonPayloads()
    long_payload = '/inform{"service": "' + "x" * 80 + '"}'
    markup = keyboard([{"title": "A service", "payload": long_payload}], payloads)
    assert markup is not None
    data = markup.inline_keyboard[0][0].callback_data
    assert isinstance(data, str) and len(data.encode()) <= MAX_CALLBACK_DATA
    assert payloads.payload_for(data) == long_payload
    assert payloads.payload_for("#unknown") is None


async def test_when_rasa_fails_the_young_person_still_gets_an_answer_with_999(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    rasa.fail = True
    await process(application, text_update("hello?", CHAT))
    assert bot_api.recorded("sendMessage")[0].params["text"] == SORRY
    assert "999" in SORRY


def test_navigator_messages_say_a_person_wrote_them() -> None:
    assert label({"text": "Hi, I'm Sam.", "author": "navigator", "navigator": "Sam"}) == (
        "Sam (youth worker): Hi, I'm Sam."
    )
    assert label({"text": "Hello", "author": "navigator"}) == "Youth worker: Hello"
    assert label({"text": "Hello", "author": "bot", "navigator": "Sam"}) == "Hello"
