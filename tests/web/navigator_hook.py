"""A tiny HTTP hook that lets the browser check play a navigator.

``browser_check.mjs --navigator-hook URL`` POSTs ``{"session", "text", "navigator"}``
here; the hook turns the page's session token into the pseudonym and posts a bot event
with navigator metadata to Rasa's HTTP API, the way the navigator console does:
``POST /conversations/<pseudonym>/tracker/events?execute_side_effects=true&output_channel=latest``.
Works against the fake agent's app and against a real Rasa server (pass ``token`` and the
server's ``secret``).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

from bot.channels.pseudonym import pseudonymise


class NavigatorHook:
    """Serve the hook on 127.0.0.1 (a free port) while used as a context manager."""

    def __init__(self, rasa_url: str, token: str | None = None, secret: bytes | None = None):
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.secret = secret
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/navigator"

    def post_as_navigator(self, session: str, text: str, navigator: str) -> int:
        """Post a navigator's message to the conversation; return Rasa's HTTP status."""
        pid = pseudonymise("webchat", session, secret=self.secret)
        params = {"execute_side_effects": "true", "output_channel": "latest"}
        if self.token:
            params["token"] = self.token
        event = {
            "event": "bot",
            "text": text,
            "metadata": {"author": "navigator", "navigator": navigator},
        }
        url = f"{self.rasa_url}/conversations/{pid}/tracker/events"
        return httpx.post(url, params=params, json=event, timeout=10).status_code

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                status = hook.post_as_navigator(body["session"], body["text"], body["navigator"])
                payload = json.dumps({"rasa_status": status}).encode()
                self.send_response(200 if status == 200 else 502)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                return None

        return Handler

    def __enter__(self) -> NavigatorHook:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
