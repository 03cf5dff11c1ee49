"""Out-of-band messages from Rasa (a navigator's replies, hand-back) to Telegram.

Rasa's ``TelegramBridgeOutput`` POSTs ``{"recipient_id", "text", "buttons", "author",
"navigator"}`` here with the bridge secret; the pseudonym is turned back into the chat id
through the encrypted map and the message is sent. Listens on 127.0.0.1 only.

A chat whose young person sent /stop gets nothing until they write again: the answer is
410 Gone, which the check-in sender treats as "give up" (bot/checkins/sender.py).
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from aiohttp import web
from telegram import Bot
from telegram.error import Forbidden, TelegramError

from bot.telegram.handlers import Bridge
from bot.telegram.rasa_client import SECRET_HEADER
from bot.telegram.replies import deliver

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_BODY = 64 * 1024
STOPPED = "The young person sent /stop: no messages until they write again."


def make_app(bot: Bot, bridge: Bridge, secret: str) -> web.Application:
    """Return the aiohttp app: ``GET /health`` and ``POST /rasa``."""

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not given or not hmac.compare_digest(given.encode(), secret.encode()):
            logger.warning("telegram.callback.forbidden")
            return web.json_response({"error": "Forbidden."}, status=403)
        try:
            body: Any = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("recipient_id"), str):
            return web.json_response({"error": "Expected a JSON object."}, status=400)
        chat = bridge.chat_ids.chat(body["recipient_id"])
        if chat is None:
            logger.warning("telegram.callback.unknown_recipient")
            return web.json_response({"error": "Unknown recipient."}, status=404)
        if chat.stopped:
            logger.info("telegram.callback.stopped_chat")
            return web.json_response({"error": STOPPED}, status=410)
        try:
            sent = await deliver(bot, chat.chat_id, body, bridge.payloads)
        except Forbidden:  # the young person blocked the bot or deleted the chat
            logger.warning("telegram.callback.blocked")
            return web.json_response({"error": "The chat is closed."}, status=410)
        except TelegramError as error:
            logger.error("telegram.callback.failed error=%s", type(error).__name__)
            return web.json_response({"error": "Telegram did not accept it."}, status=502)
        logger.info("telegram.callback.delivered author=%s", body.get("author") or "bot")
        return web.json_response({"sent": sent})

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_get("/health", health)
    app.router.add_post("/rasa", receive)
    return app


async def start_server(app: web.Application, port: int) -> web.AppRunner:
    """Start serving ``app`` on 127.0.0.1:``port``; return the runner to clean up later."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, HOST, port).start()
    return runner
