"""A check-in end to end on Telegram: offered after a hard conversation, stored on yes,
delivered the next day through the real bridge, cancelled on request.

Real Rasa, action server and bridge processes; the Bot API stand-in in place of Telegram.
The sender's loop runs every minute in production; here ``send_due`` is called once with
"tomorrow" as now.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from bot.channels.pseudonym import pseudonymise
from bot.checkins.sender import send_due
from bot.checkins.store import CheckinStore
from bot.launcher import Stack
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.updates import text_update

pytestmark = pytest.mark.e2e

SECRET = "checkin-e2e-server-secret"
YES_CHAT, CANCEL_CHAT = 8200000001, 8200000002


@pytest.fixture(scope="module")
def bot_api(telegram_api: FakeBotApi) -> FakeBotApi:
    return telegram_api


def store_of(stack: Stack) -> CheckinStore:
    url = stack.config.env().get("WAYPOINT_DB_URL")
    return CheckinStore(url or f"sqlite:///{stack.config.data_dir / 'waypoint.db'}")


def said_to(bot_api: FakeBotApi, chat: int, words: str) -> None:
    bot_api.wait_for(
        "sendMessage", lambda c: c.params.get("chat_id") == chat and words in c.params["text"]
    )


def talk_until_offered(bot_api: FakeBotApi, chat: int) -> None:
    bot_api.push(text_update("i need someone to talk to about my mate who died", chat))
    said_to(bot_api, chat, "Talking to someone can help")
    said_to(bot_api, chat, "Would it help if I checked in with you tomorrow")


def test_yes_stores_a_check_in_that_arrives_tomorrow(
    telegram_stack: Stack, bot_api: FakeBotApi
) -> None:
    talk_until_offered(bot_api, YES_CHAT)
    bot_api.push(text_update("yes please", YES_CHAT))
    said_to(bot_api, YES_CHAT, "I'll send you a message here tomorrow")
    store = store_of(telegram_stack)
    row = store.pending(pseudonymise("telegram", str(YES_CHAT), secret=SECRET.encode()))
    assert row is not None and row.channel == "telegram"
    assert store.due(row.due_at - timedelta(minutes=1)) == []

    async def deliver() -> int:
        async with httpx.AsyncClient(timeout=10) as client:
            return await send_due(
                store,
                client,
                callback_url=f"http://127.0.0.1:{telegram_stack.config.bridge_port}/rasa",
                secret=telegram_stack.config.bridge_secret,
                now=row.due_at,
            )

    assert asyncio.run(deliver()) == 1
    said_to(bot_api, YES_CHAT, "You said I could check in today")
    assert store.pending(row.conversation_id) is None


def test_offered_once_and_cancelled_on_request(telegram_stack: Stack, bot_api: FakeBotApi) -> None:
    talk_until_offered(bot_api, CANCEL_CHAT)
    bot_api.push(text_update("yes", CANCEL_CHAT))
    said_to(bot_api, CANCEL_CHAT, "I'll send you a message here tomorrow")
    bot_api.push(text_update("how do i stop carrying", CANCEL_CHAT))
    said_to(bot_api, CANCEL_CHAT, "Wanting to stop is a big step")
    bot_api.push(text_update("cancel check in", CANCEL_CHAT))
    said_to(bot_api, CANCEL_CHAT, "I've cancelled the check-in")
    offers = [
        c
        for c in bot_api.recorded("sendMessage")
        if c.params.get("chat_id") == CANCEL_CHAT and "checked in with you" in c.params["text"]
    ]
    assert len(offers) == 1
    pseudonym = pseudonymise("telegram", str(CANCEL_CHAT), secret=SECRET.encode())
    assert store_of(telegram_stack).pending(pseudonym) is None
