"""Fixtures for the Telegram bridge: the Bot API stand-in and a PTB application on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.telegram.app import build_application
from bot.telegram.chat_ids import ChatIds
from bot.telegram.config import BridgeSettings
from bot.telegram.retry import RetryPolicy
from tests.telegram.fake_bot_api import FakeBotApi

SERVER_SECRET = b"telegram-tests-server-secret"
BRIDGE_SECRET = "telegram-tests-bridge-secret"
FAST_RETRIES = RetryPolicy(backoff_s=0.01, max_backoff_s=0.05)  # 429s still wait retry_after


class StubRasa:
    """Rasa's telegram channel as the handlers see it: records messages, returns replies."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.metadata: list[dict[str, Any] | None] = []
        self.replies: list[dict[str, Any]] = [{"text": "Hello from Rasa"}]
        self.fail = False

    async def send(
        self, pseudonym: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        self.received.append((pseudonym, text))
        self.metadata.append(metadata)
        if self.fail:
            raise RuntimeError("Rasa is down")
        return self.replies


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    """The Bot API stand-in on a free 127.0.0.1 port."""
    api = FakeBotApi().start()
    yield api
    api.stop()


@pytest.fixture
def settings(bot_api: FakeBotApi, tmp_path: Path) -> BridgeSettings:
    from bot.launcher import free_port

    return BridgeSettings(
        token=bot_api.token,
        api_url=bot_api.base_url,
        rasa_url="http://127.0.0.1:9",
        bridge_secret=BRIDGE_SECRET,
        server_secret=SERVER_SECRET,
        port=free_port(),
        db_url=f"sqlite:///{tmp_path / 'waypoint.db'}",
    )


@pytest.fixture
def rasa() -> StubRasa:
    return StubRasa()


@pytest.fixture
def chat_ids(settings: BridgeSettings) -> ChatIds:
    return ChatIds(settings.db_url, settings.server_secret)


@pytest.fixture
async def application(
    settings: BridgeSettings, rasa: StubRasa, chat_ids: ChatIds
) -> AsyncIterator[Application]:
    """The real PTB application with the real handlers, initialised against the stand-in."""
    app = build_application(settings, rasa=rasa, chat_ids=chat_ids, retry=FAST_RETRIES)
    await app.initialize()
    yield app
    await app.shutdown()


def pseudonym(chat_id: int) -> str:
    """The pseudonym Rasa knows a test chat by."""
    from bot.channels.pseudonym import pseudonymise

    return pseudonymise("telegram", str(chat_id), secret=SERVER_SECRET)


async def process(app: Application, data: dict[str, Any], update_id: int = 1) -> None:
    """Push one Bot API update dict through the application's handlers."""
    await app.process_update(Update.de_json({"update_id": update_id, **data}, app.bot))
