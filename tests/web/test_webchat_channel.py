"""The web chat channel over real HTTP: page, webhook, event stream, out-of-band delivery."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from rasa.core.run import _create_single_channel

from bot.channels import webchat as webchat_module
from bot.channels import webchat_hub as hub_module
from bot.channels.webchat import WebChatInput, WebChatOutput, shape
from bot.channels.webchat_hub import Hub
from tests.web.conftest import LiveChat
from tests.web.fake_agent import SECRET_WORDS, WELCOME_BUTTONS


def new_session() -> str:
    return secrets.token_urlsafe(24)


class Stream:
    """Reads server-sent events from an open httpx response."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()

    async def block(self, timeout: float = 5.0) -> list[str]:
        """Return the lines of the next event block (up to a blank line)."""
        lines: list[str] = []
        while True:
            line = await asyncio.wait_for(self._lines.__anext__(), timeout)
            if line == "":
                if lines:
                    return lines
                continue
            lines.append(line)

    async def message(self, timeout: float = 5.0) -> tuple[str, dict[str, Any]]:
        """Return (event id, data) of the next event that carries data."""
        deadline = time.monotonic() + timeout
        while True:
            lines = await self.block(max(0.1, deadline - time.monotonic()))
            data = [line[5:].strip() for line in lines if line.startswith("data:")]
            ids = [line[3:].strip() for line in lines if line.startswith("id:")]
            if data:
                return (ids[0] if ids else ""), json.loads("\n".join(data))


@asynccontextmanager
async def open_stream(
    chat: LiveChat, session: str, headers: dict[str, str] | None = None
) -> AsyncIterator[Stream]:
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=30.0)) as client,
        client.stream(
            "GET", chat.events, params={"session": session}, headers=headers or {}
        ) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = Stream(response)
        assert any(line.startswith(": connected") for line in await stream.block())
        yield stream


