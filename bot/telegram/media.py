"""Kind answers to what the bot cannot read: stickers, photos, voice notes, locations.

None of these reach Rasa. A location is never stored, logged or forwarded: the handler
reads nothing from it and only answers. A caption under a photo or video is words the
young person wrote, so it goes to Rasa like a typed message (the risk checks must hear it).
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.telegram.handlers import forward

logger = logging.getLogger(__name__)

KIND_REPLY = "I can only read text messages at the moment. If you're in danger, call 999."
LOCATION_REPLY = (
    "I don't keep locations, so I haven't saved that. If you're in danger right now, "
    "call 999 and tell them where you are."
)
PICTURE_REPLY = (
    "I can't see photos or videos, only read words. Could you type what's on your mind? "
    "If you're in danger right now, call 999."
)
VOICE_REPLY = (
    "I can't listen to voice notes or audio, only read. Could you type it instead? "
    "If you're in danger right now, call 999."
)
STICKER_REPLY = (
    "I can't read stickers, but I'm here. Type whatever's on your mind, whenever you're "
    "ready. If you're in danger right now, call 999."
)
CAPTION_NOTE = "I can't see photos or videos, but I've read what you wrote."


def kind_reply(message: Message) -> tuple[str, str]:
    """Return (what it was, the reply) for a message without text."""
    if message.location or message.venue:  # a shared place carries a location too
        return "location", LOCATION_REPLY
    if message.voice or message.audio or message.video_note:
        return "voice", VOICE_REPLY
    if message.photo or message.video or message.animation:
        return "picture", PICTURE_REPLY
    if message.sticker:
        return "sticker", STICKER_REPLY
    return "other", KIND_REPLY


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers a message without text kindly; forwards a caption's words to Rasa."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    kind, reply = kind_reply(message)
    logger.info("telegram.message.not_text kind=%s", kind)  # the kind only, never content
    if message.caption and kind != "location":
        await context.bot.send_message(chat.id, CAPTION_NOTE)
        await forward(update, context, message.caption)
        return
    await context.bot.send_message(chat.id, reply)
