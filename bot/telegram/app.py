"""The Telegram bridge process: Telegram's Bot API <-> Rasa's ``telegram`` channel.

``python -m bot.telegram`` (the launcher starts it when ``WAYPOINT_TELEGRAM_TOKEN`` is
set). Updates are fetched with getUpdates (polling, the default) or POSTed by Telegram
to PTB's webhook server (``WAYPOINT_TELEGRAM_MODE=webhook``, which checks Telegram's
``secret_token`` header on every update). Rasa's out-of-band messages arrive on the
callback server (``callback_server.py``) in the same event loop. Every Bot API call goes
through ``retry.RetryingLimiter``.
"""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.telegram import handlers, media
from bot.telegram.callback_server import make_app, start_server
from bot.telegram.chat_ids import ChatIds
from bot.telegram.config import BridgeSettings
from bot.telegram.handlers import Bridge, Rasa
from bot.telegram.rasa_client import RasaClient
from bot.telegram.retry import READ_TIMEOUT_S, RetryingLimiter, RetryPolicy
from bot.venues.store import VenueStore

logger = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
# The menu Telegram shows next to the text box. /forget is answered by Rasa's channel.
COMMANDS = [
    BotCommand("help", "Help now: what to do if you're in danger"),
    BotCommand("privacy", "What happens to what you type"),
    BotCommand("stop", "Stop messages from Waypoint until you write again"),
    BotCommand("forget", "Delete this chat"),
]


def add_handlers(application: Application) -> None:
    """Register the callbacks, most specific first."""
    application.add_handler(CommandHandler("start", handlers.start, filters=PRIVATE))
    application.add_handler(CommandHandler("help", handlers.help_command, filters=PRIVATE))
    application.add_handler(CommandHandler("privacy", handlers.privacy, filters=PRIVATE))
    application.add_handler(CommandHandler("stop", handlers.stop, filters=PRIVATE))
    application.add_handler(MessageHandler(PRIVATE & filters.TEXT, handlers.text))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(MessageHandler(PRIVATE, media.not_text))
    application.add_error_handler(handlers.error)


def build_application(
    settings: BridgeSettings,
    rasa: Rasa | None = None,
    chat_ids: ChatIds | None = None,
    retry: RetryPolicy | None = None,
) -> Application:
    """Build the PTB application (and, on start, the callback server) from ``settings``."""
    client = rasa or RasaClient(settings.rasa_url, settings.bridge_secret)
    bridge = Bridge(
        rasa=client,
        chat_ids=chat_ids or ChatIds(settings.db_url, settings.server_secret),
        server_secret=settings.server_secret,
        venues=VenueStore(settings.db_url),
    )

    async def post_init(application: Application) -> None:
        """Starts the callback server and shows the command menu once the bot is ready."""
        server = make_app(application.bot, bridge, settings.bridge_secret)
        application.bot_data["runner"] = await start_server(server, settings.port)
        try:
            await application.bot.set_my_commands(COMMANDS)
        except TelegramError as error:  # only the menu: the commands work without it
            logger.warning("telegram.commands.not_set error=%s", type(error).__name__)
        logger.info("telegram.bridge.started mode=%s", settings.mode)

    async def post_shutdown(application: Application) -> None:
        """Stops the callback server and closes the Rasa client."""
        runner = application.bot_data.get("runner")
        if runner is not None:
            await runner.cleanup()
        if isinstance(client, RasaClient):
            await client.close()

    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .read_timeout(READ_TIMEOUT_S)
        .rate_limiter(RetryingLimiter(retry))
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["bridge"] = bridge
    add_handlers(application)
    return application


def main() -> None:
    """Run the bridge until SIGINT/SIGTERM."""
    from bot.logs import install

    install(logging.INFO)  # structured; also quietens httpx, whose URLs hold the token
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = BridgeSettings.from_env()
    application = build_application(settings)
    if settings.mode == "webhook":
        # Listens on plain HTTP (WAYPOINT_TELEGRAM_WEBHOOK_LISTEN:PORT, 127.0.0.1:8443 by
        # default) behind the HTTPS proxy that WAYPOINT_TELEGRAM_WEBHOOK_URL points at.
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
