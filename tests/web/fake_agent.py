"""A stand-in for Rasa's ``Agent``, just enough for the web chat channel and Rasa's HTTP API.

Replies go through Rasa's own ``MessageProcessor.execute_side_effects`` (so through
``BotUttered.message()`` and ``OutputChannel.send_response``, exactly as in the real
server), and ``POST /conversations/{id}/tracker/events`` works against it, so the
navigator path (``execute_side_effects=true&output_channel=latest``) is Rasa's code.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, ConversationPaused, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

WELCOME = (
    "Hi, I'm Waypoint. I'm an automatic chat, not a person.\n\n"
    "What you write here is private. You can stop any time."
)
WELCOME_BUTTONS = [
    {"title": "I feel unsafe", "payload": "/feel_unsafe"},
    {"title": "Something else", "payload": "/something_else"},
]
SECRET_WORDS = "my secret words"
LINK_BUTTONS = [
    {"title": "Call Childline", "url": "tel:08001111"},
    {"title": "Open their website", "url": "https://www.childline.org.uk"},
    {"title": "Not a link we show", "url": "javascript:alert(1)"},
]


class FakeProcessor(MessageProcessor):
    """Rasa's processor methods for side effects, with trackers kept in a dict."""

    def __init__(self) -> None:  # no model to load
        self.trackers: dict[str, DialogueStateTracker] = {}

    async def fetch_tracker_with_initial_session(self, sender_id: str, *_: Any) -> Any:
        return self.trackers.setdefault(sender_id, DialogueStateTracker(sender_id, []))

    async def get_tracker(self, conversation_id: str) -> Any:
        return await self.fetch_tracker_with_initial_session(conversation_id)


class FakeTrackerStore:
    """Nothing to save: the processor's dict is the store."""

    def __init__(self, processor: FakeProcessor) -> None:
        self.processor = processor

    @property
    def store(self) -> dict[str, DialogueStateTracker]:
        """Like Rasa's InMemoryTrackerStore: what "/forget" deletes from."""
        return self.processor.trackers

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return self.processor.trackers.get(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        return None


class FakeAgent:
    """Records each ``UserMessage`` and answers through the message's output channel.

    "hi" (the page's greeting) gets a welcome with buttons; a button payload, an empty
    message and anything else are echoed; "links please" answers with link buttons;
    "navigator please" answers as a navigator (event metadata); "nothing" gets no reply
    (as while paused); "boom" fails; "slow" answers after a second.
    """

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.finished: list[str] = []
        self.processor = FakeProcessor()
        self.tracker_store = FakeTrackerStore(self.processor)
        self.lock_store = InMemoryLockStore()
        self.domain = Domain.empty()

    def is_ready(self) -> bool:
        return True

    def last(self) -> UserMessage:
        return self.received[-1]

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        tracker = await self.processor.fetch_tracker_with_initial_session(message.sender_id)
        tracker.update(
            UserUttered(
                message.text, input_channel=message.input_channel, metadata=message.metadata
            )
        )
        events = await self.reply(message.text or "")
        for event in events:
            tracker.update(event)
        await self.processor.execute_side_effects(events, tracker, message.output_channel)
        self.finished.append(message.text or "")

    async def reply(self, text: str) -> list[Event]:
        if text == "hi":
            return [BotUttered(WELCOME, data={"buttons": WELCOME_BUTTONS})]
        if text == "boom":
            raise RuntimeError(f"failed while handling {SECRET_WORDS}")
        if text == "nothing":
            return [ConversationPaused()]
        if text == "silence":
            return []
        if text == "links please":
            return [BotUttered("Childline", data={"buttons": LINK_BUTTONS})]
        if text == "navigator please":
            return [BotUttered("Sam here.", metadata={"author": "navigator", "navigator": "Sam"})]
        if text == "slow":
            await asyncio.sleep(1.0)
            return [BotUttered("Sorry I was slow.")]
        if not text.strip():
            return [BotUttered("It looks like that message was empty. What's on your mind?")]
        if text.startswith("/"):
            return [BotUttered(f"You chose {text}.")]
        return [BotUttered(f"You said: {text}")]
