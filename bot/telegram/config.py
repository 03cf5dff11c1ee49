"""The bridge's settings, read from the environment only (stdlib, no pydantic).

Required keys have no default: a missing one stops the bridge with its name. The launcher
sets ``WAYPOINT_BRIDGE_SECRET`` (the same value Rasa's ``telegram`` channel gets).

``WAYPOINT_TELEGRAM_MODE`` is ``polling`` (the default: works behind any network, no
public address) or ``webhook`` (production: Telegram POSTs updates to
``WAYPOINT_TELEGRAM_WEBHOOK_URL``, each carrying ``WAYPOINT_TELEGRAM_WEBHOOK_SECRET`` in
the ``X-Telegram-Bot-Api-Secret-Token`` header; anything without it is refused).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot import settings

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_PORT = 5090
MIN_SECRET_CHARS = 16
MODES = ("polling", "webhook")
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1"  # behind the HTTPS reverse proxy on the same host
DEFAULT_WEBHOOK_PORT = 8443
# What Telegram accepts as a secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET = re.compile(rf"[A-Za-z0-9_-]{{{MIN_SECRET_CHARS},256}}")


def required(name: str, what: str) -> str:
    """Return environment variable ``name``, or stop with a message naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise RuntimeError(f"{name} is not set ({what})")
    return value


@dataclass(frozen=True)
class BridgeSettings:
    """Everything the bridge process needs."""

    token: str
    api_url: str
    rasa_url: str
    bridge_secret: str
    server_secret: bytes
    port: int
    db_url: str
    mode: str = "polling"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = DEFAULT_WEBHOOK_LISTEN
    webhook_port: int = DEFAULT_WEBHOOK_PORT

    @property
    def webhook_path(self) -> str:
        """The path the webhook server answers on: the public URL's path."""
        return urlsplit(self.webhook_url).path.strip("/")

    @classmethod
    def from_env(cls) -> BridgeSettings:
        """Read the settings from the environment."""
        bridge_secret = required("WAYPOINT_BRIDGE_SECRET", "shared with Rasa's telegram channel")
        if len(bridge_secret) < MIN_SECRET_CHARS:
            raise RuntimeError(f"WAYPOINT_BRIDGE_SECRET needs {MIN_SECRET_CHARS}+ characters")
        return cls(
            token=required("WAYPOINT_TELEGRAM_TOKEN", "the token from Telegram's BotFather"),
            api_url=os.environ.get("WAYPOINT_TELEGRAM_API_URL") or DEFAULT_API_URL,
            rasa_url=settings.rasa_url(),
            bridge_secret=bridge_secret,
            server_secret=settings.server_secret(),
            port=int(os.environ.get("WAYPOINT_BRIDGE_PORT", str(DEFAULT_PORT))),
            db_url=settings.db_url(),
            **webhook_from_env(),
        )


def webhook_from_env() -> dict[str, str | int]:
    """Read the mode and, in webhook mode, the webhook's settings (all required)."""
    mode = os.environ.get("WAYPOINT_TELEGRAM_MODE", "").strip().lower() or "polling"
    if mode not in MODES:
        raise RuntimeError(f"WAYPOINT_TELEGRAM_MODE must be one of {', '.join(MODES)}")
    if mode == "polling":
        return {"mode": mode}
    url = required("WAYPOINT_TELEGRAM_WEBHOOK_URL", "the public https:// address of the bridge")
    if urlsplit(url).scheme != "https" or not urlsplit(url).hostname:
        raise RuntimeError("WAYPOINT_TELEGRAM_WEBHOOK_URL must be an https:// address")
    secret = required("WAYPOINT_TELEGRAM_WEBHOOK_SECRET", "checked on every update")
    if not WEBHOOK_SECRET.fullmatch(secret):
        raise RuntimeError(
            f"WAYPOINT_TELEGRAM_WEBHOOK_SECRET needs {MIN_SECRET_CHARS}-256 characters "
            "of A-Z, a-z, 0-9, _ and - (Telegram's rule)"
        )
    return {
        "mode": mode,
        "webhook_url": url,
        "webhook_secret": secret,
        "webhook_listen": os.environ.get("WAYPOINT_TELEGRAM_WEBHOOK_LISTEN")
        or DEFAULT_WEBHOOK_LISTEN,
        "webhook_port": int(
            os.environ.get("WAYPOINT_TELEGRAM_WEBHOOK_PORT") or DEFAULT_WEBHOOK_PORT
        ),
    }
