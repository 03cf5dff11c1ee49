"""Factories for Telegram updates as the Bot API sends them (plain dicts)."""

from __future__ import annotations

import itertools
import time
from typing import Any

_message_ids = itertools.count(1)


def _user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Test"}


def _message(chat_id: int, **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
        "from": _user(chat_id),
        **content,
    }


def text_update(text: str, chat_id: int) -> dict[str, Any]:
    """A typed message; a leading "/command" gets its bot_command entity, as Telegram does."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        length = len(text.split()[0])
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"message": _message(chat_id, **content)}


def sticker_update(chat_id: int) -> dict[str, Any]:
    """A sticker (no text)."""
    sticker = {
        "file_id": "CAACAgI",
        "file_unique_id": "AgAD",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    return {"message": _message(chat_id, sticker=sticker)}


def photo_update(chat_id: int) -> dict[str, Any]:
    """A photo (no text)."""
    photo = [{"file_id": "AgACAgQ", "file_unique_id": "AQAD", "width": 90, "height": 90}]
    return {"message": _message(chat_id, photo=photo)}


def callback_update(
    data: str, chat_id: int, text: str = "Choose one", buttons: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """A button press on a bot message showing ``buttons`` (title/callback_data dicts)."""
    markup = {"inline_keyboard": [[b] for b in buttons or [{"text": data, "callback_data": data}]]}
    message = _message(chat_id, text=text, reply_markup=markup)
    message["from"] = {"id": 7000000001, "is_bot": True, "first_name": "Waypoint"}
    return {
        "callback_query": {
            "id": str(next(_message_ids)),
            "from": _user(chat_id),
            "chat_instance": "1",
            "data": data,
            "message": message,
        }
    }


def voice_update(chat_id: int) -> dict[str, Any]:
    """A voice note."""
    voice = {"file_id": "AwACAgQ", "file_unique_id": "AgAD", "duration": 4}
    return {"message": _message(chat_id, voice=voice)}


def location_update(chat_id: int, latitude: float, longitude: float) -> dict[str, Any]:
    """A shared location."""
    return {"message": _message(chat_id, location={"latitude": latitude, "longitude": longitude})}


def captioned_photo_update(chat_id: int, caption: str) -> dict[str, Any]:
    """A photo with words under it."""
    update = photo_update(chat_id)
    update["message"]["caption"] = caption
    return update
