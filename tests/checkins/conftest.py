"""Fixtures: a check-in store on SQLite and PostgreSQL; the Telegram bridge fixtures."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from bot.checkins.store import CheckinStore
from tests.services import require_postgres
from tests.telegram.conftest import (  # noqa: F401 - fixtures used by test_sender.py
    application,
    bot_api,
    chat_ids,
    rasa,
    settings,
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    base = require_postgres()
    schema = f"checkin_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, future=True)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    joiner = "&" if "?" in base else "?"
    try:
        yield f"{base}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CheckinStore]:
    """The store once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'waypoint.db'}"
    else:
        url = str(request.getfixturevalue("postgres_url"))
    checkins = CheckinStore(url)
    yield checkins
    checkins.dispose()
