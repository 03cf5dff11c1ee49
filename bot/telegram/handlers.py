"""What the bridge does with each Telegram update. Callbacks are verbs, as in PTB.

Chat ids stay in this process: Rasa gets ``pseudonymise("telegram", chat_id)`` only.
Logs name events, never message text or Telegram ids.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.channels.pseudonym import pseudonymise
from bot.channels.text import is_forget_request
from bot.telegram.chat_ids import ChatIds
from bot.telegram.replies import ButtonPayloads, deliver

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
GREETING = "hi"  # what /start sends to Rasa
HELP = "help"  # what /help sends to Rasa: the emergency answer
KIND_REPLY = "I can only read text messages at the moment. If you're in danger, call 999."
SORRY = (
    "Sorry, something went wrong on my side. If you or someone else is in danger right "
    "now, call 999."
)
EXPIRED = "Sorry, that button has expired. Please type what you'd like to say."


class Rasa(Protocol):
    """What the handlers need from Rasa (``RasaClient``, or a stand-in in tests)."""

    async def send(self, pseudonym: str, text: str) -> list[dict[str, Any]]: ...


@dataclass
class Bridge:
    """Shared state, kept in ``application.bot_data["bridge"]``."""

    rasa: Rasa
    chat_ids: ChatIds
    server_secret: bytes
    payloads: ButtonPayloads = field(default_factory=ButtonPayloads)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def pseudonym(self, chat_id: int) -> str:
        """Return the pseudonym Rasa knows this chat by."""
        return pseudonymise(CHANNEL, str(chat_id), secret=self.server_secret)


def bridge_of(context: ContextTypes.DEFAULT_TYPE) -> Bridge:
    """Return the bridge state stored in ``bot_data``."""
    return context.bot_data["bridge"]


async def forward(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Send ``text`` to Rasa as this chat and send every reply back, in order."""
    chat = update.effective_chat
    if chat is None:
        return
    bridge = bridge_of(context)
    pseudonym = bridge.pseudonym(chat.id)
    bridge.chat_ids.remember(pseudonym, chat.id)
    # Updates run concurrently; one chat's messages still go to Rasa one at a time.
    async with bridge.locks.setdefault(pseudonym, asyncio.Lock()):
        try:
            replies = await bridge.rasa.send(pseudonym, text)
            logger.info("telegram.message.forwarded replies=%d", len(replies))
        except Exception as error:
            logger.error("telegram.rasa.failed error=%s", type(error).__name__)
            replies = [{"text": SORRY}]
        if is_forget_request(text):  # Rasa erased the stored link; drop the cached one
            bridge.chat_ids.forget(pseudonym)
        for reply in replies:
            await deliver(context.bot, chat.id, reply, bridge.payloads)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets a young person who opens the bot: /start reaches Rasa as "hi"."""
    await forward(update, context, GREETING)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers /help with the emergency answer (Rasa hears "help")."""
    await forward(update, context, HELP)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forwards typed text; Rasa's channel removes leading "/" from unknown commands."""
    message = update.effective_message
    if message is not None and message.text:
        await forward(update, context, message.text)


def chosen_title(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    """Return the title of the button whose callback_data is ``data``."""
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends a pressed button's payload to Rasa and shows its title as chosen."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    await query.answer()
    payload = bridge_of(context).payloads.payload_for(query.data or "")
    message = query.message
    if payload is None:
        await context.bot.send_message(update.effective_chat.id, EXPIRED)
        return
    title = chosen_title(getattr(message, "reply_markup", None), query.data or "")
    if title and message is not None and getattr(message, "text", None):
        try:  # removing the keyboard also stops a second press of an old button
            await query.edit_message_text(f"{message.text}\n\n➜ {title}", reply_markup=None)
        except TelegramError as error:
            logger.warning("telegram.button.edit_failed error=%s", type(error).__name__)
    await forward(update, context, payload)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replies kindly to stickers, photos, voice notes and anything else without text."""
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, KIND_REPLY)


async def error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs a failed update by error type only (no text, no ids)."""
    logger.error("telegram.update.failed error=%s", type(context.error).__name__)
