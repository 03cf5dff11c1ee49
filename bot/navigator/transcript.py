"""Turn a Rasa tracker dump into the lines a navigator reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.channels.text import OPENED_KEY
from bot.navigator.messages import NAVIGATOR_AUTHOR

EXTERNAL_PREFIX = "EXTERNAL: "  # Rasa's text for intents injected by trigger_intent

STATUS_EVENTS = {
    "pause": "Bot paused: a navigator is in the chat.",
    "resume": "Bot answering again.",
    "session_started": "New session started.",
    "restart": "Conversation restarted.",
}

USER, BOT, NAVIGATOR, STATUS = "user", "bot", "navigator", "status"


@dataclass(frozen=True)
class Line:
    """One line of the transcript."""

    kind: str  # user | bot | navigator | status
    text: str
    at: datetime | None = None
    risk: str | None = None  # the risk detector's level for a user message
    categories: tuple[str, ...] = ()
    why: tuple[str, ...] = ()  # the detector's evidence: matched words or the model's guess
    navigator: str | None = None
    buttons: tuple[str, ...] = ()


def _when(event: dict[str, Any]) -> datetime | None:
    stamp = event.get("timestamp")
    if isinstance(stamp, int | float):
        return datetime.fromtimestamp(stamp, UTC)
    return None


def _risk(event: dict[str, Any]) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """Level, categories and evidence the risk detector gave a user message."""
    risk = (event.get("parse_data") or {}).get("risk")
    if not isinstance(risk, dict):
        return None, (), ()
    level = risk.get("level")
    categories = risk.get("categories") or ()
    evidence = risk.get("evidence") or ()
    return (
        (str(level) if level else None),
        tuple(str(c) for c in categories),
        tuple(str(e) for e in evidence),
    )


def _line(event: dict[str, Any]) -> Line | None:
    kind, at = event.get("event"), _when(event)
    if kind == "user":
        text = event.get("text") or ""
        if text.startswith(EXTERNAL_PREFIX):
            return Line(STATUS, f"Intent sent by the console: {text[len(EXTERNAL_PREFIX):]}", at)
        if (event.get("metadata") or {}).get(OPENED_KEY) is True:
            return Line(STATUS, f'Opened the chat (the app sent "{text}" for them).', at)
        level, categories, why = _risk(event)
        return Line(USER, text, at, risk=level, categories=categories, why=why)
    if kind == "bot":
        metadata = event.get("metadata") or {}
        data = event.get("data") or {}
        buttons = tuple(
            str(button.get("title", "")) for button in data.get("buttons") or [] if button
        )
        text = event.get("text") or ""
        if metadata.get("author") == NAVIGATOR_AUTHOR:
            name = str(metadata.get("navigator") or "Navigator")
            return Line(NAVIGATOR, text, at, navigator=name)
        if not text and not buttons:
            return None
        return Line(BOT, text, at, buttons=buttons)
    if kind in STATUS_EVENTS:
        return Line(STATUS, STATUS_EVENTS[str(kind)], at)
    return None


def transcript(tracker: dict[str, Any]) -> list[Line]:
    """User, bot and navigator messages plus pause/resume/session markers, in order."""
    lines = []
    for event in tracker.get("events") or []:
        line = _line(event)
        if line is not None:
            lines.append(line)
    return lines


def fingerprint(tracker: dict[str, Any]) -> tuple[Any, ...]:
    """Changes whenever something a navigator would see in the tracker changes."""
    events = tracker.get("events") or []
    return len(events), tracker.get("latest_event_time"), tracker.get("paused")


def last_handoff(tracker: dict[str, Any]) -> str | None:
    """ "joined" or "left": the latest take-over or hand-back announcement in the tracker."""
    for event in reversed(tracker.get("events") or []):
        metadata = event.get("metadata") or {}
        by_navigator = event.get("event") == "bot" and metadata.get("author") == NAVIGATOR_AUTHOR
        if by_navigator and metadata.get("handoff"):
            return str(metadata["handoff"])
    return None
