"""A directory built from a small test file, on SQLite or PostgreSQL."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from signposting.db import Directory
from tests.navigator.conftest import postgres_url  # noqa: F401 - the same fresh-schema fixture

# Services chosen to sit on each edge: ages, areas, topics and opening hours.
SMALL = """
organisations:
  - {id: org, name: Test organisation}
services:
  - id: local-hillingdon
    organisation: org
    name: Hillingdon youth team
    description: Local support.
    topics: [unsafe]
    areas: [hillingdon]
    min_age: 11
    max_age: 18
    access: self
    contacts: [{type: phone, value: "020 7946 0000"}]
    hours: [{days: mon-fri, open: "09:00", close: "17:00"}]
    source: https://example.org/hillingdon
    verified: 2026-11-01
  - id: london-wide
    name: London night line
    description: Regional support, late at night.
    topics: [unsafe]
    areas: [london]
    access: self
    contacts: [{type: phone, value: "020 7946 0001"}]
    hours: [{days: fri-sat, open: "22:00", close: "02:00"}]
    source: https://example.org/london
    verified: 2026-11-01
  - id: national-always
    name: National line
    description: Always open.
    topics: [unsafe, grief]
    areas: [national]
    max_age: 25
    access: self
    contacts: [{type: text, value: "85258", keyword: TEST}]
    hours: always
    source: https://example.org/national
    verified: 2026-11-01
  - id: national-unknown
    name: National hours unknown
    description: Hours unknown.
    topics: [unsafe]
    areas: [national]
    min_age: 19
    access: self
    hours: unknown
    source: https://example.org/unknown
    verified: 2026-11-01
  - id: islington-pro
    name: Islington team
    description: Through a professional.
    topics: [unsafe]
    areas: [islington]
    access: professional
    hours: unknown
    source: https://example.org/islington
    verified: 2026-11-01
  - id: solihull-weekend
    name: Solihull weekend club
    description: Weekends only.
    topics: [unsafe]
    areas: [solihull]
    access: self
    hours: [{days: sat-sun, open: "10:00", close: "16:00"}]
    source: https://example.org/solihull
    verified: 2026-11-01
"""


def write(tmp_path: Path, content: str, name: str = "dir.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(content).lstrip())
    return path


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    return write(tmp_path, SMALL)


@pytest.fixture
def directory(tmp_path: Path, small_file: Path) -> Directory:
    directory = Directory(f"sqlite:///{tmp_path / 'directory.db'}")
    directory.import_file(small_file)
    return directory
