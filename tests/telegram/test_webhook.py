"""Webhook mode: ``python -m bot.telegram`` registers its webhook with Telegram's secret
token and answers only updates that carry it. Real processes and real HTTP both ways:
the Bot API stand-in, the bridge, and a small stand-in for Rasa's telegram channel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.launcher import free_port
from bot.telegram.config import BridgeSettings, webhook_from_env
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.updates import text_update

SECRET = "webhook-secret_0123456789-abcdef"
PUBLIC_URL = "https://bridge.example.org/telegram-updates"
REPLY = "Hi, I'm Waypoint. I'm a chatbot, not a person."
CHAT = 848484


class RasaChannel(BaseHTTPRequestHandler):
    """Answers ``POST /webhooks/telegram/webhook`` as Rasa's channel would."""

    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append(body)
        answer = json.dumps([{"recipient_id": body["sender"], "text": REPLY}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_: Any) -> None:
        """Quiet."""


@pytest.fixture
def rasa_channel() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RasaChannel)
    RasaChannel.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def bridge(bot_api: FakeBotApi, rasa_channel: str, tmp_path: Path) -> Iterator[str]:
    """The bridge process in webhook mode; yields the URL its webhook server answers on."""
    port = free_port()
    env = {
        **os.environ,
        "WAYPOINT_DATA_DIR": str(tmp_path / "data"),
        "WAYPOINT_SECRET": "webhook-tests-server-secret",
        "WAYPOINT_RASA_URL": rasa_channel,
        "WAYPOINT_BRIDGE_SECRET": "webhook-tests-bridge-secret",
        "WAYPOINT_BRIDGE_PORT": str(free_port()),
        "WAYPOINT_TELEGRAM_TOKEN": bot_api.token,
        "WAYPOINT_TELEGRAM_API_URL": bot_api.base_url,
        "WAYPOINT_TELEGRAM_MODE": "webhook",
        "WAYPOINT_TELEGRAM_WEBHOOK_URL": PUBLIC_URL,
        "WAYPOINT_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "WAYPOINT_TELEGRAM_WEBHOOK_PORT": str(port),
    }
    env.pop("WAYPOINT_DB_URL", None)
    log = open(tmp_path / "bridge.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.telegram"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        bot_api.wait_for("setWebhook", timeout=60)
        url = f"http://127.0.0.1:{port}/telegram-updates"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # setWebhook comes just before the server is up
            try:
                httpx.post(url, json={}, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def test_updates_without_the_secret_token_are_refused(bridge: str, bot_api: FakeBotApi) -> None:
    registered = bot_api.recorded("setWebhook")[0].params
    assert registered["url"] == PUBLIC_URL
    assert registered["secret_token"] == SECRET
    commands = bot_api.recorded("setMyCommands")[0].params["commands"]
    assert [c["command"] for c in commands] == ["help", "privacy", "stop", "forget"]

    update = {"update_id": 1, **text_update("hi", CHAT)}
    header = "X-Telegram-Bot-Api-Secret-Token"
    assert httpx.post(bridge, json=update, timeout=10).status_code == 403
    wrong = httpx.post(bridge, json=update, headers={header: "not-it"}, timeout=10)
    assert wrong.status_code == 403
    time.sleep(1)  # give a wrongly accepted update time to show
    assert RasaChannel.received == []
    assert bot_api.recorded("sendMessage") == []

    right = httpx.post(bridge, json=update, headers={header: SECRET}, timeout=10)
    assert right.status_code == 200
    sent = bot_api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == CHAT)
    assert sent.params["text"] == REPLY
    assert [body["message"] for body in RasaChannel.received] == ["hi"]


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"WAYPOINT_TELEGRAM_MODE": "carrier-pigeon"}, "WAYPOINT_TELEGRAM_MODE"),
        ({"WAYPOINT_TELEGRAM_MODE": "webhook"}, "WAYPOINT_TELEGRAM_WEBHOOK_URL"),
        (
            {"WAYPOINT_TELEGRAM_MODE": "webhook", "WAYPOINT_TELEGRAM_WEBHOOK_URL": PUBLIC_URL},
            "WAYPOINT_TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            {
                "WAYPOINT_TELEGRAM_MODE": "webhook",
                "WAYPOINT_TELEGRAM_WEBHOOK_URL": PUBLIC_URL,
                "WAYPOINT_TELEGRAM_WEBHOOK_SECRET": "short",
            },
            "WAYPOINT_TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            {
                "WAYPOINT_TELEGRAM_MODE": "webhook",
                "WAYPOINT_TELEGRAM_WEBHOOK_SECRET": SECRET,
                "WAYPOINT_TELEGRAM_WEBHOOK_URL": "http://bridge.example.org/x",
            },
            "WAYPOINT_TELEGRAM_WEBHOOK_URL",
        ),
    ],
)
def test_webhook_settings_are_required_and_checked(
    env: dict[str, str], problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("WAYPOINT_TELEGRAM_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=problem):
        webhook_from_env()


def test_polling_is_the_default_and_needs_no_public_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WAYPOINT_TELEGRAM_MODE", raising=False)
    assert webhook_from_env() == {"mode": "polling"}
    settings = BridgeSettings(
        token="t", api_url="u", rasa_url="r", bridge_secret="b", server_secret=b"s",
        port=1, db_url="sqlite://", mode="webhook", webhook_url=PUBLIC_URL,
    )  # fmt: skip
    assert settings.webhook_path == "telegram-updates"
