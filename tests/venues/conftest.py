"""Fixtures: a venue store on SQLite and on PostgreSQL (a fresh schema, dropped after)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.venues.store import VenueStore
from tests.navigator.conftest import postgres_url, sqlite_url

__all__ = ["postgres_url", "sqlite_url"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def store(db_url: str) -> Iterator[VenueStore]:
    venues = VenueStore(db_url)
    yield venues
    venues.dispose()