async def post(chat: LiveChat, body: Any, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        if isinstance(body, bytes | str):
            return await client.post(chat.webhook, content=body, **kwargs)
        return await client.post(chat.webhook, json=body, **kwargs)


async def stream_count(chat: LiveChat, pid: str) -> int:
    async def count() -> int:
        conv = chat.channel.hub._conversations.get(pid)
        return len(conv.streams) if conv else 0

    return await chat.on_server(count())


# ---- registration and the page --------------------------------------------------------


def test_registered_by_module_path_with_optional_settings() -> None:
    channel = _create_single_channel("bot.channels.webchat.WebChatInput", {})
    assert isinstance(channel, WebChatInput)
    assert channel.name() == "webchat"
    assert channel.greeting == "hi"
    assert WebChatInput.from_credentials(None).greeting == "hi"
    assert WebChatInput.from_credentials({"greeting": "/greet"}).greeting == "/greet"
    output = channel.get_output_channel()
    assert isinstance(output, WebChatOutput)
    assert output.name() == "webchat"


async def test_page_and_static_files(webchat: LiveChat) -> None:
    async with httpx.AsyncClient(base_url=webchat.base, timeout=10) as client:
        page = await client.get("/webhooks/webchat/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-store"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "Leave this site quickly" in page.text
        assert 'href="tel:999"' in page.text

        moved = await client.get("/webhooks/webchat?v=hillingdon-yc1")
        assert moved.status_code == 302
        assert moved.headers["location"] == "webchat/?v=hillingdon-yc1"

        for name, kind in (("chat.js", "text/javascript"), ("chat.css", "text/css")):
            static = await client.get(f"/webhooks/webchat/static/{name}")
            assert static.status_code == 200
            assert static.headers["content-type"].startswith(kind)
            assert static.headers["cache-control"] == "no-cache"
            assert static.headers["x-content-type-options"] == "nosniff"

        for bad in (
            "index.html",
            "missing.js",
            "..%2Fchannels%2Fwebchat.py",
            "%2E%2E%2Fsettings.py",
            ".chat.js",
            "chat.js.map",
            "CHAT.JS",
        ):
            refused = await client.get(f"/webhooks/webchat/static/{bad}")
            assert refused.status_code == 404, bad
            assert "Traceback" not in refused.text
        nested = await client.get("/webhooks/webchat/static/../../channels/webchat.py")
        assert nested.status_code == 404
        assert "import" not in nested.text


# ---- the webhook --------------------------------------------------------------------------


async def test_pseudonym_is_stable_and_not_the_session(webchat: LiveChat) -> None:
    session, other = new_session(), new_session()
    assert (await post(webchat, {"session": session, "message": "hello"})).status_code == 200
    first = webchat.agent.last()
    assert (await post(webchat, {"session": session, "message": "again"})).status_code == 200
    second = webchat.agent.last()
    assert (await post(webchat, {"session": other, "message": "hello"})).status_code == 200
    third = webchat.agent.last()

    assert first.sender_id == second.sender_id == webchat.pid(session)
    assert first.sender_id.startswith("wp-")
    assert session not in first.sender_id
    assert third.sender_id != first.sender_id
    assert first.input_channel == "webchat"
    assert first.metadata is None


async def test_opening_sends_the_greeting_and_returns_buttons(webchat: LiveChat) -> None:
    reply = await post(webchat, {"session": new_session(), "start": True})
    assert reply.status_code == 200
    assert reply.headers["cache-control"] == "no-store"
    assert webchat.agent.last().text == "hi"
    assert webchat.agent.last().metadata == {"opened": True}  # not typed by the young person
    messages = reply.json()["messages"]
    assert [m["author"] for m in messages] == ["bot", "bot"]  # split on the blank line
    assert "not a person" in messages[0]["text"]
    assert messages[-1]["buttons"] == WELCOME_BUTTONS
    assert all(set(m) == {"author", "text", "buttons"} for m in messages)


@pytest.mark.parametrize(
    ("typed", "reaches_rasa"),
    [
        ("/restart", "restart"),
        ("//restart", "restart"),
        ("  /restart", "restart"),
        ("/ /restart", "restart"),
        ('/inform{"age": 15}', 'inform{"age": 15}'),
        ("/feel_unsafe", "feel_unsafe"),  # a payload, but never offered to this session
        ("I'm 15/16 and scared", "I'm 15/16 and scared"),
    ],
)
async def test_leading_slashes_are_stripped(
    webchat: LiveChat, typed: str, reaches_rasa: str
) -> None:
    reply = await post(webchat, {"session": new_session(), "message": typed})
    assert reply.status_code == 200
    assert webchat.agent.last().text == reaches_rasa


async def test_offered_button_payload_keeps_its_slash(webchat: LiveChat) -> None:
    session = new_session()
    await post(webchat, {"session": session, "start": True})
    reply = await post(webchat, {"session": session, "message": "/feel_unsafe"})
    assert webchat.agent.last().text == "/feel_unsafe"
    assert reply.json()["messages"][0]["text"] == "You chose /feel_unsafe."
    await post(webchat, {"session": session, "message": "/restart"})
    assert webchat.agent.last().text == "restart"


@pytest.mark.parametrize(
    ("venue", "metadata"),
    [
        ("hillingdon-yc1", {"venue": "hillingdon-yc1"}),
        ("Hillingdon-YC1", {"venue": "hillingdon-yc1"}),
        ("../etc", None),
        ("x" * 41, None),
        (12, None),
        ("", None),
    ],
)
async def test_venue_is_passed_as_metadata(
    webchat: LiveChat, venue: Any, metadata: dict[str, str] | None
) -> None:
    body = {"session": new_session(), "message": "hello", "venue": venue}
    assert (await post(webchat, body)).status_code == 200
    assert webchat.agent.last().metadata == metadata


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"this is not json", "not JSON"),
        (b"", "empty body"),
        (b"[1, 2]", "not an object"),
        ({"message": "hello"}, "missing session"),
        ({"session": "short", "message": "hello"}, "session too short"),
        ({"session": "a" * 65, "message": "hello"}, "session too long"),
        ({"session": "a" * 30 + "/../x", "message": "hello"}, "session not url-safe"),
        ({"session": 12345678901234567890123, "message": "hello"}, "session not a string"),
        ({"session": "a" * 30}, "missing message"),
        ({"session": "a" * 30, "message": 42}, "message a number"),
        ({"session": "a" * 30, "message": None}, "message null"),
        ({"session": "a" * 30, "message": ["hi"]}, "message a list"),
        ({"session": "a" * 30, "message": "x" * 20_001}, "message too long"),
    ],
)
async def test_bad_requests_get_a_plain_400(webchat: LiveChat, body: Any, why: str) -> None:
    before = len(webchat.agent.received)
    reply = await post(webchat, body)
    assert reply.status_code == 400, why
    assert reply.headers["content-type"].startswith("application/json")
    error = reply.json()["error"]
    assert isinstance(error, str)
    assert error
    assert "Traceback" not in reply.text
    assert len(webchat.agent.received) == before


async def test_longest_allowed_message_is_accepted(webchat: LiveChat) -> None:
    reply = await post(webchat, {"session": new_session(), "message": "x" * 20_000})
    assert reply.status_code == 200
    assert len(webchat.agent.last().text) == 20_000


