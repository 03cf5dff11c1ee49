"""Venue codes: short, random, URL-safe, and valid everywhere a code travels.

Codes go into a Telegram deep link (``?start=``, ``A-Za-z0-9_-``, up to 64 characters)
and the web chat URL (``?v=``, which the page and channel accept as ``[a-z0-9-]{1,40}``),
so they use lower-case letters and digits only, without look-alikes (0/o, 1/l/i).
Ten characters from 31 give about 8 * 10**14 codes: guessing a real one is impractical.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 10
CODE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_code() -> str:
    """Return a fresh random venue code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: object) -> str | None:
    """Return ``text`` as a venue code if it has the shape of one, else None."""
    if not isinstance(text, str):
        return None
    code = text.strip().lower()
    return code if CODE.fullmatch(code) else None
