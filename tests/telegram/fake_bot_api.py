"""A stand-in for Telegram's Bot API on 127.0.0.1, recording every call.

Served by aiohttp in its own thread and event loop, so both async unit tests and
synchronous end-to-end tests can use it. Point PTB at ``base_url`` (``.../bot``): PTB
appends ``<token>/<method>``. Implements getMe, setWebhook, deleteWebhook, getUpdates
(long-poll, capped at one second), setMyCommands, sendMessage, answerCallbackQuery,
editMessageText and editMessageReplyMarkup. ``fail_next`` makes the next calls of a
method fail as Telegram does (429 with retry_after, 5xx), before they are carried out.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiohttp import web

from bot.launcher import free_port

BOT_ID = 7000000001
JSON_FIELDS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "reply_markup",
    "allowed_updates",
    "show_alert",
    "commands",
}
MAX_LONG_POLL_S = 1.0


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    token: str
    params: dict[str, Any]


class FakeBotApi:
    """The stand-in server. ``push_*`` queue updates; ``calls``/``wait_for`` inspect."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.port = free_port()
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.failures: dict[str, list[tuple[int, int | None] | None]] = {}
        self.sent: list[dict[str, Any]] = []  # messages actually carried out
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """What to pass as PTB's ``base_url`` (and ``WAYPOINT_TELEGRAM_API_URL``)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:  # long polls still waiting for an update
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    async def _serve(self) -> None:
        self._new_update = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    # -- test side -------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue one update (``update_id`` is added) for the next getUpdates."""
        with self._lock:
            update = {"update_id": next(self._ids), **update}
            self.updates.append(update)
        self._loop.call_soon_threadsafe(self._wake)
        return update

    def fail_next(
        self,
        method: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        after: int = 0,
    ) -> None:
        """Let ``after`` calls of ``method`` through, then fail ``times`` with ``status``."""
        with self._lock:
            planned = self.failures.setdefault(method, [])
            planned.extend([None] * after + [(status, retry_after)] * times)

    def _wake(self) -> None:
        if self._new_update is not None:
            self._new_update.set()

    def recorded(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, method: str, test: Callable[[Call], bool] = lambda _: True, timeout: float = 60
    ) -> Call:
        """Return the first recorded call of ``method`` passing ``test`` (waits for it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.recorded(method):
                if test(call):
                    return call
            time.sleep(0.05)
        raise AssertionError(f"no matching {method} within {timeout} s: {self.recorded(method)}")

    # -- Bot API side ----------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        params: dict[str, Any] = {}
        for key, value in (await request.post()).items():
            if key in JSON_FIELDS and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        token = request.match_info["token"]
        params = await self._params(request)
        with self._lock:
            self.calls.append(Call(method, token, params))
        if token != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        with self._lock:
            pending = self.failures.get(method)
            failure = pending.pop(0) if pending else None
        if failure is not None:
            status, retry_after = failure
            body: dict[str, Any] = {
                "ok": False,
                "error_code": status,
                "description": HTTPStatus(status).phrase,
            }
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return web.json_response(body, status=status)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        result = await handler(params)
        if method == "sendMessage":
            with self._lock:
                self.sent.append(result)
        return web.json_response({"ok": True, "result": result})

    async def _getMe(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Waypoint",
            "username": "waypoint_test_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _deleteWebhook(self, _: dict[str, Any]) -> bool:
        return True

    async def _setWebhook(self, _: dict[str, Any]) -> bool:
        return True

    async def _setMyCommands(self, _: dict[str, Any]) -> bool:
        return True

    async def _getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), MAX_LONG_POLL_S)
        pending = self._pending(offset)
        if not pending and wait > 0 and self._new_update is not None:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), wait)
            pending = self._pending(offset)
        return pending

    def _pending(self, offset: int) -> list[dict[str, Any]]:
        with self._lock:
            return [u for u in self.updates if u["update_id"] >= offset]

    async def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": params.get("text", ""),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Waypoint"},
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _answerCallbackQuery(self, _: dict[str, Any]) -> bool:
        return True

    async def _editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._sendMessage(params)

    async def _editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._sendMessage({**params, "text": ""})