async def test_html_is_passed_through_as_text(webchat: LiveChat) -> None:
    text = "<script>alert(1)</script> & <b>bold</b>"
    reply = await post(webchat, {"session": new_session(), "message": text})
    assert webchat.agent.last().text == text
    assert reply.json()["messages"][0]["text"] == f"You said: {text}"


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
async def test_empty_message_still_gets_a_reply(webchat: LiveChat, blank: str) -> None:
    reply = await post(webchat, {"session": new_session(), "message": blank})
    assert reply.status_code == 200
    assert webchat.agent.last().text == ""
    assert reply.json()["messages"][0]["text"]


async def test_no_reply_while_paused_is_an_empty_list(webchat: LiveChat) -> None:
    reply = await post(webchat, {"session": new_session(), "message": "nothing"})
    assert reply.status_code == 200
    assert reply.json() == {"messages": []}


async def test_silence_when_not_paused_gets_the_safety_net(webchat: LiveChat) -> None:
    reply = await post(webchat, {"session": new_session(), "message": "silence"})
    assert reply.status_code == 200
    [message] = reply.json()["messages"]
    assert "999" in message["text"] and message["author"] == "bot"


async def test_bot_failure_is_a_kind_503_without_details(
    webchat: LiveChat, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        reply = await post(webchat, {"session": new_session(), "message": "boom"})
    assert reply.status_code == 503
    assert reply.json()["error"].startswith("Sorry")
    assert SECRET_WORDS not in reply.text
    assert "Traceback" not in reply.text
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not [line for line in logged if "boom" in line or SECRET_WORDS in line]


async def test_message_text_is_never_logged_at_info(
    webchat: LiveChat, caplog: pytest.LogCaptureFixture
) -> None:
    session = new_session()
    with caplog.at_level(logging.DEBUG, logger="bot.channels.webchat"):
        await post(webchat, {"session": session, "message": "a very private sentence"})
    for record in caplog.records:
        assert "a very private sentence" not in record.getMessage()
        assert session not in record.getMessage()
        if record.name == "bot.channels.webchat":
            assert record.levelno < logging.INFO


async def test_navigator_reply_in_band_is_labelled(webchat: LiveChat) -> None:
    reply = await post(webchat, {"session": new_session(), "message": "navigator please"})
    (message,) = reply.json()["messages"]
    assert message == {
        "author": "navigator",
        "navigator": "Sam",
        "text": "Sam here.",
        "buttons": [],
    }


async def test_message_is_handled_even_if_the_page_goes_away(webchat: LiveChat) -> None:
    """A disclosure sent just before quick exit must still be processed."""
    session = new_session()
    with pytest.raises(httpx.ReadTimeout):
        async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, read=0.2)) as client:
            await client.post(webchat.webhook, json={"session": session, "message": "slow"})
    for _ in range(50):
        if "slow" in webchat.agent.finished:
            break
        await asyncio.sleep(0.1)
    assert "slow" in webchat.agent.finished
    async with open_stream(webchat, session) as stream:  # the reply waits in the buffer
        _, message = await stream.message()
    assert message["text"] == "Sorry I was slow."


# ---- out-of-band messages over server-sent events -------------------------------------------


async def test_output_channel_reaches_an_open_stream(webchat: LiveChat) -> None:
    session = new_session()
    pid = webchat.pid(session)
    async with open_stream(webchat, session) as stream:
        output = webchat.channel.get_output_channel()
        await webchat.on_server(
            output.send_response(
                pid,
                {
                    "text": "Hi, I'm Sam, a youth worker.",
                    "author": "navigator",
                    "navigator": "Sam",
                    "buttons": [{"title": "OK", "payload": "/affirm"}],
                },
            )
        )
        event_id, message = await stream.message()
    assert event_id.isdigit()
    assert message == {
        "author": "navigator",
        "navigator": "Sam",
        "text": "Hi, I'm Sam, a youth worker.",
        "buttons": [{"title": "OK", "payload": "/affirm"}],
    }
    await post(webchat, {"session": session, "message": "/affirm"})  # offered out of band
    assert webchat.agent.last().text == "/affirm"


async def test_send_text_message_reaches_the_stream_as_the_bot(webchat: LiveChat) -> None:
    session = new_session()
    async with open_stream(webchat, session) as stream:
        output = webchat.channel.get_output_channel()
        await webchat.on_server(output.send_text_message(webchat.pid(session), "Sam has left."))
        _, message = await stream.message()
    assert message == {"author": "bot", "text": "Sam has left.", "buttons": []}


