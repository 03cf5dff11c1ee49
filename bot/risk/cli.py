"""`waypoint risk-check`: assess messages from stdin, one JSON object per line out.

Each input line is either plain text or a JSON object with a "text" field. Every input
line gives exactly one output line:

    {"text": ..., "level": ..., "categories": [...], "evidence": [...]}

A JSON line may also carry "previous", the writer's message before this one: the text is
then read as the channels read a reply ("its me btw" after "if my mate had a blade in his
bag would you tell the school" is read with it; RiskDetector.assess_reply), so a
conversation's owning up can be evaluated offline too.

A line that starts with "{" but is not valid JSON (or has no string "text", or a
"previous" that is not a string) gives {"line": N, "input": ..., "error": ...} and the
run continues. A blank line gives level "none". Loads only spaCy and the lexicon, never
Rasa.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.risk.detector import LexiconError, RiskDetector


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="waypoint risk-check",
        description="Assess messages for risk. Reads lines (plain text or JSON with a "
        '"text" field) from stdin and writes one JSON object per line to stdout.',
    )
    parser.add_argument(
        "--lexicon",
        metavar="DIR",
        type=Path,
        default=None,
        help="lexicon directory (default: data/risk in the repository)",
    )
    return parser.parse_args(argv)


def _text_of(line: str) -> tuple[str | None, str | None, str | None]:
    """Return (text, previous, error) for one input line."""
    stripped = line.strip()
    if not stripped.startswith("{"):
        return line.rstrip("\r\n"), None, None
    try:
        obj = json.loads(stripped)
    except json.JSONDecodeError as exc:
        return None, None, f"invalid JSON: {exc.msg} (column {exc.colno})"
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return None, None, 'JSON line needs a string "text" field'
    previous = obj.get("previous")
    if previous is not None and not isinstance(previous, str):
        return None, None, '"previous" must be a string when given'
    return obj["text"], previous, None


def check_lines(detector: RiskDetector, lines: Iterable[str], out: TextIO) -> int:
    """Assess each line and write one JSON result per line; return the error count."""
    errors = 0
    for number, line in enumerate(lines, start=1):
        text, previous, error = _text_of(line)
        if error is not None:
            errors += 1
            record: dict = {"line": number, "input": line.rstrip("\r\n"), "error": error}
        else:
            record = {"text": text, **detector.assess_reply(text, previous).to_dict()}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return errors


def main(argv: list[str] | None = None) -> int:
    """Run the checker. Exit 0 (bad lines are reported inline), 2 on a lexicon error."""
    args = _parse_args(argv)
    try:
        detector = RiskDetector.from_dir(args.lexicon)
    except LexiconError as exc:
        print(f"waypoint risk-check: lexicon error: {exc}", file=sys.stderr)
        return 2
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(encoding="utf-8", errors="replace")
    stdout = sys.stdout
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(encoding="utf-8")
    check_lines(detector, stdin, stdout)
    return 0
