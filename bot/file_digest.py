"""One way to hash a set of files, for the caches keyed by their inputs (the Rasa model,
bot/training.py; the learned risk signal, bot/risk/learned_cache.py).

Names are taken relative to the repository, so a checkout in another folder has the same
keys and reuses what it already built.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def files_digest(files: Iterable[Path], *, salt: str = "") -> hashlib._Hash:
    """A SHA-256 over ``salt``, then each file's name and bytes, in the order given."""
    digest = hashlib.sha256(salt.encode())
    for path in files:
        resolved = path.resolve()
        name = resolved.relative_to(REPO) if resolved.is_relative_to(REPO) else resolved
        digest.update(str(name).encode())
        digest.update(b"\0")
        digest.update(resolved.read_bytes())
        digest.update(b"\0")
    return digest
