"""Fixtures: a venue store on SQLite and on PostgreSQL (a fresh schema, dropped after)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.venues.store import VenueStore
from tests.navigator.conftest import db_url, postgres_url, sqlite_url

__all__ = ["db_url", "postgres_url", "sqlite_url"]  # each test runs on SQLite and PostgreSQL


@pytest.fixture
def store(db_url: str) -> Iterator[VenueStore]:
    venues = VenueStore(db_url)
    yield venues
    venues.dispose()