async def test_rasa_tracker_events_api_delivers_a_labelled_navigator_message(
    webchat: LiveChat,
) -> None:
    """The navigator console's call, through Rasa's own /tracker/events handler."""
    session = new_session()
    pid = webchat.pid(session)
    await post(webchat, {"session": session, "message": "hello"})  # latest channel: webchat
    async with open_stream(webchat, session) as stream, httpx.AsyncClient() as client:
        sent = await client.post(
            f"{webchat.base}/conversations/{pid}/tracker/events",
            params={"execute_side_effects": "true", "output_channel": "latest"},
            json={
                "event": "bot",
                "text": "Hi, it's Sam. I'm a youth worker and I'm here now.",
                "metadata": {"author": "navigator", "navigator": "Sam"},
            },
        )
        assert sent.status_code == 200, sent.text
        _, message = await stream.message()
    assert message["author"] == "navigator"
    assert message["navigator"] == "Sam"
    assert message["text"] == "Hi, it's Sam. I'm a youth worker and I'm here now."


async def test_messages_sent_while_away_are_replayed_once(webchat: LiveChat) -> None:
    session = new_session()
    pid = webchat.pid(session)
    output = webchat.channel.get_output_channel()
    await webchat.on_server(output.send_text_message(pid, "first", author="navigator"))
    async with open_stream(webchat, session) as stream:
        first_id, first = await stream.message()
    assert first["text"] == "first"
    await webchat.on_server(output.send_text_message(pid, "second", author="navigator"))
    async with open_stream(webchat, session, {"Last-Event-ID": first_id}) as stream:
        second_id, second = await stream.message()
        assert second["text"] == "second"
        assert int(second_id) > int(first_id)
        with pytest.raises(TimeoutError):
            await stream.message(timeout=0.5)


async def test_events_need_a_valid_session(webchat: LiveChat) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        for params in ({}, {"session": "short"}, {"session": "a" * 30 + "!"}):
            reply = await client.get(webchat.events, params=params)
            assert reply.status_code == 400
            assert reply.json()["error"]


async def test_keep_alive_comments(webchat: LiveChat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webchat_module, "KEEP_ALIVE_S", 0.2)
    async with open_stream(webchat, new_session()) as stream:
        assert await stream.block(timeout=2) == [": keep-alive"]


async def test_stream_is_cleaned_up_when_the_client_leaves(webchat: LiveChat) -> None:
    session = new_session()
    pid = webchat.pid(session)
    async with open_stream(webchat, session):
        assert await stream_count(webchat, pid) == 1
    for _ in range(50):
        if await stream_count(webchat, pid) == 0:
            break
        await asyncio.sleep(0.1)
    assert await stream_count(webchat, pid) == 0


# ---- the hub's bounds (no server needed) ------------------------------------------------------


def test_shape_keeps_only_what_the_page_needs() -> None:
    extra = {"author": "navigator", "navigator": "  Sam  ", "timestamp": 1.0, "recipient_id": "x"}
    assert shape("Hi\n\nthere", None, extra) == [
        {"author": "navigator", "navigator": "Sam", "text": "Hi\n\nthere", "buttons": []}
    ]
    assert shape("Hi\n\nthere", [{"title": "OK", "payload": "/ok"}, {"title": 3}], {}) == [
        {"author": "bot", "text": "Hi", "buttons": []},
        {"author": "bot", "text": "there", "buttons": [{"title": "OK", "payload": "/ok"}]},
    ]
    assert shape(None, None, {"author": "someone"}) == []


def test_buffer_is_bounded_and_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    clock = SimpleNamespace(monotonic=lambda: now[0], time_ns=time.time_ns)
    monkeypatch.setattr(hub_module, "time", clock)
    hub = Hub()
    for n in range(60):
        hub.publish("wp-a", {"author": "bot", "text": str(n), "buttons": []})
    queue = hub.subscribe("wp-a", None)
    assert [queue.get_nowait()[1]["text"] for _ in range(queue.qsize())] == [
        str(n) for n in range(10, 60)
    ]
    hub.unsubscribe("wp-a", queue)
    now[0] += hub_module.BUFFER_TTL_S + 1
    hub.publish("wp-b", {"author": "bot", "text": "b", "buttons": []})
    assert "wp-a" not in hub._conversations  # forgotten after 30 idle minutes
    assert hub.subscribe("wp-a", None).qsize() == 0


def test_too_many_streams_close_the_oldest() -> None:
    hub = Hub()
    queues = [hub.subscribe("wp-a", None) for _ in range(hub_module.MAX_STREAMS + 1)]
    assert queues[0].get_nowait() is None
    assert len(hub._conversations["wp-a"].streams) == hub_module.MAX_STREAMS
