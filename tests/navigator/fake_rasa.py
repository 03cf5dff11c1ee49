"""A small stand-in for Rasa's HTTP API, served on 127.0.0.1 in a thread.

It keeps one tracker per conversation, applies ``pause``/``resume`` like Rasa does,
records every request it receives (path, query, JSON body) and can be told to fail.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from bot.navigator.messages import NOT_DELIVERED

TOKEN = "test-rasa-token"


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class Tracker:
    events: list[dict[str, Any]] = field(default_factory=list)
    paused: bool = False
    channel: str = "telegram"

    def state(self, sender_id: str, include: str) -> dict[str, Any]:
        return {
            "sender_id": sender_id,
            "slots": {},
            "latest_message": {},
            "latest_event_time": self.events[-1]["timestamp"] if self.events else None,
            "paused": self.paused,
            "events": None if include == "NONE" else list(self.events),
            "latest_input_channel": self.channel,
        }


class FakeRasa:
    """Start with ``FakeRasa().start()``; stop with ``.stop()``."""

    def __init__(self) -> None:
        self.trackers: dict[str, Tracker] = {}
        self.received: list[Received] = []
        self.fail_posts = 0  # answer this many POSTs with HTTP 500
        self.undeliverable = False  # answer POSTs as Rasa does when the channel refused
        self.fail_after_apply = 0  # apply this many POSTs, then answer 500 (a "timeout")
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeRasa:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def tracker(self, conversation_id: str) -> Tracker:
        with self.lock:
            return self.trackers.setdefault(conversation_id, Tracker())

    def add_user(
        self, conversation_id: str, text: str, risk: dict[str, Any] | None = None
    ) -> None:
        """Log a message from the young person, as the channel would."""
        parse_data: dict[str, Any] = {"intent": {"name": "chitchat"}}
        if risk is not None:
            parse_data["risk"] = risk
        event = {"event": "user", "text": text, "parse_data": parse_data}
        self._append(conversation_id, [event])

    def posts(self, path_end: str) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and r.path.endswith(path_end)]

    def _append(self, conversation_id: str, events: list[dict[str, Any]]) -> Tracker:
        tracker = self.tracker(conversation_id)
        with self.lock:
            for event in events:
                event = {**event, "timestamp": time.time()}
                if event["event"] == "pause":
                    tracker.paused = True
                elif event["event"] == "resume":
                    tracker.paused = False
                tracker.events.append(event)
        return tracker

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return

            def _reply(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _parse(self) -> tuple[str, dict[str, str], str, str]:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                path = parts.path
                segments = path.split("/")  # "", "conversations", id, tail...
                conversation = unquote(segments[2]) if len(segments) > 2 else ""
                tail = "/".join(segments[3:])
                return path, query, conversation, tail

            def do_GET(self) -> None:
                path, query, conversation, tail = self._parse()
                fake.received.append(Received("GET", path, query, None))
                if query.get("token") != TOKEN:
                    return self._reply(401, {"reason": "NotAuthenticated"})
                if tail != "tracker":
                    return self._reply(404, {})
                include = query.get("include_events", "AFTER_RESTART")
                return self._reply(200, fake.tracker(conversation).state(conversation, include))

            def do_POST(self) -> None:
                path, query, conversation, tail = self._parse()
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                fake.received.append(Received("POST", path, query, body))
                if query.get("token") != TOKEN:
                    return self._reply(401, {"reason": "NotAuthenticated"})
                if fake.fail_posts > 0:
                    fake.fail_posts -= 1
                    return self._reply(500, {"reason": "ConversationError"})
                if fake.undeliverable:
                    message = f"An unexpected error occurred. Error: {NOT_DELIVERED}: 410"
                    return self._reply(500, {"reason": "ConversationError", "message": message})
                include = query.get("include_events", "AFTER_RESTART")
                if tail == "tracker/events":
                    events = body if isinstance(body, list) else [body]
                    tracker = fake._append(conversation, events)
                    if fake.fail_after_apply > 0:
                        fake.fail_after_apply -= 1
                        return self._reply(500, {"reason": "Timeout"})
                    return self._reply(200, tracker.state(conversation, include))
                if tail == "trigger_intent":
                    tracker = fake.tracker(conversation)
                    state = tracker.state(conversation, include)
                    return self._reply(200, {"tracker": state, "messages": []})
                return self._reply(404, {})

        return Handler
