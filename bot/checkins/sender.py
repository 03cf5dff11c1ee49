"""Deliver due check-ins through the Telegram bridge's callback server.

Run by the launcher beside the bridge (``python -m bot.checkins``). Every minute it
POSTs each due check-in's message (``utter_checkin_message`` from the domain) to the
bridge exactly as Rasa's telegram channel does, then deletes the row. A chat the bridge
no longer knows or that blocked the bot is given up at once; other failures are retried
a few times.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot.checkins.store import CheckinStore
from bot.settings import db_url
from bot.telegram.rasa_client import SECRET_HEADER

logger = logging.getLogger(__name__)

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain" / "checkins.yml"
MESSAGE = "utter_checkin_message"
GIVE_UP = {404, 410}  # the bridge no longer knows the chat, or the young person blocked us
MAX_ATTEMPTS = 5
INTERVAL_S = 60.0


@lru_cache(maxsize=1)
def checkin_message(path: Path = DOMAIN_FILE) -> dict[str, Any]:
    """Return the check-in message (text and buttons) as written in the domain."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    variation = content["responses"][MESSAGE][0]
    return {"text": variation["text"], "buttons": variation.get("buttons") or []}


async def send_due(
    store: CheckinStore,
    client: httpx.AsyncClient,
    *,
    callback_url: str,
    secret: str,
    now: datetime | None = None,
) -> int:
    """Send every due Telegram check-in once; return how many were delivered."""
    delivered = 0
    for checkin in store.due(now):
        if checkin.channel != "telegram":  # nothing else can deliver later
            store.done(checkin.id)
            continue
        body = {"recipient_id": checkin.conversation_id, "author": "bot", **checkin_message()}
        try:
            response = await client.post(callback_url, json=body, headers={SECRET_HEADER: secret})
        except httpx.HTTPError as error:
            status = None
            logger.warning("checkin.send.failed error=%s", type(error).__name__)
        else:
            status = response.status_code
        if status == 200:
            store.done(checkin.id)
            delivered += 1
            logger.info("checkin.sent")
        elif status in GIVE_UP:
            store.done(checkin.id)
            logger.info("checkin.undeliverable status=%s", status)
        elif store.failed(checkin.id) >= MAX_ATTEMPTS:
            store.done(checkin.id)
            logger.warning("checkin.given_up status=%s", status)
    return delivered


async def run_forever(interval: float = INTERVAL_S) -> None:
    """Check for due check-ins every ``interval`` seconds until stopped."""
    callback_url = os.environ["WAYPOINT_BRIDGE_CALLBACK_URL"]
    secret = os.environ["WAYPOINT_BRIDGE_SECRET"]
    store = CheckinStore(db_url())
    async with httpx.AsyncClient(timeout=10.0) as client:
        while True:
            try:
                await send_due(store, client, callback_url=callback_url, secret=secret)
            except Exception:  # a database hiccup must not stop later check-ins
                logger.exception("checkin.loop.failed")
            await asyncio.sleep(interval)


def main() -> int:
    """Entry point for ``python -m bot.checkins``."""
    from bot.logs import install

    install()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_forever())
    return 0
