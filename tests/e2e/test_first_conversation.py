"""The first real conversation, over HTTP to the real Rasa and action servers."""

from __future__ import annotations

import sqlite3
import uuid

import httpx
import pytest

from bot.launcher import Stack
from tests.e2e.chat import button_titles, joined, pseudonym, say, tracker

pytestmark = pytest.mark.e2e

MENU = [
    "I feel unsafe",
    "I lost someone",
    "Knives",
    "Being used or pressured",
    "Find help near me",
    "Something else",
    "I'm a parent or carer",
    "I'm a youth worker",
]


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def test_greeting_says_what_waypoint_is_and_is_not_then_offers_the_menu(stack: Stack) -> None:
    replies = say(stack, new_sender(), "hi")
    text = joined(replies)
    assert "chatbot, not a person" in text
    assert "not the police" in text and "not an emergency service" in text
    assert "999" in text
    assert "don't need to give your name" in text
    assert "deleted after 30 days" in text
    assert "life is in danger" in text and "tell you first" in text
    assert button_titles(replies) == MENU


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("/topic_unsafe", "Are you safe right now?"),
        ("/topic_grief", "no right way to feel"),
        ("/topic_knives", "not in trouble for asking"),
        ("/topic_other", "in your own words"),
        ("/role_parent", "0808 800 5000"),
        ("/role_youth_worker", "navigator (a trained youth worker)"),
    ],
)
def test_every_menu_button_leads_somewhere(stack: Stack, payload: str, expected: str) -> None:
    sender = new_sender()
    say(stack, sender, "hello")
    assert expected in joined(say(stack, sender, payload))


@pytest.mark.parametrize("words", ["help", "999", "emergency", "urgent", "HELP!!"])
def test_emergency_answer_from_the_first_message(stack: Stack, words: str) -> None:
    text = joined(say(stack, new_sender(), words))
    assert "call 999" in text
    assert "press hard on the wound" in text


def test_emergency_answer_in_the_middle_of_a_topic(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "hey")
    say(stack, sender, "/topic_grief")
    text = joined(say(stack, sender, "help"))
    assert "call 999" in text and "get somewhere safe" in text


def test_privacy_in_plain_words(stack: Stack) -> None:
    text = joined(say(stack, new_sender(), "is this confidential?"))
    assert "deleted after 30 days" in text
    assert "random code" in text
    assert "tell you first" in text


def test_honest_about_being_a_bot(stack: Stack) -> None:
    replies = say(stack, new_sender(), "are you a real person?")
    assert "chatbot, not a person" in joined(replies)
    assert "Talk to a youth worker" in button_titles(replies)


@pytest.mark.parametrize(
    "words", ["purple monkey dishwasher", "what's the capital of france", "zxqv blorp"]
)
def test_out_of_scope_is_kind_and_offers_the_menu_and_999(stack: Stack, words: str) -> None:
    replies = say(stack, new_sender(), words)
    assert "999" in joined(replies)
    assert {"I feel unsafe", "Knives"} <= set(button_titles(replies)) or (
        "Show me the menu" in button_titles(replies)
    )


def test_goodbye(stack: Stack) -> None:
    text = joined(say(stack, new_sender(), "bye"))
    assert "come back any time" in text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "a" * 10_000,
        "I don't know what to say " * 400,
        "😀😀😀",
        "🙏",
        "Hola, necesito ayuda por favor",
        "أنا خائف",
        "<script>alert('x')</script>",
        "<b>hello</b> <img src=x onerror=alert(1)>",
        "/restart",
        '/greet{"name": "x"}',
    ],
)
def test_bad_input_gets_a_kind_reply(stack: Stack, text: str) -> None:
    replies = say(stack, new_sender(), text)
    assert replies, "silence"
    assert all((reply.get("text") or "").strip() for reply in replies)


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"message": "hi"}', b'{"sender": "x", "message": 5}'],
)
def test_malformed_requests_get_a_clear_error(stack: Stack, body: bytes) -> None:
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
    assert response.json()["error"]


def test_typed_restart_is_not_a_command(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "hi")
    say(stack, sender, "/restart")
    conversation = pseudonym(stack, "rest", sender)
    events = tracker(stack, conversation)["events"]
    assert not [e for e in events if e["event"] == "restart"]


def test_only_pseudonyms_reach_the_tracker_store(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "hi")
    conversation = pseudonym(stack, "rest", sender)
    assert conversation != sender and conversation.startswith("wp-")
    assert any(e["event"] == "user" for e in tracker(stack, conversation)["events"])
    database = stack.config.data_dir / "conversations.db"
    with sqlite3.connect(database) as connection:
        ids = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
    assert conversation in ids
    assert sender not in ids
    assert all(conversation_id.startswith("wp-") for conversation_id in ids)


def test_no_message_text_in_the_logs(stack: Stack) -> None:
    marker = f"marmalade-{uuid.uuid4().hex[:8]}"
    say(stack, new_sender(), f"my secret words are {marker}")
    for name in ("rasa", "actions", "navigator"):
        log = stack.config.log_dir / f"{name}.log"
        if log.exists():
            assert marker not in log.read_text(errors="replace"), name
