"""Fixtures: a store on SQLite and PostgreSQL (own schema), the stand-in Rasa, the console."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import create_engine

from bot.navigator.hours import OpeningHours, parse_hours
from bot.navigator.store import EscalationStore
from tests.navigator.fake_rasa import FakeRasa
from tests.navigator.harness import PASSWORD, Console, running_console
from tests.services import require_postgres

ALWAYS_OPEN: OpeningHours = parse_hours(
    {
        "timezone": "Europe/London",
        "slots": [
            {
                "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "start": "00:00",
                "end": "24:00",
            }
        ],
    }
)
NEVER_OPEN: OpeningHours = parse_hours({"timezone": "Europe/London", "slots": []})


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'navigator.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    base = require_postgres()
    schema = f"nav_test_{uuid.uuid4().hex[:12]}"
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
def db_url(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def store(db_url: str) -> Iterator[EscalationStore]:
    store = EscalationStore(db_url, hours=ALWAYS_OPEN)
    yield store
    store.dispose()


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest_asyncio.fixture
async def console(tmp_path: Path, fake_rasa: FakeRasa) -> AsyncIterator[Console]:
    """The real console on a free port, with navigators Sam and Alex, always open."""
    store = EscalationStore(f"sqlite:///{tmp_path / 'console.db'}", hours=ALWAYS_OPEN)
    store.add_navigator(username="sam", display_name="Sam", password=PASSWORD)
    store.add_navigator(username="alex", display_name="Alex", password=PASSWORD)
    async with running_console(store, fake_rasa) as running:
        yield running
    store.dispose()
