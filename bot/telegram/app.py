"""The Telegram bridge process: Bot API polling <-> Rasa's ``telegram`` channel.

``python -m bot.telegram`` (the launcher starts it when ``WAYPOINT_TELEGRAM_TOKEN`` is
set). Updates are fetched with getUpdates (polling); Rasa's out-of-band messages arrive
on the callback server (``callback_server.py``) in the same event loop.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.telegram import handlers
from bot.telegram.callback_server import make_app, start_server
from bot.telegram.chat_ids import ChatIds
from bot.telegram.config import BridgeSettings
from bot.telegram.handlers import Bridge, Rasa
from bot.telegram.rasa_client import RasaClient

logger = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def add_handlers(application: Application) -> None:
    """Register the callbacks, most specific first."""
    application.add_handler(CommandHandler("start", handlers.start, filters=PRIVATE))
    application.add_handler(CommandHandler("help", handlers.help_command, filters=PRIVATE))
    application.add_handler(MessageHandler(PRIVATE & filters.TEXT, handlers.text))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(MessageHandler(PRIVATE, handlers.not_text))
    application.add_error_handler(handlers.error)


def build_application(
    settings: BridgeSettings, rasa: Rasa | None = None, chat_ids: ChatIds | None = None
) -> Application:
    """Build the PTB application (and, on start, the callback server) from ``settings``."""
    client = rasa or RasaClient(settings.rasa_url, settings.bridge_secret)
    bridge = Bridge(
        rasa=client,
        chat_ids=chat_ids or ChatIds(settings.db_url, settings.server_secret),
        server_secret=settings.server_secret,
    )

    async def post_init(application: Application) -> None:
        """Starts the callback server once the bot is initialised."""
        server = make_app(application.bot, bridge, settings.bridge_secret)
        application.bot_data["runner"] = await start_server(server, settings.port)
        logger.info("telegram.bridge.started")

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
    application = build_application(BridgeSettings.from_env())
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])
