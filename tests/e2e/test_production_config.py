"""The production configuration: conversations and escalations in PostgreSQL, locks in Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.channels.pseudonym import pseudonymise
from bot.launcher import Stack, StackConfig, free_port
from bot.training import REPO
from tests.e2e.chat import joined, say
from tests.services import require_postgres, require_redis

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A fresh PostgreSQL database for this module, dropped afterwards."""
    base = require_postgres()
    name = f"waypoint_e2e_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def production_stack(
    database: str, model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    host, port = require_redis()
    tmp = tmp_path_factory.mktemp("production")
    config = StackConfig(
        data_dir=tmp / "data",
        rasa_port=free_port(),
        actions_port=free_port(),
        navigator_port=free_port(),
        tracker_url=database,
        endpoints=REPO / "bot" / "endpoints.production.yml",
        log_dir=tmp / "logs",
        extra_env={
            "WAYPOINT_SECRET": "production-test-secret",
            "WAYPOINT_DB_URL": database,
            "WAYPOINT_REDIS_HOST": host,
            "WAYPOINT_REDIS_PORT": str(port),
        },
    )
    stack = Stack(config)
    stack.start_actions()
    stack.start_rasa(model)
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()


def test_conversation_is_kept_in_postgres_under_a_pseudonym(
    production_stack: Stack, database: str
) -> None:
    sender = f"prod-{uuid.uuid4().hex[:8]}"
    assert "chatbot, not a person" in joined(say(production_stack, sender, "hello"))
    pseudonym = pseudonymise("rest", sender, secret=b"production-test-secret")
    engine = sa.create_engine(database, future=True)
    with engine.connect() as connection:
        ids = set(connection.execute(sa.text("SELECT DISTINCT sender_id FROM events")).scalars())
    engine.dispose()
    assert pseudonym in ids and sender not in ids


def test_escalation_is_stored_in_postgres(production_stack: Stack, database: str) -> None:
    sender = f"prod-{uuid.uuid4().hex[:8]}"
    text = joined(say(production_stack, sender, "/not_safe"))
    assert "call 999" in text
    pseudonym = pseudonymise("rest", sender, secret=b"production-test-secret")
    engine = sa.create_engine(database, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT level FROM escalations WHERE conversation_id = :c"), {"c": pseudonym}
        ).all()
    engine.dispose()
    assert [row[0] for row in rows] == ["immediate"]
