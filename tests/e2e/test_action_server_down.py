"""With the action server stopped, the emergency answer still comes, and nothing is silent."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.launcher import Stack
from tests.conftest import start_stack
from tests.e2e.chat import escalations, joined, pseudonym, say
from tests.e2e.webchat_client import WebChatUser

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack_without_actions(
    model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("no-actions"), model, navigator=False)
    running.stop("actions")
    yield running
    running.stop()


def sender() -> str:
    return f"down-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("words", ["help", "999", "emergency", "urgent"])
def test_emergency_answer_without_the_action_server(
    stack_without_actions: Stack, words: str
) -> None:
    text = joined(say(stack_without_actions, sender(), words))
    assert "call 999" in text
    assert "press hard on the wound" in text


def test_immediate_risk_still_gets_the_emergency_answer_and_is_escalated(
    stack_without_actions: Stack,
) -> None:
    who = sender()
    text = joined(say(stack_without_actions, who, "my mate's been stabbed, he's bleeding"))
    assert "call 999" in text
    assert "press hard on the wound" in text
    assert "lost track" not in text  # the safety rule completes without the action server
    # The action could not run, so the bot does not claim that a youth worker is coming...
    assert "told a youth worker" not in text and "telling a youth worker" not in text
    # ...but the Rasa server stored the escalation itself, so a navigator still sees it.
    row = escalations(stack_without_actions).open_escalation_for(
        pseudonym(stack_without_actions, "rest", who)
    )
    assert row is not None and row.level == "immediate"
    assert "stabbed" in row.trigger_text


def test_a_later_emergency_gets_its_own_answer_without_the_action_server(
    stack_without_actions: Stack,
) -> None:
    """Each immediate message sets the ``danger`` slot itself (no action needed): a
    stabbing after a self-harm emergency must still get first aid, not the self-harm
    answer."""
    who = sender()
    first = joined(say(stack_without_actions, who, "ive taken a load of pills"))
    assert "Samaritans" in first and "press hard on the wound" not in first
    later = joined(say(stack_without_actions, who, "someone just got stabbed outside my house"))
    assert "press hard on the wound" in later
    assert "Your life matters" not in later


def test_greeting_without_the_action_server(stack_without_actions: Stack) -> None:
    text = joined(say(stack_without_actions, sender(), "hi"))
    assert "chatbot, not a person" in text


def test_asking_for_a_person_is_never_met_with_silence(stack_without_actions: Stack) -> None:
    replies = say(stack_without_actions, sender(), "/request_navigator")
    text = joined(replies)
    assert text.strip()
    assert "999" in text


def test_web_chat_disclosure_is_escalated_without_the_action_server(
    stack_without_actions: Stack,
) -> None:
    young_person = WebChatUser(stack_without_actions)
    try:
        # Carrying, with no danger now: high, so the reply is the high one.
        replies = young_person.say("i've been carrying a blade in my bag to school")
        assert "not in trouble" in " ".join(m["text"] for m in replies)
        row = escalations(stack_without_actions).open_escalation_for(
            pseudonym(stack_without_actions, "webchat", young_person.session)
        )
        assert row is not None and row.level in ("high", "immediate")
        assert row.channel == "webchat"
    finally:
        young_person.close()
