"""`python -m bot.risk` (= `waypoint risk-check`): JSON lines in, JSON lines out, no Rasa."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.risk.cli import check_lines, main
from bot.risk.detector import RiskDetector

REPO = Path(__file__).resolve().parents[2]
INPUT = (
    "\n".join(
        [
            "I carry a knife for protection",
            json.dumps({"text": "my mate carries a blade", "id": 7}),
            "",
            '{"text": not json',
            json.dumps({"message": "no text field"}),
            json.dumps({"text": "😂 I'm dead 😂"}, ensure_ascii=False),
            "is it illegal to carry a knife?",
        ]
    )
    + "\n"
)


def run_module(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot.risk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def completed() -> subprocess.CompletedProcess[str]:
    return run_module(INPUT)


def test_one_json_object_per_input_line(completed: subprocess.CompletedProcess[str]) -> None:
    assert completed.returncode == 0, completed.stderr[-2000:]
    records = [json.loads(line) for line in completed.stdout.splitlines()]
    assert len(records) == len(INPUT.splitlines())
    ok = [r for r in records if "error" not in r]
    for record in ok:
        assert set(record) == {"text", "level", "categories", "evidence"}
        assert isinstance(record["categories"], list)
        assert isinstance(record["evidence"], list)
    assert [r["level"] for r in ok] == ["high", "medium", "none", "none", "low"]
    assert records[1]["text"] == "my mate carries a blade"
    assert records[2] == {"text": "", "level": "none", "categories": [], "evidence": []}
    assert records[3]["line"] == 4 and "invalid JSON" in records[3]["error"]
    assert records[4]["line"] == 5 and '"text"' in records[4]["error"]
    assert "😂" in completed.stdout  # ensure_ascii=False


def test_rasa_is_not_imported(completed: subprocess.CompletedProcess[str]) -> None:
    imported = {
        line.split("|")[-1].strip()
        for line in completed.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "spacy" in imported
    assert not {m for m in imported if m == "rasa" or m.startswith("rasa.")}


def test_modules_loaded_by_a_run() -> None:
    """After a full run, neither Rasa nor TensorFlow is in sys.modules (spaCy only)."""
    code = (
        "import io, json, sys\n"
        "sys.stdin = io.StringIO('I carry a knife\\n')\n"
        "from bot.risk.cli import main\n"
        "main([])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('rasa', 'tensorflow', 'spacy'))\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in loaded})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == ["spacy"]


def test_lexicon_option_and_error(tmp_path: Path) -> None:
    (tmp_path / "_spelling.yml").write_text("variants: {}\n", encoding="utf-8")
    done = run_module("hello\n", "--lexicon", str(tmp_path))
    assert done.returncode == 2
    assert "lexicon error" in done.stderr


def test_in_process_main_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("i want to die\n"))
    assert main([]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["level"] == "high"
    assert record["categories"] == ["suicide_self_harm"]


def test_check_lines_counts_errors(detector: RiskDetector) -> None:
    out = io.StringIO()
    errors = check_lines(detector, ["ok\n", "{bad\n", "[1, 2]\n"], out)
    assert errors == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[2]["text"] == "[1, 2]"  # not an object: treated as plain text


def test_previous_message_reads_an_own_up_with_it(detector: RiskDetector) -> None:
    """A JSON line's "previous" is read as the channels read a reply (assess_reply)."""
    question = "if my mate had a blade in his bag would you tell the school"
    lines = [
        json.dumps({"text": "its me btw"}) + "\n",
        json.dumps({"text": "its me btw", "previous": question}) + "\n",
        json.dumps({"text": "its me btw", "previous": ["not", "text"]}) + "\n",
    ]
    out = io.StringIO()
    assert check_lines(detector, lines, out) == 1
    alone, together, bad = (json.loads(line) for line in out.getvalue().splitlines())
    assert alone["level"] in ("none", "low")
    assert together["text"] == "its me btw"
    assert together["level"] == "high"
    assert "weapon_carrying" in together["categories"]
    assert set(together) == {"text", "level", "categories", "evidence"}
    assert bad["line"] == 3 and '"previous"' in bad["error"]
