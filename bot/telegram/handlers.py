"""What the bridge does with each Telegram update. Callbacks are verbs, as in PTB.

Chat ids stay in this process: Rasa gets ``pseudonymise("telegram", chat_id)`` only.
Logs name events, never message text or Telegram ids. Stickers, photos, voice notes and
locations are answered in ``media.py``.
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
from bot.channels.text import OPENED_KEY, is_forget_request
from bot.telegram.chat_ids import ChatIds
from bot.telegram.replies import ButtonPayloads, deliver
from bot.venues.codes import normalise as venue_code
from bot.venues.store import VenueStore

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
GREETING = "hi"  # what /start sends to Rasa
HELP = "help"  # what /help sends to Rasa: the emergency answer
PRIVACY = "/privacy"  # what /privacy sends: the privacy intent (bot/channels/bridge.py)
STOPPED = (
    "Okay. I won't send you anything from now on, not even check-ins or messages from a "
    "youth worker, until you write to me again.",
    "Your chat is still saved for now (chats are deleted after 30 days). To delete it "
    "straight away, send /forget. If you're in danger right now, call 999.",
)
SORRY = (
    "Sorry, something went wrong on my side. If you or someone else is in danger right "
    "now, call 999."
)
EXPIRED = "Sorry, that button has expired. Please type what you'd like to say."


class Rasa(Protocol):
    """What the handlers need from Rasa (``RasaClient``, or a stand-in in tests)."""

    async def send(
        self, pseudonym: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]: ...


@dataclass
class Bridge:
    """Shared state, kept in ``application.bot_data["bridge"]``."""

    rasa: Rasa
    chat_ids: ChatIds
    server_secret: bytes
    venues: VenueStore | None = None
    payloads: ButtonPayloads = field(default_factory=ButtonPayloads)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def pseudonym(self, chat_id: int) -> str:
        """Return the pseudonym Rasa knows this chat by."""
        return pseudonymise(CHANNEL, str(chat_id), secret=self.server_secret)


def bridge_of(context: ContextTypes.DEFAULT_TYPE) -> Bridge:
    """Return the bridge state stored in ``bot_data``."""
    return context.bot_data["bridge"]


async def forward(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    venue: str | None = None,
    opened: bool = False,
) -> None:
    """Send ``text`` to Rasa as this chat and send every reply back, in order.

    Writing again ends a /stop. ``venue`` (a real venue code from a deep link) is kept for
    the chat and sent with this and every later message, as the web chat does.
    ``opened``: the text is /start's greeting, not typed (the transcript says so).
    """
    chat = update.effective_chat
    if chat is None:
        return
    bridge = bridge_of(context)
    pseudonym = bridge.pseudonym(chat.id)
    known = bridge.chat_ids.remember(pseudonym, chat.id)
    if known.stopped:
        known = bridge.chat_ids.set_stopped(pseudonym, chat.id, False)
    if venue is not None and venue != known.venue:
        known = bridge.chat_ids.set_venue(pseudonym, chat.id, venue)
    metadata: dict[str, Any] = {"venue": known.venue} if known.venue else {}
    if opened:
        metadata[OPENED_KEY] = True
    # Updates run concurrently; one chat's messages still go to Rasa one at a time.
    async with bridge.locks.setdefault(pseudonym, asyncio.Lock()):
        try:
            replies = await bridge.rasa.send(pseudonym, text, metadata or None)
            logger.info("telegram.message.forwarded replies=%d", len(replies))
        except Exception as error:
            logger.error("telegram.rasa.failed error=%s", type(error).__name__)
            replies = [{"text": SORRY}]
        if is_forget_request(text):  # Rasa erased the stored link; drop the cached one
            bridge.chat_ids.forget(pseudonym)
        for reply in replies:
            await deliver(context.bot, chat.id, reply, bridge.payloads)


def deep_link_venue(context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Return the venue code in ``/start CODE`` (a QR poster), if it is a real venue."""
    venues = bridge_of(context).venues
    code = venue_code(context.args[0]) if context.args and len(context.args) == 1 else None
    if code is None or venues is None:
        return None
    if not venues.known(code):
        logger.info("telegram.start.unknown_venue")
        return None
    return code


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets a young person who opens the bot: /start reaches Rasa as "hi".

    From a poster's QR code (``t.me/<bot>?start=CODE``) Telegram sends ``/start CODE``.
    """
    await forward(update, context, GREETING, venue=deep_link_venue(context), opened=True)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers /help with the emergency answer (Rasa hears "help")."""
    await forward(update, context, HELP)


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explains what happens to what they type (Rasa's privacy answer)."""
    await forward(update, context, PRIVACY)


async def stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stops out-of-band messages (check-ins, youth workers) until they write again.

    Nothing is deleted (that is /forget), and Rasa is not involved: the bridge refuses
    deliveries to a stopped chat (``callback_server.py``).
    """
    chat = update.effective_chat
    if chat is None:
        return
    bridge = bridge_of(context)
    bridge.chat_ids.set_stopped(bridge.pseudonym(chat.id), chat.id, True)
    logger.info("telegram.chat.stopped")
    for part in STOPPED:
        await context.bot.send_message(chat.id, part)


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
    try:  # only stops the button's spinner; too late (over 15 s) is no reason to stop
        await query.answer()
    except TelegramError as error:
        logger.warning("telegram.button.answer_failed error=%s", type(error).__name__)
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


async def error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs a failed update by error type only (no text, no ids)."""
    logger.error("telegram.update.failed error=%s", type(context.error).__name__)
