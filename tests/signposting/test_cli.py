"""``waypoint directory``: search, validate, import and export through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.signposting.conftest import SMALL, write

REPO = Path(__file__).resolve().parents[2]


def waypoint(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "directory", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "WAYPOINT_DATA_DIR": str(tmp_path / "data"),
        "WAYPOINT_DIRECTORY_URL": f"sqlite:///{tmp_path / 'directory.db'}",
    }


def test_search_json_from_the_shipped_data_on_first_use(env: dict[str, str]) -> None:
    result = waypoint(
        "search",
        "--topic",
        "grief",
        "--area",
        "N1",
        "--age",
        "15",
        "--json",
        "--at",
        "2026-11-23T02:00Z",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["area"] == "islington" and answer["region"] == "london"
    assert answer["results"][0]["id"] == "islington-youth-hubs"
    assert all(r["max_age"] is None or r["max_age"] >= 15 for r in answer["results"])


def test_search_open_now_text(env: dict[str, str]) -> None:
    result = waypoint(
        "search",
        "--topic",
        "grief",
        "--area",
        "hillingdon",
        "--open-now",
        "--at",
        "2026-11-23T02:00Z",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Childline [national, open 24/7]" in result.stdout
    assert "Grief Encounter" not in result.stdout  # 9am-9pm weekdays: closed at 2am


def test_validate_reports_every_error_and_exits_non_zero(
    tmp_path: Path, env: dict[str, str]
) -> None:
    bad = write(
        tmp_path,
        SMALL.replace('"020 7946 0000"', '"12345"')
        .replace("topics: [grief]", "topics: [x]")
        .replace("topics: [unsafe, grief]", "topics: [unsafe, x]"),
    )
    result = waypoint("validate", str(bad), env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{bad}:13: contacts[0].value: '12345' is not a UK phone number",
        f"{bad}:30: topics: unknown topic 'x' (known: unsafe, grief, knives, exploitation, "
        "abuse_at_home, missing, crisis, parents, reporting, online)",
    ]


def test_import_refuses_a_bad_file_and_keeps_the_directory(
    tmp_path: Path, env: dict[str, str]
) -> None:
    good = write(tmp_path, SMALL, "good.yml")
    assert waypoint("import", str(good), env=env).returncode == 0
    bad = write(tmp_path, SMALL.replace("areas: [solihull]", "areas: [narnia]"), "bad.yml")
    result = waypoint("import", str(bad), env=env)
    assert result.returncode == 1
    assert f"{bad}:" in result.stderr and "areas: unknown area 'narnia'" in result.stderr
    assert "nothing imported" in result.stderr
    exported = waypoint("export", env=env)
    assert exported.returncode == 0
    assert "Solihull weekend club" in exported.stdout  # still the good file's data
    assert "Childline" not in exported.stdout  # an import is not replaced by shipped data


def test_export_round_trips(tmp_path: Path, env: dict[str, str]) -> None:
    exported = waypoint("export", env=env)
    assert exported.returncode == 0, exported.stderr
    again = tmp_path / "again.yml"
    again.write_text(exported.stdout)
    assert waypoint("validate", str(again), env=env).returncode == 0
    assert waypoint("import", str(again), env=env).returncode == 0
    second = waypoint("export", env=env)
    assert second.stdout == exported.stdout
