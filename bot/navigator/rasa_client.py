"""A small typed client for the parts of Rasa 3.6's HTTP API the console needs.

Rasa must run with ``--enable-api --auth-token T``; the token goes in ``?token=``.
Bot events are posted with ``execute_side_effects=true&output_channel=latest`` so Rasa
sends them through the young person's channel. Note: if that channel has no
``get_output_channel()`` Rasa silently collects the message instead of sending it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx

from bot.navigator import messages

Event = dict[str, Any]


class NotDeliveredError(RuntimeError):
    """The reply could not reach the young person's chat (e.g. they sent /stop)."""


class RasaStateError(RuntimeError):
    """Rasa accepted the events but the tracker is not in the state they should give."""


class RasaClient:
    """Async client for ``/conversations/{id}/...``; raises ``httpx.HTTPError`` on failure."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        # Created on first use so it binds to the event loop of the server using it.
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url, timeout=self._timeout, transport=self._transport
            )
        return self._client

    def _path(self, conversation_id: str, tail: str) -> str:
        return f"/conversations/{quote(conversation_id, safe='')}/{tail}"

    def _params(self, **extra: str) -> dict[str, str]:
        params = {"token": self._token} if self._token else {}
        params.update(extra)
        return params

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def tracker(self, conversation_id: str, *, include_events: str = "ALL") -> Event:
        """GET the tracker: ``sender_id``, ``paused``, ``events``, ``latest_message`` ..."""
        response = await self._http().get(
            self._path(conversation_id, "tracker"),
            params=self._params(include_events=include_events),
        )
        response.raise_for_status()
        return dict(response.json())

    async def append_events(
        self,
        conversation_id: str,
        events: Sequence[Event],
        *,
        execute_side_effects: bool = True,
        output_channel: str = "latest",
    ) -> Event:
        """POST events to the tracker; with side effects, bot events are delivered."""
        response = await self._http().post(
            self._path(conversation_id, "tracker/events"),
            params=self._params(
                execute_side_effects=str(execute_side_effects).lower(),
                output_channel=output_channel,
                include_events="NONE",
            ),
            json=list(events),
        )
        response.raise_for_status()
        return dict(response.json())

    async def trigger_intent(
        self,
        conversation_id: str,
        name: str,
        *,
        entities: dict[str, Any] | None = None,
        output_channel: str = "latest",
    ) -> Event:
        """Inject an intent and run the bot (does nothing while the tracker is paused)."""
        response = await self._http().post(
            self._path(conversation_id, "trigger_intent"),
            params=self._params(output_channel=output_channel, include_events="NONE"),
            json={"name": name, "entities": entities or {}},
        )
        response.raise_for_status()
        return dict(response.json())

    # -- the three things a navigator does ------------------------------------------

    async def take_over(self, conversation_id: str, navigator_name: str) -> None:
        """Pause the bot and announce the navigator, in one request."""
        state = await self.append_events(
            conversation_id, messages.take_over_events(navigator_name)
        )
        if state.get("paused") is False:
            raise RasaStateError("tracker is not paused after take-over")

    async def reply(self, conversation_id: str, navigator_name: str, text: str) -> None:
        """Send a navigator's words; raise :class:`NotDeliveredError` if the channel
        refused them (bot.channels.bridge.NotDelivered: Rasa saved nothing)."""
        try:
            await self.append_events(conversation_id, messages.reply_events(navigator_name, text))
        except httpx.HTTPStatusError as error:
            if messages.NOT_DELIVERED in error.response.text:
                raise NotDeliveredError(conversation_id) from error
            raise

    async def hand_back(self, conversation_id: str, navigator_name: str) -> None:
        """Say the navigator has left, then resume the bot, in one request."""
        state = await self.append_events(
            conversation_id, messages.hand_back_events(navigator_name)
        )
        if state.get("paused") is True:
            raise RasaStateError("tracker is still paused after hand-back")
