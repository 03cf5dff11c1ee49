"""Turning Rasa messages into Telegram messages: text, inline keyboards, navigator labels."""

from __future__ import annotations

import hashlib
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.links import safe_link

MAX_TEXT = 4096  # Telegram's limit per message
MAX_CALLBACK_DATA = 64  # bytes
MAX_BUTTONS = 10
LONG_PREFIX = "#"  # callback_data for a payload too long for Telegram: "#" + short hash


class ButtonPayloads:
    """Payload <-> callback_data. Short payloads are used as they are; long ones by hash."""

    def __init__(self) -> None:
        self.long: dict[str, str] = {}

    def data_for(self, payload: str) -> str:
        """Return the callback_data for ``payload`` (at most 64 bytes)."""
        if len(payload.encode()) <= MAX_CALLBACK_DATA and not payload.startswith(LONG_PREFIX):
            return payload
        key = LONG_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:16]
        self.long[key] = payload
        return key

    def payload_for(self, data: str) -> str | None:
        """Return the payload behind ``data`` (None if this process no longer knows it)."""
        if data.startswith(LONG_PREFIX):
            return self.long.get(data)
        return data


def label(message: dict[str, Any]) -> str:
    """Return the text to show, prefixed with who wrote it when a person did."""
    text = str(message.get("text") or "").strip()
    if message.get("author") != "navigator" or not text:
        return text
    name = message.get("navigator")
    who = name.strip()[:40] if isinstance(name, str) and name.strip() else ""
    return f"{who} (youth worker): {text}" if who else f"Youth worker: {text}"


def _inline(button: Any, payloads: ButtonPayloads) -> InlineKeyboardButton | None:
    """A payload button, or an https link button; ``tel:``/``sms:`` links are left out
    (Telegram's buttons can't open them; the number is in the text, and tappable)."""
    if not isinstance(button, dict) or not button.get("title"):
        return None
    title = str(button["title"])[:64]
    if isinstance(button.get("payload"), str):
        return InlineKeyboardButton(title, callback_data=payloads.data_for(button["payload"]))
    url = safe_link(button.get("url"), schemes=("https",))
    return InlineKeyboardButton(title, url=url) if url else None


def keyboard(buttons: Any, payloads: ButtonPayloads) -> InlineKeyboardMarkup | None:
    """Return one button per row for Rasa's buttons (None if none)."""
    rows = [
        [made] for b in (buttons or [])[:MAX_BUTTONS] if (made := _inline(b, payloads)) is not None
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def chunks(text: str) -> list[str]:
    """Split ``text`` into pieces Telegram accepts (on paragraph breaks where possible)."""
    pieces: list[str] = []
    while len(text) > MAX_TEXT:
        cut = text.rfind("\n", 0, MAX_TEXT)
        cut = cut if cut > 0 else MAX_TEXT
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*pieces, text] if text else pieces


async def deliver(
    bot: Bot, chat_id: int, message: dict[str, Any], payloads: ButtonPayloads
) -> bool:
    """Send one Rasa message to ``chat_id``; return False if there was nothing to send."""
    markup = keyboard(message.get("buttons") or message.get("quick_replies"), payloads)
    parts = chunks(label(message))
    if not parts and markup is None:
        return False
    if not parts:
        parts = ["Choose one:"]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(chat_id, part, reply_markup=markup if last else None)
    return True
