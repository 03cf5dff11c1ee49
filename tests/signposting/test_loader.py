"""Validation messages (FILE:LINE: field: problem) and all-or-nothing imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from signposting.db import SHIPPED_DATA, Directory, InvalidDirectoryFile
from signposting.loader import validate
from signposting.models import Service
from tests.signposting.conftest import SMALL, write

GOOD = """\
services:
  - id: one
    name: One
    description: A service.
    topics: [grief]
    areas: [national]
    access: self
    contacts:
      - {type: phone, value: "0800 1111"}
    hours: always
    source: https://example.org
    verified: 2026-11-01
"""


def problems_for(tmp_path: Path, replace: tuple[str, str], extra: str = "") -> list[str]:
    old, new = replace
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new) + extra)
    return validate(path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'value: "0800 1111"',
            'value: "0800 11"',
            ":9: contacts[0].value: " "'0800 11' is not a UK phone number",
        ),
        ("topics: [grief]", "topics: [grief, fishing]", ":5: topics: unknown topic 'fishing'"),
        (
            "access: self",
            "min_age: 18\n    max_age: 12\n    access: self",
            ":7: min_age: minimum age 18 is above maximum age 12",
        ),
        ("areas: [national]", "areas: [atlantis]", ":6: areas: unknown area 'atlantis'"),
        (
            "hours: always",
            'hours: [{days: mon, open: "25:00", close: "26:00"}]',
            ":10: hours[0]: impossible hours: '25:00' is not a time like 09:00",
        ),
        (
            "hours: always",
            'hours: [{days: mon, open: "10:00", close: "10:00"}]',
            ":10: hours[0]: impossible hours: opens and closes at the same time",
        ),
        ("    source: https://example.org\n", "", ":2: source: missing"),
        ("verified: 2026-11-01", "verified: 2099-01-01", ":12: verified: 2099-01-01 is in"),
        (
            '{type: phone, value: "0800 1111"}',
            '{type: text, value: "85258", keyword: shout}',
            ":9: contacts[0].keyword: 'shout': use capital letters and digits",
        ),
    ],
)
def test_each_kind_of_error(tmp_path: Path, old: str, new: str, expected: str) -> None:
    problems = problems_for(tmp_path, (old, new))
    assert len(problems) == 1, problems
    assert problems[0].startswith(str(tmp_path / "dir.yml") + ":")
    assert expected in problems[0], problems[0]


def test_duplicate_id(tmp_path: Path) -> None:
    second = GOOD.split("services:\n", 1)[1]
    problems = validate(write(tmp_path, GOOD + second))
    assert problems == [f"{tmp_path / 'dir.yml'}:13: id: duplicate id 'one' (first at line 2)"]


def test_every_error_is_reported_not_just_the_first(tmp_path: Path) -> None:
    bad = (
        GOOD.replace('value: "0800 1111"', 'value: "12"')
        .replace("topics: [grief]", "topics: [nope]")
        .replace("areas: [national]", "areas: [nowhere]")
    )
    problems = validate(write(tmp_path, bad))
    assert [p.split(": ", 1)[0].rsplit(":", 1)[1] for p in problems] == ["5", "6", "9"]


def test_unparseable_yaml_is_one_error_with_its_line(tmp_path: Path) -> None:
    problems = validate(write(tmp_path, "services:\n  - id: [unclosed\n"))
    assert len(problems) == 1 and ": yaml: " in problems[0]


def test_shipped_data_is_valid() -> None:
    assert validate(SHIPPED_DATA) == []


def test_import_is_all_or_nothing(tmp_path: Path, directory: Directory) -> None:
    with directory.read() as session:
        before = session.execute(select(func.count(Service.id))).scalar_one()
    assert before == 6
    bad = write(tmp_path, SMALL.replace("access: professional", "access: maybe"), "bad.yml")
    with pytest.raises(InvalidDirectoryFile) as raised:
        directory.import_file(bad)
    assert raised.value.problems and "access: 'maybe'" in raised.value.problems[0]
    with directory.read() as session:
        assert session.execute(select(func.count(Service.id))).scalar_one() == before


def test_shipped_data_loads_lazily_once_and_reloads_when_it_changes(tmp_path: Path) -> None:
    directory = Directory(f"sqlite:///{tmp_path / 'lazy.db'}")
    assert directory.meta() == {}
    data = write(tmp_path, GOOD, "shipped.yml")
    directory.ensure_loaded(data)
    assert directory.meta()["origin"] == "shipped"
    first = directory.meta()["data_hash"]
    directory.ensure_loaded(data)
    assert directory.meta()["data_hash"] == first
    data.write_text(GOOD.replace("name: One", "name: One, renamed"))
    directory.ensure_loaded(data)
    assert directory.meta()["data_hash"] != first
    with directory.read() as session:
        assert session.execute(select(Service.name)).scalar_one() == "One, renamed"


def test_an_imported_directory_is_not_overwritten_by_the_shipped_data(
    tmp_path: Path, directory: Directory
) -> None:
    directory.ensure_loaded(write(tmp_path, GOOD, "shipped.yml"))
    with directory.read() as session:
        assert session.execute(select(func.count(Service.id))).scalar_one() == 6


def test_postgres_import_search_and_rollback(
    postgres_url: str, small_file: Path, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from signposting.search import search

    directory = Directory(postgres_url)
    assert directory.import_file(small_file) == 6
    with directory.read() as session:
        page = search(
            session, "unsafe", "UB3", 15, at=datetime(2026, 11, 30, 12, tzinfo=UTC), limit=10
        )
    assert [r.id for r in page.results][:2] == ["local-hillingdon", "london-wide"]
    bad = write(tmp_path, SMALL.replace('value: "85258"', 'value: "1"'), "bad.yml")
    with pytest.raises(InvalidDirectoryFile):
        directory.import_file(bad)
    with directory.read() as session:
        assert session.execute(select(func.count(Service.id))).scalar_one() == 6
    directory.engine.dispose()
