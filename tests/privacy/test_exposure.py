"""Rasa's HTTP API is never exposed beyond this machine without a real token."""

from __future__ import annotations

import pytest

from bot.launcher import rasa_interface


def test_default_is_this_machine_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAYPOINT_RASA_INTERFACE", raising=False)
    monkeypatch.delenv("WAYPOINT_RASA_TOKEN", raising=False)
    assert rasa_interface() == "127.0.0.1"


@pytest.mark.parametrize("token", ["", "short-token"])
def test_exposed_without_a_real_token_is_refused(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setenv("WAYPOINT_RASA_INTERFACE", "0.0.0.0")
    monkeypatch.setenv("WAYPOINT_RASA_TOKEN", token)
    with pytest.raises(SystemExit, match="WAYPOINT_RASA_TOKEN"):
        rasa_interface()


def test_exposed_with_a_real_token_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAYPOINT_RASA_INTERFACE", "0.0.0.0")
    monkeypatch.setenv("WAYPOINT_RASA_TOKEN", "x" * 40)
    assert rasa_interface() == "0.0.0.0"
