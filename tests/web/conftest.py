"""A real Sanic server (Rasa's ``configure_app``) with the web chat channel and a fake agent.

The server runs on a free 127.0.0.1 port in its own thread and event loop, so tests can
use plain HTTP clients and a real browser against it.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from rasa.core.run import configure_app
from sanic import Sanic

from bot.channels.pseudonym import pseudonymise
from bot.channels.safety_net import escalation_store
from bot.channels.webchat import WebChatInput
from tests.web.fake_agent import FakeAgent

T = TypeVar("T")
SECRET = "webchat-tests-secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveChat:
    """The running server and handles to its parts."""

    base: str
    channel: WebChatInput
    agent: FakeAgent
    loop: asyncio.AbstractEventLoop

    @property
    def page_url(self) -> str:
        return f"{self.base}/webhooks/webchat/"

    @property
    def webhook(self) -> str:
        return f"{self.base}/webhooks/webchat/webhook"

    @property
    def events(self) -> str:
        return f"{self.base}/webhooks/webchat/events"

    def pid(self, session: str) -> str:
        return pseudonymise("webchat", session)

    async def on_server(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the server's loop (the hub's queues belong to it)."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))


@pytest.fixture(scope="module")
def webchat() -> Iterator[LiveChat]:
    """Start the server for one test module (module scope keeps the env change local)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAYPOINT_SECRET", SECRET)
        # "Delete chat" erases through the escalation store and the tracker database:
        # both in a throwaway directory, never the user's own data directory.
        data = tempfile.mkdtemp(prefix="webchat-")
        patch.setenv("WAYPOINT_DATA_DIR", data)
        patch.setenv("WAYPOINT_DB_URL", f"sqlite:///{data}/waypoint.db")
        patch.setenv("WAYPOINT_TRACKER_URL", f"sqlite:///{data}/conversations.db")
        escalation_store.cache_clear()
        patch.setattr(Sanic, "test_mode", True)
        port = _free_port()
        channel = WebChatInput()
        app = configure_app([channel], port=port)
        agent = FakeAgent()
        app.ctx.agent = agent
        loop = asyncio.new_event_loop()
        started = threading.Event()
        holder: dict[str, Any] = {}

        async def serve() -> None:
            server = await app.create_server(
                host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
            )
            assert server is not None
            await server.startup()
            await server.before_start()
            await server.after_start()
            holder["server"] = server
            started.set()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(serve())
            loop.run_forever()

        thread = threading.Thread(target=run, name="webchat-server", daemon=True)
        thread.start()
        if not started.wait(30):
            pytest.fail("the web chat test server did not start")
        yield LiveChat(f"http://127.0.0.1:{port}", channel, agent, loop)

        async def stop() -> None:
            server = holder["server"]
            await server.before_stop()
            await asyncio.wait_for(server.close(), 5)
            await server.after_stop()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        Sanic._app_registry.pop(app.name, None)
        escalation_store().dispose()
        escalation_store.cache_clear()
        shutil.rmtree(data, ignore_errors=True)
