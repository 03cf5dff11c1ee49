"""Engine and session factories for the navigator store (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool, StaticPool

from bot.navigator.models import Base

WRITE_OPTION = "waypoint_write"
SQLITE_BUSY_MS = 15000


def _prepare_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, secure delete, a busy timeout, and BEGIN IMMEDIATE for writes.

    ``secure_delete`` overwrites deleted and replaced content with zeros, so words
    erased by "forget me" or retention are not left readable in the file's free pages.

    The action server and the console write the same file from different processes.
    A deferred transaction that reads and then writes can fail at once with "database
    is locked" instead of waiting; taking the write lock up front makes writers queue
    (up to the busy timeout), so an escalation is never dropped on contention.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """Owns one engine; hands out short read and write sessions."""

    def __init__(self, url: str, *, create_tables: bool = True) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        in_memory = self.is_sqlite and self.url.database in (None, "", ":memory:")
        if self.is_sqlite and not in_memory:
            # A small pool instead of 1.4's NullPool default for files: the console
            # polls several times a second, and reopening the file each time is waste.
            # Connections move between worker threads but are never shared at once.
            self.engine = create_engine(
                url,
                future=True,
                poolclass=QueuePool,
                pool_size=5,
                max_overflow=10,
                connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False},
            )
            _prepare_sqlite(self.engine)
        elif in_memory:  # one shared connection, or each thread would see an empty DB
            self.engine = create_engine(
                url,
                future=True,
                poolclass=StaticPool,
                connect_args={"check_same_thread": False},
            )
            _prepare_sqlite(self.engine)
        else:
            self.engine = create_engine(url, future=True, pool_pre_ping=True)
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        if create_tables:
            Base.metadata.create_all(self._write_engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        with Session(self.engine, future=True, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed on leaving the block, or rolled back."""
        session = Session(self._write_engine, future=True, expire_on_commit=False)
        with session, session.begin():
            yield session

    def checkpoint(self) -> None:
        """SQLite: move the write-ahead log into the file and empty it (after erasing,
        so old page images do not linger in the log). Nothing to do on PostgreSQL."""
        checkpoint_sqlite(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def checkpoint_sqlite(engine: Engine) -> None:
    """Run ``PRAGMA wal_checkpoint(TRUNCATE)`` if ``engine`` is SQLite in WAL mode."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
