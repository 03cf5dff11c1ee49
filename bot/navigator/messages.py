"""Every word the navigator console sends to a young person, in one reviewable place.

Follows docs VOICE.md: short and plain, and honest about whether a person or the bot
is talking. Safeguarding leads review this file like the domain responses.
"""

from __future__ import annotations

from typing import Any

NAVIGATOR_AUTHOR = "navigator"

JOINED = "{name}, a youth worker, has joined the chat. You're talking to a real person now."
LEFT = (
    "{name} has left the chat. You're talking to Waypoint's bot again — it's not a "
    "person. You can ask for a youth worker any time."
)

OUTCOMES: dict[str, str] = {
    "supported": "Talked it through in the chat",
    "signposted": "Signposted to a service",
    "referred": "Referred to a service (with their agreement)",
    "safeguarding": "Safeguarding referral made",
    "emergency": "Emergency services called",
    "no_reply": "They stopped replying",
    "not_needed": "No support needed",
    "other": "Other (see notes)",
}
"""Outcome codes stored on a closed escalation, with the label navigators see."""


NOT_DELIVERED = "waypoint-not-delivered"
"""Marker in Rasa's error when a channel refused a navigator's reply (the young person
sent /stop on Telegram, or the chat is closed): see bot.channels.bridge.NotDelivered."""


def navigator_metadata(name: str, handoff: str | None = None) -> dict[str, str]:
    """Metadata on every navigator message, so channels and the transcript can mark it
    as from a person (Rasa merges it into the message the output channel receives).
    ``handoff`` is "joined" or "left" on the two announcements."""
    meta = {"author": NAVIGATOR_AUTHOR, "navigator": name}
    if handoff:
        meta["handoff"] = handoff
    return meta


def bot_event(text: str, name: str, handoff: str | None = None) -> dict[str, Any]:
    """A Rasa ``bot`` event carrying a navigator's words."""
    return {"event": "bot", "text": text, "metadata": navigator_metadata(name, handoff)}


def take_over_events(name: str) -> list[dict[str, Any]]:
    """Pause the bot, then tell the young person a person has joined."""
    return [{"event": "pause"}, bot_event(JOINED.format(name=name), name, "joined")]


def reply_events(name: str, text: str) -> list[dict[str, Any]]:
    return [bot_event(text, name)]


def hand_back_events(name: str) -> list[dict[str, Any]]:
    """Tell the young person the person has gone, then let the bot answer again."""
    return [bot_event(LEFT.format(name=name), name, "left"), {"event": "resume"}]
