"""What actions read from the tracker: the latest risk assessment and the person's words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from bot.channels.previous import escalation_words

RISK_LEVELS = ("none", "low", "medium", "high", "immediate")


@dataclass(frozen=True)
class Disclosure:
    """What the young person said and what the risk detector made of it."""

    level: str
    categories: tuple[str, ...]
    words: str
    channel: str
    venue: str | None


def typed_words(tracker: Tracker) -> str:
    """Return the latest words the person typed (button payloads are not their words)."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        text = (event.get("text") or "").strip()
        if text and not text.startswith("/"):
            return text
    return ""


def latest_risk(tracker: Tracker) -> dict[str, Any]:
    """Return the risk detector's output for the latest message ({} if none)."""
    risk = (tracker.latest_message or {}).get("risk") or {}
    return risk if isinstance(risk, dict) else {}


def disclosure(tracker: Tracker, default_level: str, default_categories: list[str]) -> Disclosure:
    """Build the disclosure for an escalation from the latest message.

    The detector's level wins when it found risk; otherwise (a button such as "No, I'm
    not safe" or "Talk to a youth worker") the caller's defaults describe it.
    """
    risk = latest_risk(tracker)
    level = risk.get("level", "none")
    categories = list(risk.get("categories") or [])
    if RISK_LEVELS.index(level if level in RISK_LEVELS else "none") < RISK_LEVELS.index("medium"):
        level, categories = default_level, default_categories
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    venue = metadata.get("venue") if isinstance(metadata, dict) else None
    return Disclosure(
        level=level,
        categories=tuple(categories),
        words=escalation_words(typed_words(tracker), risk),
        channel=tracker.get_latest_input_channel() or "unknown",
        venue=venue if isinstance(venue, str) else None,
    )
