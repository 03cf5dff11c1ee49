"""The directory database: where it is, and loading the shipped data into it lazily.

``WAYPOINT_DIRECTORY_URL`` (any SQLAlchemy URL) or ``sqlite:///<data_dir>/directory.db``.
The shipped ``data/services.yml`` is imported the first time the directory is used and
again whenever the file's hash changes, so a fresh clone needs no extra command. A
directory filled with ``waypoint directory import FILE`` is not overwritten.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from signposting.loader import check_file, file_hash, replace_directory
from signposting.models import Base, DirectoryMeta

SHIPPED_DATA = Path(__file__).parent / "data" / "services.yml"


class InvalidDirectoryFile(Exception):
    """A directory file with problems; ``problems`` holds the formatted lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def directory_url() -> str:
    """``WAYPOINT_DIRECTORY_URL``, or SQLite in the data directory."""
    url = os.environ.get("WAYPOINT_DIRECTORY_URL")
    if url:
        return url
    from bot.settings import data_dir  # only here: the CLI and tests may pass a URL

    return f"sqlite:///{data_dir() / 'directory.db'}"


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    engine = create_engine(
        url,
        future=True,
        poolclass=StaticPool if in_memory else None,
        connect_args={"check_same_thread": False, "timeout": 15},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


class Directory:
    """One engine over the directory tables, with read sessions and whole-file imports."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or directory_url()
        self.engine = _engine(self.url)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)
        self._lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries."""
        with self._sessions() as session:
            yield session

    def meta(self) -> dict[str, str]:
        """What was loaded: ``data_hash`` and ``origin`` ("shipped" or "import"); {} if empty."""
        with self.read() as session:
            return {row.key: row.value for row in session.execute(select(DirectoryMeta)).scalars()}

    def import_file(self, path: Path, *, origin: str = "import") -> int:
        """Replace the directory with ``path`` in one transaction; all or nothing.

        Raises ``InvalidDirectoryFile`` (and changes nothing) if the file has any problem.
        Returns the number of services imported.
        """
        checked = check_file(path)
        if checked.problems:
            raise InvalidDirectoryFile([p.format(str(path)) for p in checked.problems])
        with self._lock, self._sessions() as session, session.begin():
            replace_directory(session, checked, file_hash(path), origin)
        return len(checked.services)

    def ensure_loaded(self, path: Path = SHIPPED_DATA) -> None:
        """Import the shipped data if the directory is empty or holds an older version of it.

        A directory filled by ``waypoint directory import`` is left alone.
        """
        meta = self.meta()
        if not meta or (meta.get("origin") == "shipped" and meta["data_hash"] != file_hash(path)):
            self.import_file(path, origin="shipped")


_default: Directory | None = None
_default_lock = threading.Lock()


def default_directory() -> Directory:
    """The process-wide directory at ``directory_url()``, loaded with the shipped data."""
    global _default
    with _default_lock:
        if _default is None or _default.url != directory_url():
            directory = Directory()
            directory.ensure_loaded()
            _default = directory
        return _default
