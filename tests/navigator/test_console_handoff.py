"""Take over, reply, hand back, close, and the live feeds, as a navigator uses them."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.navigator.messages import JOINED, LEFT
from bot.navigator.store import EscalationStore
from tests.navigator.fake_rasa import TOKEN
from tests.navigator.harness import CONVERSATION, Console, escalate, event_stream, signed_in

pytestmark = pytest.mark.asyncio

SIDE_EFFECTS = {"execute_side_effects": "true", "output_channel": "latest", "token": TOKEN}


def assert_side_effects(query: dict[str, str]) -> None:
    for key, value in SIDE_EFFECTS.items():
        assert query.get(key) == value, key


async def test_queue_stream_delivers_a_new_escalation(console: Console, tmp_path: Path) -> None:
    action_server = EscalationStore(f"sqlite:///{tmp_path / 'console.db'}")  # another writer
    async with console.client() as client:
        await signed_in(client)
        async with event_stream(console, client, "/events/queue") as stream:
            assert stream.status == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert stream.headers["cache-control"] == "no-store"
            first = await stream.next("queue")
            assert first["count"] == 0
            started = time.monotonic()
            await asyncio.to_thread(
                action_server.create_escalation,
                conversation_id="wp-new",
                channel="web",
                level="immediate",
                categories=["weapon"],
                trigger_text="he has a knife <b>now</b>",
            )
            event = await stream.next("queue")
            assert time.monotonic() - started < 2
    action_server.dispose()
    assert event["count"] == 1 and event["immediate"] == 1
    assert "Immediate danger" in event["html"] and "level-immediate" in event["html"]
    assert "he has a knife &lt;b&gt;now&lt;/b&gt;" in event["html"]
    assert "weapon" in event["html"] and "web" in event["html"]


async def test_take_over_reply_hand_back_close(console: Console) -> None:
    escalation_id = escalate(console)
    console.rasa.add_user(
        CONVERSATION,
        "he has a knife <script>alert(1)</script>",
        risk={"level": "immediate", "categories": ["weapon"], "evidence": []},
    )
    async with console.client() as client:
        csrf = await signed_in(client)
        page = await client.get(f"/escalations/{escalation_id}")
        assert page.headers["cache-control"] == "no-store"
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<script>alert" not in page.text
        assert "risk: immediate (weapon)" in page.text

        base = f"/escalations/{escalation_id}"
        response = await client.post(f"{base}/take-over", data={"csrf": csrf})
        assert response.status_code == 303 and response.headers["location"] == base
        [take_over] = console.rasa.posts("/tracker/events")
        assert take_over.path == f"/conversations/{CONVERSATION}/tracker/events"
        assert_side_effects(take_over.query)
        assert take_over.body == [
            {"event": "pause"},
            {
                "event": "bot",
                "text": JOINED.format(name="Sam"),
                "metadata": {"author": "navigator", "navigator": "Sam", "handoff": "joined"},
            },
        ]
        assert take_over.body[1]["text"] == (
            "Sam, a youth worker, has joined the chat. You're talking to a real person now."
        )
        assert console.store.handoff_active(CONVERSATION)
        assert console.rasa.tracker(CONVERSATION).paused

        await client.post(f"{base}/reply", data={"csrf": csrf, "text": "  "})
        assert len(console.rasa.posts("/tracker/events")) == 1  # nothing sent
        await client.post(f"{base}/reply", data={"csrf": csrf, "text": "I'm here. Are you safe?"})
        reply = console.rasa.posts("/tracker/events")[-1]
        assert_side_effects(reply.query)
        assert reply.body == [
            {
                "event": "bot",
                "text": "I'm here. Are you safe?",
                "metadata": {"author": "navigator", "navigator": "Sam"},
            }
        ]
        page = await client.get(base)
        assert "(navigator, a person)" in page.text and "I&#x27;m here. Are you safe?" in page.text

        await client.post(f"{base}/hand-back", data={"csrf": csrf})
        hand_back = console.rasa.posts("/tracker/events")[-1]
        assert_side_effects(hand_back.query)
        assert hand_back.body == [
            {
                "event": "bot",
                "text": LEFT.format(name="Sam"),
                "metadata": {"author": "navigator", "navigator": "Sam", "handoff": "left"},
            },
            {"event": "resume"},
        ]
        assert not console.store.handoff_active(CONVERSATION)
        assert not console.rasa.tracker(CONVERSATION).paused

        bad = await client.post(f"{base}/close", data={"csrf": csrf, "outcome": "made-up"})
        assert bad.headers["location"] == f"{base}?e=outcome"
        await client.post(
            f"{base}/close", data={"csrf": csrf, "outcome": "signposted", "notes": "gave Fearless"}
        )
    row = console.store.get(escalation_id)
    assert row is not None
    assert (row.status, row.outcome, row.notes) == ("closed", "signposted", "gave Fearless")
    assert len(console.rasa.posts("/tracker/events")) == 3  # closing after hand-back sends nothing
    events = [e.event for e in console.store.history(escalation_id)]
    assert events == ["created", "claimed", "replied", "handed_back", "closed"]


async def test_close_while_taken_over_hands_back_first(console: Console) -> None:
    escalation_id = escalate(console)
    async with console.client() as client:
        csrf = await signed_in(client)
        base = f"/escalations/{escalation_id}"
        await client.post(f"{base}/take-over", data={"csrf": csrf})
        await client.post(f"{base}/close", data={"csrf": csrf, "outcome": "supported"})
    last = console.rasa.posts("/tracker/events")[-1]
    assert last.body[-1] == {"event": "resume"} and "has left the chat" in last.body[0]["text"]
    assert not console.store.handoff_active(CONVERSATION)
    row = console.store.get(escalation_id)
    assert row is not None and row.status == "closed"


async def test_take_over_rolls_back_when_rasa_fails(console: Console) -> None:
    escalation_id = escalate(console)
    console.rasa.fail_posts = 1
    async with console.client() as client:
        csrf = await signed_in(client)
        base = f"/escalations/{escalation_id}"
        response = await client.post(f"{base}/take-over", data={"csrf": csrf})
        assert response.headers["location"] == f"{base}?e=rasa"
        assert (
            "Couldn&#x27;t reach the bot server"
            in (await client.get(response.headers["location"])).text
        )
    row = console.store.get(escalation_id)
    assert row is not None and (row.status, row.handoff_active) == ("waiting", False)


async def test_a_reply_the_channel_refused_is_reported_not_recorded(console: Console) -> None:
    escalation_id = escalate(console)
    async with console.client() as client:
        csrf = await signed_in(client)
        base = f"/escalations/{escalation_id}"
        await client.post(f"{base}/take-over", data={"csrf": csrf})
        console.rasa.undeliverable = True  # the young person sent /stop on Telegram
        response = await client.post(f"{base}/reply", data={"csrf": csrf, "text": "hello?"})
        assert response.headers["location"] == f"{base}?e=not_delivered"
        page = (await client.get(response.headers["location"])).text
        assert "Not delivered" in page and "/stop" in page
    history = [event.event for event in console.store.history(escalation_id)]
    assert "replied" not in history


async def test_slow_rasa_that_applied_the_events_is_followed(console: Console) -> None:
    """An error after Rasa already paused/resumed must not undo the store's record."""
    escalation_id = escalate(console)
    base = f"/escalations/{escalation_id}"
    async with console.client() as client:
        csrf = await signed_in(client)
        console.rasa.fail_after_apply = 1
        response = await client.post(f"{base}/take-over", data={"csrf": csrf})
        assert response.headers["location"] == base
        assert console.store.handoff_active(CONVERSATION)
        console.rasa.fail_after_apply = 1
        response = await client.post(f"{base}/hand-back", data={"csrf": csrf})
        assert response.headers["location"] == base
        assert not console.store.handoff_active(CONVERSATION)
        console.rasa.fail_posts = 1  # this time nothing reached Rasa
        await client.post(f"{base}/take-over", data={"csrf": csrf})
        await client.post(f"{base}/take-over", data={"csrf": csrf})
        console.rasa.fail_posts = 1
        response = await client.post(f"{base}/hand-back", data={"csrf": csrf})
        assert response.headers["location"] == f"{base}?e=rasa"
    assert console.store.handoff_active(CONVERSATION)  # still with Sam, as Rasa says


