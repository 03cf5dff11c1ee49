"""Password hashing for navigator accounts (stdlib scrypt, per-user salt)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 12


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=2**26
    )


def hash_password(password: str) -> str:
    """Return ``scrypt$n$r$p$salt$key`` for ``password`` with a fresh random salt."""
    if not password:
        raise ValueError("password must not be empty")
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, N, R, P)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, encoded: str) -> bool:
    """Return True if ``password`` matches ``encoded`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, key = encoded.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(key)
        actual = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# Checked against when the username is unknown, so a miss costs as long as a hit.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def burn_time(password: str) -> None:
    """Spend the time a real verification would, for unknown usernames."""
    verify_password(password, _DUMMY_HASH)


def check_strength(password: str) -> str | None:
    """Return a reason the password is unacceptable, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if password.strip() != password:
        return "no spaces at the start or end"
    return None
