"""Risk over HTTP -> escalation row -> console takes over -> reply reaches the young person
-> hand back -> the bot answers again. Real Rasa, action server, console and web chat."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from bot.launcher import Stack
from bot.training import REPO
from tests.e2e.chat import escalations, pseudonym, tracker
from tests.e2e.webchat_client import WebChatUser

pytestmark = pytest.mark.e2e

CSRF_INPUT = re.compile(r'name="csrf" value="([^"]+)"')
PASSWORD = "correct horse battery staple"


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def add_navigator(stack: Stack, username: str, name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "navigator", "add", username, "--name", name,
         "--password-stdin"],
        input=PASSWORD + "\n", text=True, capture_output=True, cwd=REPO,
        env={**os.environ, **stack.config.env()}, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def console(stack: Stack) -> Iterator[httpx.Client]:
    """A navigator signed in to the real console, set online."""
    username = f"sam{time.monotonic_ns()}"
    add_navigator(stack, username, "Sam")
    client = httpx.Client(base_url=stack.navigator_url.rstrip("/"), timeout=30)
    page = client.get("/login")
    csrf = CSRF_INPUT.search(page.text).group(1)
    signed_in = client.post(
        "/login", data={"csrf": csrf, "username": username, "password": PASSWORD}
    )
    assert signed_in.status_code in (200, 303), signed_in.text
    home = client.get("/")
    assert home.status_code == 200
    client.headers["x-csrf-token"] = CSRF_INPUT.search(home.text).group(1)
    assert client.post("/status", data={"online": "1"}).status_code in (200, 303)
    yield client
    client.post("/status", data={"online": "0"})
    client.close()


def test_risk_escalates_and_a_navigator_takes_over_replies_and_hands_back(
    stack: Stack, console: httpx.Client
) -> None:
    young_person = WebChatUser(stack)
    try:
        young_person.say("hi")
        words = "I've got a knife in my bag, they said they're waiting for me after school"
        replies = texts(young_person.say(words))
        assert "youth worker" in replies

        conversation = pseudonym(stack, "webchat", young_person.session)
        store = escalations(stack)
        row = store.open_escalation_for(conversation)
        assert row is not None
        assert row.level in ("high", "immediate")
        assert "weapon_carrying" in row.categories
        assert words in row.trigger_text
        assert row.channel == "webchat"

        queue_page = console.get("/").text
        assert f"/escalations/{row.id}" in queue_page

        taken = console.post(f"/escalations/{row.id}/take-over")
        assert taken.status_code in (200, 303), taken.text
        joined = young_person.next_pushed()
        assert "Sam, a youth worker, has joined" in joined["text"]
        assert joined.get("author") == "navigator"
        assert tracker(stack, conversation)["paused"] is True

        # While a person has the chat, the bot stays quiet, and a typed /restart cannot
        # un-pause it.
        assert young_person.say("ok") == []
        assert young_person.say("/restart") == []
        assert tracker(stack, conversation)["paused"] is True
        # ...except that immediate danger still gets the emergency answer at once.
        urgent = texts(young_person.say("they've just stabbed my friend, he's bleeding"))
        assert "call 999" in urgent and "press hard on the wound" in urgent
        overdose = texts(young_person.say("i've just taken a load of pills"))
        assert "call 999" in overdose and "Samaritans" in overdose
        assert "press hard on the wound" not in overdose

        sent = console.post(
            f"/escalations/{row.id}/reply", data={"text": "Hi, I'm Sam. Are you safe now?"}
        )
        assert sent.status_code in (200, 303), sent.text
        reply = young_person.next_pushed()
        assert reply["text"] == "Hi, I'm Sam. Are you safe now?"
        assert reply.get("author") == "navigator" and reply.get("navigator") == "Sam"

        handed = console.post(f"/escalations/{row.id}/hand-back")
        assert handed.status_code in (200, 303), handed.text
        left = young_person.next_pushed()
        assert "has left the chat" in left["text"]
        assert tracker(stack, conversation)["paused"] is False

        again = texts(young_person.say("hello"))
        assert "chatbot, not a person" in again

        closed = console.post(
            f"/escalations/{row.id}/close", data={"outcome": "supported", "notes": "ok"}
        )
        assert closed.status_code in (200, 303), closed.text
        assert store.get(row.id).status == "closed"
    finally:
        young_person.close()
