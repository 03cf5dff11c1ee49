"""The bridge's settings, read from the environment only (stdlib, no pydantic).

Required keys have no default: a missing one stops the bridge with its name. The launcher
sets ``WAYPOINT_BRIDGE_SECRET`` (the same value Rasa's ``telegram`` channel gets).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from bot import settings

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_PORT = 5090
MIN_SECRET_CHARS = 16


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
        )
