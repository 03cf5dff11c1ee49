"""Run the real console on a free 127.0.0.1 port inside the test's event loop."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sanic import Sanic

from bot.launcher import free_port
from bot.navigator.app import create_app
from bot.navigator.rasa_client import RasaClient
from bot.navigator.store import EscalationStore
from tests.navigator.fake_rasa import TOKEN, FakeRasa

PASSWORD = "a long passphrase for tests"
CONVERSATION = "wp-7f3a9c"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')




@dataclass
class Console:
    url: str
    store: EscalationStore
    rasa: FakeRasa

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, timeout=10.0)


@asynccontextmanager
async def running_console(
    store: EscalationStore, rasa: FakeRasa, *, secure_cookies: bool = False
) -> AsyncIterator[Console]:
    # Sanic 21.12 rewrites its HTTP class on every app start ("touchup"); a second start
    # in one process fails unless test_mode makes it work from the original each time.
    Sanic.test_mode = True
    app = create_app(
        store,
        RasaClient(rasa.url, TOKEN),
        secure_cookies=secure_cookies,
        name=f"nav_test_{uuid.uuid4().hex}",
        failure_delay=0.0,
    )
    app.config.MOTD = False
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    assert server is not None  # already listening: create_server awaits it
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield Console(f"http://127.0.0.1:{port}", store, rasa)
    finally:
        await server.before_stop()
        for connection in list(server.connections):
            connection.abort()
        await server.close()
        await server.after_stop()


def escalate(console: Console, level: str = "immediate", words: str = "he has a knife") -> int:
    """Store an escalation as the action server would."""
    return console.store.create_escalation(
        conversation_id=CONVERSATION,
        channel="telegram",
        level=level,
        categories=["weapon"],
        trigger_text=words,
    )


def csrf_in(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def login(
    client: httpx.AsyncClient, username: str = "sam", password: str = PASSWORD
) -> httpx.Response:
    form = await client.get("/login")
    return await client.post(
        "/login", data={"csrf": csrf_in(form.text), "username": username, "password": password}
    )


async def signed_in(client: httpx.AsyncClient, username: str = "sam") -> str:
    """Sign in and return this session's CSRF token."""
    response = await login(client, username)
    assert response.status_code == 303 and response.headers["location"] == "/"
    return csrf_in((await client.get("/")).text)


class EventStream:
    """A minimal server-sent-events reader over a raw connection (chunked HTTP/1.1).

    httpx works too, but its nested async generators outlive the test's event loop and
    leave "Task was destroyed" noise; this reader owns everything it opens.
    """

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader
        self.headers: dict[str, str] = {}
        self.status = 0
        self._buffer = ""

    async def _read_head(self) -> None:
        status_line = (await self.reader.readline()).decode("latin-1")
        self.status = int(status_line.split()[1])
        while line := (await self.reader.readline()).decode("latin-1").strip():
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()

    async def _line(self) -> str:
        while "\n" not in self._buffer:
            size = int((await self.reader.readline()).strip() or b"0", 16)
            if size == 0:
                raise AssertionError("event stream ended")
            self._buffer += (await self.reader.readexactly(size)).decode("utf-8")
            await self.reader.readexactly(2)
        line, self._buffer = self._buffer.split("\n", 1)
        return line

    async def next(self, name: str, timeout: float = 5.0) -> dict[str, Any]:
        """Wait for the next event called ``name`` and return its JSON data."""

        async def find() -> dict[str, Any]:
            event = None
            while True:
                line = await self._line()
                if line.startswith("event: "):
                    event = line[len("event: ") :]
                elif line.startswith("data: ") and event == name:
                    return dict(json.loads(line[len("data: ") :]))

        return await asyncio.wait_for(find(), timeout)


@asynccontextmanager
async def event_stream(
    console: Console, client: httpx.AsyncClient, path: str
) -> AsyncIterator[EventStream]:
    """Open ``path`` as an event stream with ``client``'s cookies."""
    host, port = console.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n"
        f"Cookie: {cookies}\r\n\r\n".encode()
    )
    stream = EventStream(reader)
    try:
        await stream._read_head()
        yield stream
    finally:
        writer.close()
        await writer.wait_closed()
