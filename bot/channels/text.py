"""What every channel does to a young person's text before Rasa sees it.

Rasa treats text starting with "/" as a command (``/restart``) or an intent with
entities (``/intent{...}``) and skips NLU, so a typed "/restart" would un-pause a
navigator's conversation and skip the risk detector. Only the exact payloads of the
buttons Waypoint itself offers (read from the domain) pass through; any other leading
slashes are removed so the words still reach NLU and the risk detector.

Identifying details (phone numbers, emails, full postcodes, addresses, handles) are
redacted here too, so they never reach the tracker store or an escalation.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

import yaml

from bot.privacy.redact import redact

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"
MAX_MESSAGE_CHARS = 20_000
LEADING_SLASHES = re.compile(r"^[\s/]+")  # "/restart", " //intent{...}" would skip NLU
FORGET = re.compile(r"\s*/forget(?:@\w+)?\s*", re.IGNORECASE)
# Metadata flag: the channel sent this text to open the chat (the page's first load,
# Telegram's /start); the young person did not type it. The transcript says so.
OPENED_KEY = "opened"


@lru_cache(maxsize=1)
def allowed_payloads(domain_dir: Path = DOMAIN_DIR) -> frozenset[str]:
    """Return every button payload in the domain's responses."""
    payloads: set[str] = set()
    for path in sorted(domain_dir.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for variations in (content.get("responses") or {}).values():
            for variation in variations or []:
                for button in variation.get("buttons") or []:
                    payload = button.get("payload")
                    if isinstance(payload, str) and payload.startswith("/"):
                        payloads.add(payload)
    return frozenset(payloads)


def clean_user_text(text: str, offered: Collection[str] = ()) -> str:
    """Return ``text`` safe to hand to Rasa and to store: button payloads kept, other
    "/" removed, identifying details redacted.

    ``offered`` adds payloads of buttons sent to this conversation by an action.
    """
    stripped = text.strip()
    if stripped in allowed_payloads() or stripped in offered:
        return stripped
    return redact(LEADING_SLASHES.sub("", stripped))


def is_forget_request(text: object) -> bool:
    """Return True for ``/forget`` (typed, a button, or Telegram's ``/forget@bot``).

    Channels erase the conversation themselves for it, before Rasa sees anything.
    """
    return isinstance(text, str) and FORGET.fullmatch(text) is not None
