"""Settings for every Waypoint process, read from the environment only.

The embedded default needs no configuration: data lives in ``WAYPOINT_DATA_DIR``
(default ``~/.local/share/waypoint``, outside the repository), and the server secret
used for pseudonyms is generated there on first run. Production sets
``WAYPOINT_SECRET`` and ``WAYPOINT_DB_URL`` explicitly.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "waypoint"
SECRET_FILE = "server-secret"  # noqa: S105 - a file name, not a secret


def data_dir() -> Path:
    """Return the data directory, creating it (private to this user) if missing."""
    path = Path(os.environ.get("WAYPOINT_DATA_DIR", str(DEFAULT_DATA_DIR))).expanduser()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def server_secret() -> bytes:
    """Return the pseudonymisation secret.

    ``WAYPOINT_SECRET`` wins. Otherwise a random secret is generated once and kept in
    the data directory with owner-only permissions, so pseudonyms stay stable across
    restarts without the secret ever being in the repository.
    """
    env = os.environ.get("WAYPOINT_SECRET")
    if env:
        return env.encode("utf-8")
    path = data_dir() / SECRET_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def db_url() -> str:
    """Return the SQLAlchemy URL for Waypoint's own tables (escalations, navigators)."""
    return os.environ.get("WAYPOINT_DB_URL") or f"sqlite:///{data_dir() / 'waypoint.db'}"


@dataclass(frozen=True)
class Ports:
    """Where each local process listens."""

    rasa: int = int(os.environ.get("WAYPOINT_RASA_PORT", "5005"))
    actions: int = int(os.environ.get("WAYPOINT_ACTIONS_PORT", "5055"))
    navigator: int = int(os.environ.get("WAYPOINT_NAVIGATOR_PORT", "5080"))
    bridge: int = int(os.environ.get("WAYPOINT_BRIDGE_PORT", "5090"))


def rasa_url() -> str:
    """Return the base URL of the Rasa server (used by the navigator console)."""
    return os.environ.get("WAYPOINT_RASA_URL", f"http://127.0.0.1:{Ports().rasa}")


def rasa_token() -> str:
    """Return the token for Rasa's HTTP API; derived from the server secret by default."""
    env = os.environ.get("WAYPOINT_RASA_TOKEN")
    if env:
        return env
    import hashlib

    return hashlib.sha256(b"rasa-api-token:" + server_secret()).hexdigest()[:40]
