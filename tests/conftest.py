"""Shared fixtures: the real Waypoint stack (Rasa server + action server + console)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.launcher import Stack, StackConfig, free_port
from bot.training import ensure_model


@pytest.fixture(scope="session")
def model() -> Path:
    """The trained model for the current data (trained once, cached by content hash)."""
    return ensure_model(quiet=True)


def start_stack(tmp: Path, model: Path, *, navigator: bool = True) -> Stack:
    """Start the action server, Rasa server and (optionally) the console on free ports."""
    config = StackConfig(
        data_dir=tmp / "data",
        rasa_port=free_port(),
        actions_port=free_port(),
        navigator_port=free_port(),
        log_dir=tmp / "logs",
        extra_env={"WAYPOINT_SECRET": "test-secret-" + tmp.name},
    )
    stack = Stack(config)
    stack.start_actions()
    stack.start_rasa(model)
    if navigator:
        stack.start_navigator()
    try:
        stack.wait_ready()
    except Exception:
        stack.stop()
        raise
    return stack


@pytest.fixture(scope="session")
def stack(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole system, started once for the test session, as `make run` starts it."""
    running = start_stack(tmp_path_factory.mktemp("stack"), model)
    yield running
    running.stop()
