"""Telegram end to end: the real Rasa and action servers, the real bridge process, and the
Bot API stand-in in place of Telegram."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from bot.channels.pseudonym import pseudonymise
from bot.launcher import Stack
from bot.telegram.handlers import STOPPED
from bot.telegram.media import STICKER_REPLY
from bot.telegram.rasa_client import SECRET_HEADER
from bot.venues.counting import london_day
from bot.venues.store import VenueStore
from tests.e2e.chat import escalations, tracker
from tests.telegram.fake_bot_api import Call, FakeBotApi
from tests.telegram.updates import callback_update, sticker_update, text_update

pytestmark = pytest.mark.e2e

SECRET = "telegram-e2e-server-secret"
CHATS = {
    "hi": 8100000001,
    "button": 8100000002,
    "sticker": 8100000003,
    "risk": 8100000004,
    "navigator": 8100000005,
    "slash": 8100000006,
    "storage": 8100000007,
    "poster": 8100000008,
    "privacy": 8100000009,
    "flood": 8100000010,
    "stop": 8100000011,
    "stop_console": 8100000012,
}


@pytest.fixture(scope="module")
def bot_api(telegram_api: FakeBotApi) -> FakeBotApi:
    return telegram_api


def pseudonym(chat_id: int) -> str:
    return pseudonymise("telegram", str(chat_id), secret=SECRET.encode())


def to_chat(chat_id: int, words: str) -> Callable[[Call], bool]:
    return lambda call: call.params.get("chat_id") == chat_id and words in call.params["text"]


def any_to(chat_id: int) -> Callable[[Call], bool]:
    return lambda call: call.params.get("chat_id") == chat_id


def sent_to(bot_api: FakeBotApi, chat_id: int) -> list[Call]:
    return [c for c in bot_api.recorded("sendMessage") if c.params.get("chat_id") == chat_id]


def test_hi_gets_the_welcome_and_the_menu_as_an_inline_keyboard(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    chat = CHATS["hi"]
    bot_api.push(text_update("hi", chat))
    bot_api.wait_for("sendMessage", to_chat(chat, "chatbot, not a person"))
    menu = bot_api.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == chat and c.params.get("reply_markup")
    )
    rows = menu.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in rows][:3] == ["I feel unsafe", "I lost someone", "Knives"]
    assert rows[2][0]["callback_data"] == "/topic_knives"


def test_a_pressed_button_gets_the_right_reply(telegram_stack: Stack, bot_api: FakeBotApi) -> None:
    chat = CHATS["button"]
    bot_api.push(text_update("/start", chat))
    bot_api.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == chat and c.params.get("reply_markup")
    )
    buttons = [{"text": "Knives", "callback_data": "/topic_knives"}]
    bot_api.push(callback_update("/topic_knives", chat, "What's on your mind?", buttons))
    bot_api.wait_for("sendMessage", to_chat(chat, "not in trouble for asking"))
    edited = bot_api.wait_for("editMessageText", any_to(chat))
    assert edited.params["text"].endswith("➜ Knives")


def test_a_sticker_gets_the_kind_reply(telegram_stack: Stack, bot_api: FakeBotApi) -> None:
    bot_api.push(sticker_update(CHATS["sticker"]))
    call = bot_api.wait_for("sendMessage", to_chat(CHATS["sticker"], "read stickers"))
    assert call.params["text"] == STICKER_REPLY


def test_danger_gets_the_emergency_answer(telegram_stack: Stack, bot_api: FakeBotApi) -> None:
    chat = CHATS["risk"]
    bot_api.push(text_update("my mate's been stabbed and he's bleeding", chat))
    bot_api.wait_for("sendMessage", to_chat(chat, "call 999"))
    bot_api.wait_for("sendMessage", to_chat(chat, "press hard on the wound"))


def test_typed_commands_are_defused_before_rasa(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    chat = CHATS["slash"]
    bot_api.push(text_update("/restart", chat))
    bot_api.wait_for("sendMessage", any_to(chat))
    latest = tracker(telegram_stack, pseudonym(chat))["latest_message"]
    assert latest["text"] == "restart"


def test_a_navigator_message_reaches_the_chat_labelled_with_their_name(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    chat = CHATS["navigator"]
    bot_api.push(text_update("hi", chat))
    bot_api.wait_for("sendMessage", any_to(chat))
    posted = httpx.post(
        f"{telegram_stack.rasa_url}/conversations/{pseudonym(chat)}/tracker/events",
        params={
            "execute_side_effects": "true",
            "output_channel": "latest",
            "token": telegram_stack.token,
        },
        json={
            "event": "bot",
            "text": "Hi, I'm Sam. Are you safe now?",
            "metadata": {"author": "navigator", "navigator": "Sam"},
        },
        timeout=30,
    )
    assert posted.status_code == 200, posted.text
    call = bot_api.wait_for("sendMessage", to_chat(chat, "Are you safe now?"), timeout=30)
    assert call.params["text"] == "Sam (youth worker): Hi, I'm Sam. Are you safe now?"


def test_rasas_telegram_webhook_needs_the_secret_and_a_pseudonym(telegram_stack: Stack) -> None:
    url = f"{telegram_stack.rasa_url}/webhooks/telegram/webhook"
    body = {"sender": pseudonym(1), "message": "hi"}
    assert httpx.post(url, json=body, timeout=30).status_code == 403
    wrong = {SECRET_HEADER: "x" * 40}
    assert httpx.post(url, json=body, headers=wrong, timeout=30).status_code == 403
    right = {SECRET_HEADER: telegram_stack.config.bridge_secret}
    raw = httpx.post(url, json={"sender": "12345", "message": "hi"}, headers=right, timeout=30)
    assert raw.status_code == 400


def test_raw_chat_ids_and_words_stay_out_of_storage_and_logs(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    chat = CHATS["storage"]
    bot_api.push(text_update("they said they'd stab me after school", chat))
    bot_api.wait_for("sendMessage", any_to(chat))
    data = telegram_stack.config.data_dir
    stored = b"".join(p.read_bytes() for p in data.glob("conversations.db*"))
    assert pseudonym(chat).encode() in stored
    bridge_db = b"".join(p.read_bytes() for p in data.glob("waypoint.db*"))
    logs = telegram_stack.config.log_dir
    bridge_log = (logs / "telegram.log").read_bytes()
    rasa_log = (logs / "rasa.log").read_bytes()
    for raw in (str(chat_id).encode() for chat_id in CHATS.values()):
        assert raw not in stored
        assert raw not in bridge_db
        assert raw not in bridge_log
        assert raw not in rasa_log
    assert b"stab" not in bridge_log
    assert bot_api.token.encode() not in bridge_log


def test_a_poster_deep_link_brings_its_venue_into_counts_and_escalations(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    chat = CHATS["poster"]
    venues = VenueStore(f"sqlite:///{telegram_stack.config.data_dir / 'waypoint.db'}")
    venue = venues.add("Yiewsley youth centre", "hillingdon").code
    bot_api.push(text_update(f"/start {venue}", chat))
    bot_api.wait_for("sendMessage", to_chat(chat, "chatbot, not a person"))
    earlier = {id(call) for call in sent_to(bot_api, chat)}
    bot_api.push(text_update("there's a group waiting for me with a knife", chat))
    bot_api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == chat
                     and id(c) not in earlier)  # fmt: skip
    events = tracker(telegram_stack, pseudonym(chat))["events"]
    said = [event for event in events if event["event"] == "user"]
    assert [e["metadata"].get("venue") for e in said] == [venue, venue]
    # The real stack keeps /start's flag, so the console shows the greeting as not typed.
    assert [e["metadata"].get("opened") for e in said] == [True, None]
    today = london_day(said[0]["timestamp"])
    assert venues.daily_counts() == [(venue, today, 1)]  # one conversation, counted once
    row = escalations(telegram_stack).open_escalation_for(pseudonym(chat))
    assert row is not None and row.venue == venue


def test_privacy_command_gets_the_privacy_answer(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    chat = CHATS["privacy"]
    bot_api.push(text_update("/privacy", chat))
    call = bot_api.wait_for("sendMessage", to_chat(chat, "what happens to what you type"))
    assert "/forget" in call.params["text"]


def test_a_429_from_telegram_delays_the_reply_but_it_arrives_once(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    chat = CHATS["flood"]
    bot_api.fail_next("sendMessage", 429, retry_after=1)
    bot_api.push(text_update("hi", chat))
    bot_api.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == chat and c.params.get("reply_markup")
    )  # the menu, the greeting's last part
    texts = [m["text"] for m in bot_api.sent if m["chat"]["id"] == chat]
    assert len(texts) == len(set(texts)) >= 2
    assert any("chatbot, not a person" in text for text in texts)


def say_hi_then_stop(bot_api: FakeBotApi, chat: int) -> None:
    """Start a chat, then send /stop and wait for the bot to confirm it."""
    bot_api.push(text_update("hi", chat))
    bot_api.wait_for("sendMessage", any_to(chat))
    bot_api.push(text_update("/stop", chat))
    bot_api.wait_for("sendMessage", to_chat(chat, STOPPED[1][:40]))


def test_stop_holds_a_navigators_message_back_until_they_write_again(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    chat = CHATS["stop"]
    say_hi_then_stop(bot_api, chat)
    url = f"http://127.0.0.1:{telegram_stack.config.bridge_port}/rasa"
    headers = {SECRET_HEADER: telegram_stack.config.bridge_secret}
    body = {"recipient_id": pseudonym(chat), "text": "Hi, it's Sam again.", "author": "navigator"}
    assert httpx.post(url, json=body, headers=headers, timeout=30).status_code == 410
    earlier = {id(call) for call in sent_to(bot_api, chat)}
    bot_api.push(text_update("hello again", chat))
    bot_api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == chat
                     and id(c) not in earlier)  # fmt: skip
    assert httpx.post(url, json=body, headers=headers, timeout=30).status_code == 200
    assert [m["text"] for m in bot_api.sent if m["chat"]["id"] == chat].count(
        "Youth worker: Hi, it's Sam again."
    ) == 1


def test_the_console_is_told_when_stop_holds_a_reply_back(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    import asyncio

    from bot.navigator.rasa_client import NotDeliveredError, RasaClient

    chat = CHATS["stop_console"]
    say_hi_then_stop(bot_api, chat)

    async def navigator_turns() -> None:
        client = RasaClient(telegram_stack.rasa_url, telegram_stack.token)
        try:
            await client.take_over(pseudonym(chat), "Sam")  # announcements still work
            with pytest.raises(NotDeliveredError):
                await client.reply(pseudonym(chat), "Sam", "Hi, it's Sam. Are you ok?")
            await client.hand_back(pseudonym(chat), "Sam")
        finally:
            await client.aclose()

    asyncio.run(navigator_turns())
    said = [e.get("text") for e in tracker(telegram_stack, pseudonym(chat))["events"]]
    assert "Hi, it's Sam. Are you ok?" not in said  # not saved as if it had been sent
    assert not any("Are you ok?" in m["text"] for m in bot_api.sent if m["chat"]["id"] == chat)
