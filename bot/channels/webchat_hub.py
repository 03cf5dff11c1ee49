"""The web chat's live state, per pseudonym: open event streams, a replay buffer of
recent messages, and the button payloads offered. It lives in the Rasa server's memory,
so run one Sanic worker per Rasa server (Rasa's default); see docs/operations.md.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from bot.channels.text import clean_user_text

BUFFER_SIZE = 50
BUFFER_TTL_S = 30 * 60
MAX_CONVERSATIONS = 10_000
MAX_STREAMS = 3

Message = dict[str, Any]
Queue = asyncio.Queue[tuple[int, Message] | None]  # None closes the stream


@dataclass
class _Conversation:
    seen: float = field(default_factory=time.monotonic)
    buffer: deque[tuple[int, float, Message]] = field(
        default_factory=lambda: deque(maxlen=BUFFER_SIZE)
    )
    streams: list[Queue] = field(default_factory=list)
    payloads: deque[str] = field(default_factory=lambda: deque(maxlen=30))


class Hub:
    """Per pseudonym: open event streams, a replay buffer, and button payloads offered.

    Bounded: an entry is forgotten ``BUFFER_TTL_S`` after its last activity once no stream
    is open, and there are never more than ``MAX_CONVERSATIONS``.
    """

    def __init__(self) -> None:
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()
        self._ids = itertools.count(time.time_ns() // 1000)  # keeps growing across restarts

    def _get(self, pid: str) -> _Conversation:
        now = time.monotonic()
        for key, old in list(self._conversations.items()):
            if now - old.seen < BUFFER_TTL_S:
                break  # ordered by last activity: the rest are newer
            if not old.streams:
                del self._conversations[key]
        while len(self._conversations) >= MAX_CONVERSATIONS:
            for queue in self._conversations.popitem(last=False)[1].streams:
                queue.put_nowait(None)
        conv = self._conversations.setdefault(pid, _Conversation())
        conv.seen = now
        self._conversations.move_to_end(pid)
        return conv

    def remember(self, pid: str, message: Message) -> None:
        """Note the buttons offered, so clicking one may keep its leading "/"."""
        payloads = [b["payload"] for b in message["buttons"] if "payload" in b]
        if payloads:  # link buttons open a page; they never come back as a message
            self._get(pid).payloads.extend(payloads)

    def publish(self, pid: str, message: Message) -> None:
        """Buffer a message and hand it to every open stream of the conversation."""
        conv, event_id = self._get(pid), next(self._ids)
        conv.buffer.append((event_id, time.monotonic(), message))
        for queue in conv.streams:
            queue.put_nowait((event_id, message))

    def subscribe(self, pid: str, after: int | None) -> Queue:
        """Open a stream, pre-filled with buffered messages newer than ``after``."""
        conv, queue, fresh = self._get(pid), Queue(), time.monotonic() - BUFFER_TTL_S
        for event_id, sent, message in conv.buffer:
            if sent > fresh and (after is None or event_id > after):
                queue.put_nowait((event_id, message))
        conv.streams.append(queue)
        while len(conv.streams) > MAX_STREAMS:  # a stale tab or a leaked connection
            conv.streams.pop(0).put_nowait(None)
        return queue

    def unsubscribe(self, pid: str, queue: Queue) -> None:
        conv = self._conversations.get(pid)
        if conv is not None and queue in conv.streams:
            conv.streams.remove(queue)

    def forget(self, pid: str) -> None:
        """Drop a conversation's buffered messages and close its streams ("/forget")."""
        conv = self._conversations.pop(pid, None)
        for queue in conv.streams if conv else ():
            queue.put_nowait(None)

    def screen(self, pid: str, text: str) -> str:
        """Strip leading "/" unless the text is a button payload Waypoint offers.

        Domain buttons come from ``bot.channels.text``; buttons that a custom action or a
        navigator sent to this conversation were remembered here.
        """
        conv = self._conversations.get(pid)
        return clean_user_text(text, conv.payloads if conv else ())