async def test_only_one_navigator_is_in_the_chat(console: Console) -> None:
    escalation_id = escalate(console)
    base = f"/escalations/{escalation_id}"
    async with console.client() as sam, console.client() as alex:
        sam_csrf, alex_csrf = await signed_in(sam), await signed_in(alex, "alex")
        await sam.post(f"{base}/take-over", data={"csrf": sam_csrf})
        taken = await alex.post(f"{base}/take-over", data={"csrf": alex_csrf})
        assert taken.headers["location"] == f"{base}?e=taken"
        mine = await alex.post(f"{base}/reply", data={"csrf": alex_csrf, "text": "hello"})
        assert mine.headers["location"] == f"{base}?e=not_yours"
        assert len(console.rasa.posts("/tracker/events")) == 1
        # Alex can still hand back for Sam (e.g. Sam's laptop died); it names Sam.
        await alex.post(f"{base}/hand-back", data={"csrf": alex_csrf})
    assert console.rasa.posts("/tracker/events")[-1].body[0]["text"].startswith("Sam has left")


async def test_transcript_stream_shows_new_messages(console: Console) -> None:
    escalation_id = escalate(console)
    async with console.client() as client:
        await signed_in(client)
        async with event_stream(console, client, f"/events/escalations/{escalation_id}") as stream:
            first = await stream.next("transcript")
            assert first["status"] == "waiting"
            console.rasa.add_user(
                CONVERSATION,
                "are you still there?",
                risk={"level": "high", "categories": ["threat"]},
            )
            event = await stream.next("transcript")
    assert "are you still there?" in event["html"] and "risk: high (threat)" in event["html"]
