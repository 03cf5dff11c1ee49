"""A young person's side of the web chat, over HTTP: messages and the live event stream."""

from __future__ import annotations

import json
import queue
import secrets
import threading
from typing import Any

import httpx

from bot.launcher import Stack


class WebChatUser:
    """Sends messages to /webhooks/webchat/webhook and listens to /events (SSE)."""

    def __init__(self, stack: Stack) -> None:
        self.base = f"{stack.rasa_url}/webhooks/webchat"
        self.session = secrets.token_urlsafe(24)
        self.pushed: queue.Queue[dict[str, Any]] = queue.Queue()
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()
        if not self._connected.wait(10):
            raise TimeoutError("the event stream did not connect")

    def _listen(self) -> None:
        with httpx.stream(
            "GET", f"{self.base}/events", params={"session": self.session}, timeout=None
        ) as stream:
            self._connected.set()
            for line in stream.iter_lines():
                if self._stop.is_set():
                    return
                if line.startswith("data:"):
                    self.pushed.put(json.loads(line[5:].strip()))

    def say(self, text: str) -> list[dict[str, Any]]:
        """Send a message; return the replies that came back with it."""
        response = httpx.post(
            f"{self.base}/webhook", json={"session": self.session, "message": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()["messages"]

    def next_pushed(self, timeout: float = 10.0) -> dict[str, Any]:
        """Wait for the next out-of-band message (e.g. from a navigator)."""
        return self.pushed.get(timeout=timeout)

    def close(self) -> None:
        self._stop.set()
