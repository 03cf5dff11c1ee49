"""Structured logs (bot/logs.py): events and fields, never an exception's message."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from bot.logs import JsonFormatter


def record(message: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("they said they'd stab me")  # an error quoting a message
        except ValueError:
            exc_info = sys.exc_info()
    return logging.LogRecord("bot.test", logging.INFO, __file__, 1, message, args, exc_info)


def test_waypoint_events_become_fields() -> None:
    line = JsonFormatter().format(record("navigator.escalation.created id=%s level=%s", 3, "high"))
    entry = json.loads(line)
    assert entry["event"] == "navigator.escalation.created"
    assert (entry["id"], entry["level_"], entry["level"]) == ("3", "high", "INFO")
    assert entry["logger"] == "bot.test" and entry["time"].endswith("+00:00")


def test_free_text_from_libraries_is_kept_as_the_event() -> None:
    entry = json.loads(JsonFormatter().format(record("Starting Rasa server on %s", "x")))
    assert entry["event"] == "Starting Rasa server on x"


def test_a_traceback_keeps_the_type_and_frames_but_not_the_message() -> None:
    line = JsonFormatter().format(record("webchat.message.failed", exc=True))
    entry = json.loads(line)
    assert entry["error"] == "ValueError"
    assert entry["frames"] and "test_logs.py" in entry["frames"][0]
    assert "stab" not in line


def test_install_replaces_handlers_and_honours_the_text_format(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.logs import install

    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        install(logging.INFO)
        assert len(root.handlers) == 1
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
        monkeypatch.setenv("WAYPOINT_LOG_FORMAT", "text")
        install(None)  # type: ignore[arg-type]  # rasa_sdk passes None for "default"
        assert not isinstance(root.handlers[0].formatter, JsonFormatter)
        assert root.level == logging.INFO
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
