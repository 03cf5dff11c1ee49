"""Fixtures: a check-in store on SQLite and PostgreSQL; the Telegram bridge fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.checkins.store import CheckinStore
from tests.navigator.conftest import postgres_url  # noqa: F401 - a fresh schema per test
from tests.telegram.conftest import (  # noqa: F401 - fixtures used by test_sender.py
    application,
    bot_api,
    chat_ids,
    rasa,
    settings,
)


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
