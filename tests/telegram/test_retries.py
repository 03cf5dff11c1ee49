"""Telegram errors: 429 and 5xx are retried, and each reply arrives once and in order."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, NetworkError
from telegram.ext import Application

from bot.telegram.retry import RetryingLimiter, RetryPolicy
from tests.telegram.conftest import StubRasa, process
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.updates import text_update

CHAT = 737373
REPLIES = [
    {"text": "That sounds really frightening."},
    {"text": "Are you safe right now?"},
    {"text": "If you're in danger, call 999."},
]
TEXTS = [reply["text"] for reply in REPLIES]


def delivered(bot_api: FakeBotApi) -> list[str]:
    """Texts Telegram carried out (failed attempts are not in this list)."""
    return [message["text"] for message in bot_api.sent]


def attempted(bot_api: FakeBotApi) -> list[str]:
    return [call.params["text"] for call in bot_api.recorded("sendMessage")]


async def test_a_429_waits_retry_after_then_sends_once(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    rasa.replies = REPLIES
    bot_api.fail_next("sendMessage", 429, retry_after=1)
    await process(application, text_update("they're outside my house", CHAT))
    assert delivered(bot_api) == TEXTS
    assert attempted(bot_api) == [TEXTS[0], *TEXTS]


async def test_5xx_repeats_only_the_failed_message(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    rasa.replies = REPLIES
    bot_api.fail_next("sendMessage", 502, after=1)  # the second reply, twice
    bot_api.fail_next("sendMessage", 500)
    await process(application, text_update("they're outside my house", CHAT))
    assert delivered(bot_api) == TEXTS
    assert attempted(bot_api) == [TEXTS[0], TEXTS[1], TEXTS[1], TEXTS[1], TEXTS[2]]


async def test_errors_a_retry_cannot_fix_are_not_repeated(
    application: Application, rasa: StubRasa, bot_api: FakeBotApi
) -> None:
    bot_api.fail_next("sendMessage", 400)
    await process(application, text_update("hi", CHAT))
    assert attempted(bot_api) == ["Hello from Rasa"]
    assert delivered(bot_api) == []


@pytest.mark.parametrize(
    ("error", "tries"),
    [(BadRequest("Message text is empty"), 1), (NetworkError("Bad Gateway"), 3)],
)
async def test_the_limiter_stops_at_once_or_after_its_attempts(
    error: Exception, tries: int
) -> None:
    limiter = RetryingLimiter(RetryPolicy(attempts=3, backoff_s=0.0, max_backoff_s=0.0))
    calls: list[str] = []

    async def failing(endpoint: str, _data: dict[str, object]) -> bool:
        calls.append(endpoint)
        raise error

    with pytest.raises(type(error)):
        await limiter.process_request(failing, ("sendMessage", {}), {}, "sendMessage", {}, None)
    assert calls == ["sendMessage"] * tries
