"""Pseudonyms and the cleaning of typed text."""

from __future__ import annotations

from bot.channels.pseudonym import pseudonymise
from bot.channels.text import allowed_payloads, clean_user_text


def test_pseudonym_is_stable_keyed_and_per_channel() -> None:
    first = pseudonymise("telegram", "12345", secret=b"one")
    assert first == pseudonymise("telegram", "12345", secret=b"one")
    assert first != pseudonymise("telegram", "12345", secret=b"two")
    assert first != pseudonymise("webchat", "12345", secret=b"one")
    assert "12345" not in first
    assert first.startswith("wp-") and len(first) == 3 + 64


def test_pseudonym_uses_the_generated_secret_outside_the_repo(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("WAYPOINT_SECRET", raising=False)
    monkeypatch.setenv("WAYPOINT_DATA_DIR", str(tmp_path))
    first = pseudonymise("rest", "abc")
    assert (tmp_path / "server-secret").stat().st_mode & 0o077 == 0
    assert pseudonymise("rest", "abc") == first


def test_button_payloads_from_the_domain_pass_through() -> None:
    assert "/topic_knives" in allowed_payloads()
    assert "/request_navigator" in allowed_payloads()
    assert clean_user_text("/topic_knives") == "/topic_knives"


def test_typed_commands_and_intent_injection_are_defused() -> None:
    assert clean_user_text("/restart") == "restart"
    assert clean_user_text("//restart") == "restart"
    assert clean_user_text('/risk_immediate{"x": 1}') == 'risk_immediate{"x": 1}'
    assert clean_user_text("/session_start") == "session_start"
    assert clean_user_text("/ /restart") == "restart"
    assert clean_user_text("/topic_x", offered={"/topic_x"}) == "/topic_x"
    assert clean_user_text("  hello  ") == "hello"
    assert clean_user_text("") == ""
