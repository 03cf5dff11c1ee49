"""Pseudonymous sender ids.

A platform id (a Telegram chat id, a web session token, a REST ``sender``) is turned
into ``HMAC-SHA256(server_secret, "<channel>:<platform id>")``. The tracker store,
escalations and logs only ever see the result. Without the secret the mapping cannot be
reversed or recomputed; the same person on the same channel keeps the same pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.settings import server_secret

PREFIX = "wp-"


def pseudonymise(channel: str, platform_id: str, secret: bytes | None = None) -> str:
    """Return the pseudonym for ``platform_id`` seen on ``channel``."""
    key = secret if secret is not None else server_secret()
    digest = hmac.new(key, f"{channel}:{platform_id}".encode(), hashlib.sha256)
    return PREFIX + digest.hexdigest()
