"""The bridge's client for Rasa's ``telegram`` channel (``bot/channels/bridge.py``)."""

from __future__ import annotations

from typing import Any

import httpx

SECRET_HEADER = "X-Waypoint-Bridge-Secret"  # noqa: S105 - a header name, not a secret
TIMEOUT_S = 60.0


class RasaClient:
    """Posts one message per call to ``/webhooks/telegram/webhook`` and returns replies."""

    def __init__(
        self, rasa_url: str, secret: str, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.client = httpx.AsyncClient(
            base_url=rasa_url.rstrip("/"),
            headers={SECRET_HEADER: secret},
            timeout=TIMEOUT_S,
            transport=transport,
        )

    async def send(
        self, pseudonym: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send ``text`` from ``pseudonym``; return Rasa's replies (raises on HTTP errors).

        ``metadata`` holds at most a venue code and the "opened" flag (Rasa's channel
        keeps nothing else).
        """
        body: dict[str, Any] = {"sender": pseudonym, "message": text}
        if metadata:
            body["metadata"] = metadata
        sent = await self.client.post("/webhooks/telegram/webhook", json=body)
        sent.raise_for_status()
        replies = sent.json()
        return [r for r in replies if isinstance(r, dict)] if isinstance(replies, list) else []

    async def close(self) -> None:
        """Close the HTTP connection pool."""
        await self.client.aclose()
