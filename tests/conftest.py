"""Shared fixtures: the real Waypoint stack (Rasa server + action server + console)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.launcher import Stack, StackConfig, free_port
from bot.training import ensure_model


@pytest.fixture(scope="session")
def model() -> Path:
    """The trained model for the current data (trained once, cached by content hash)."""
    return ensure_model(quiet=True)


def start_stack(
    tmp: Path,
    model: Path,
    *,
    navigator: bool = True,
    secret: str | None = None,
    bot_api: Any | None = None,
) -> Stack:
    """Start the action server, Rasa server and (optionally) the console on free ports.

    With ``bot_api`` (a ``tests.telegram.fake_bot_api.FakeBotApi``), the Telegram bridge
    is started too, pointed at that Bot API stand-in.
    """
    extra_env = {"WAYPOINT_SECRET": secret or "test-secret-" + tmp.name}
    if bot_api is not None:
        extra_env["WAYPOINT_TELEGRAM_TOKEN"] = bot_api.token
        extra_env["WAYPOINT_TELEGRAM_API_URL"] = bot_api.base_url
    config = StackConfig(
        data_dir=tmp / "data",
        rasa_port=free_port(),
        actions_port=free_port(),
        navigator_port=free_port(),
        bridge_port=free_port(),
        log_dir=tmp / "logs",
        extra_env=extra_env,
    )
    stack = Stack(config)
    try:
        stack.start_actions()
        stack.start_rasa(model)
        if navigator:
            stack.start_navigator()
        if bot_api is not None:
            stack.start_telegram()
        stack.wait_ready()
    except BaseException:
        stack.stop()
        raise
    return stack


@pytest.fixture(scope="session")
def stack(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole system, started once for the test session, as `make run` starts it."""
    running = start_stack(tmp_path_factory.mktemp("stack"), model)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def telegram_api() -> Iterator[Any]:
    """The Bot API stand-in (tests/telegram/fake_bot_api.py) for one test module."""
    from tests.telegram.fake_bot_api import FakeBotApi

    api = FakeBotApi().start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def telegram_stack(
    model: Path,
    telegram_api: Any,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Stack]:
    """The whole stack with the Telegram bridge on the stand-in, for one test module.

    The module's ``SECRET`` is the server secret, so its tests can work out pseudonyms.
    """
    name = request.module.__name__.rsplit(".", 1)[-1]
    running = start_stack(
        tmp_path_factory.mktemp(name), model, secret=request.module.SECRET, bot_api=telegram_api
    )
    yield running
    running.stop()
