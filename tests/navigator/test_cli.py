"""``waypoint navigator add|list|serve`` and ``python -m bot.navigator``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.navigator import cli
from bot.navigator.store import EscalationStore
from tests.navigator.harness import free_port

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("WAYPOINT_DB_URL", url)
    monkeypatch.setenv("WAYPOINT_DATA_DIR", str(tmp_path / "data"))
    return url


def feed_stdin(monkeypatch: pytest.MonkeyPatch, text: str, tty: bool = False) -> None:
    stream = io.StringIO(text)
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", stream)


def test_add_from_stdin_and_list(
    db_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_stdin(monkeypatch, "a long passphrase\n")
    assert cli.add_navigator_command(["Sam", "--name", "Sam", "--password-stdin"]) == 0
    store = EscalationStore(db_env)
    assert store.authenticate(username="sam", password="a long passphrase") is not None
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "sam" in out and "Sam" in out and "never" in out
    assert "a long passphrase" not in out
    feed_stdin(monkeypatch, "another long passphrase\n")
    assert cli.main(["add", "sam", "--name", "Sam", "--password-stdin"]) == 1
    assert "already taken" in capsys.readouterr().err
    store.dispose()


def test_password_prompt(
    db_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_stdin(monkeypatch, "", tty=False)
    assert cli.main(["add", "alex", "--name", "Alex"]) == 1
    assert "--password-stdin" in capsys.readouterr().err
    feed_stdin(monkeypatch, "", tty=True)
    answers = iter(["a long passphrase", "a different one!!"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["add", "alex", "--name", "Alex"]) == 1
    assert "different" in capsys.readouterr().err
    answers = iter(["a long passphrase", "a long passphrase"])
    assert cli.main(["add", "alex", "--name", "Alex"]) == 0
    feed_stdin(monkeypatch, "short\n")
    assert cli.main(["add", "kim", "--name", "Kim", "--password-stdin"]) == 1
    assert "too weak" in capsys.readouterr().err


def test_set_password_and_usage(db_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, "a long passphrase\n")
    assert cli.main(["add", "sam", "--name", "Sam", "--password-stdin"]) == 0
    feed_stdin(monkeypatch, "a brand new passphrase\n")
    assert cli.main(["set-password", "sam", "--password-stdin"]) == 0
    store = EscalationStore(db_env)
    assert store.authenticate(username="sam", password="a brand new passphrase") is not None
    store.dispose()
    assert cli.main(["--help"]) == 0
    assert cli.main(["no-such-command"]) == 2


def test_python_m_bot_navigator_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "WAYPOINT_DB_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "WAYPOINT_DATA_DIR": str(tmp_path / "data"),
        "WAYPOINT_NAVIGATOR_PORT": str(port),
        "WAYPOINT_RASA_URL": "http://127.0.0.1:9",
        "WAYPOINT_RASA_TOKEN": "unused",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.navigator"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline, response = time.monotonic() + 30, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, "console did not start"
        assert response.status_code == 200
        assert response.headers["x-frame-options"] == "DENY"
        assert "Sign in" in response.text
    finally:
        process.terminate()
        output = process.communicate(timeout=15)[0].decode()
    assert f"http://127.0.0.1:{port}/" in output
