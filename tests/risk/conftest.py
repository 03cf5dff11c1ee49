"""Shared fixtures for the risk detector tests."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.risk.detector import DEFAULT_LEXICON_DIR, RiskDetector

DATA = Path(__file__).parent / "data"
BLIND = "heldout35.tsv"
"""The blind set: measured by bench/risk_check.py, never trained or tuned on. When it
has been measured, the next session writes a new one and this name moves on."""


def dev_number(name: str) -> int:
    """dev7.tsv -> 7 (dev.tsv is the first)."""
    return int(name.removeprefix("dev").removesuffix(".tsv") or 1)


DEV_FILES = sorted((p.name for p in DATA.glob("dev*.tsv")), key=dev_number)
PASSES = [name for name in DEV_FILES if dev_number(name) >= 14]
"""The lexicon passes written from a blind set's misses since session 5: each file holds
paraphrases and must-not-match lines, and the lexicon alone must keep getting them right
(earlier dev4-dev13 also train the learned signal and are not all the lexicon's own)."""


@dataclass(frozen=True)
class Labelled:
    """One labelled message from dev.tsv or heldout.tsv."""

    line: int
    text: str
    level: str
    categories: frozenset[str]


def load_tsv(name: str) -> list[Labelled]:
    """Read text<TAB>level<TAB>categories rows (first row is the header)."""
    rows = []
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == ["text", "level", "categories"], header
        for number, row in enumerate(reader, start=2):
            assert len(row) == 3, f"{name}:{number}: expected 3 columns, got {row!r}"
            text, level, cats = row
            rows.append(Labelled(number, text, level, frozenset(c for c in cats.split(",") if c)))
    return rows


@pytest.fixture
def lexicon_dir(tmp_path: Path) -> Path:
    """A writable copy of the real lexicon."""
    target = tmp_path / "risk"
    shutil.copytree(DEFAULT_LEXICON_DIR, target)
    return target


def rewrite(path: Path, change: Callable[[Any], Any]) -> None:
    """Load a lexicon file, let ``change`` edit it, write it back."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="session")
def detector() -> RiskDetector:
    """The production detector (lexicon + learned signal), loaded once per test session."""
    return RiskDetector.from_dir()


@pytest.fixture(scope="session")
def lexicon_only(detector: RiskDetector) -> RiskDetector:
    """The same lexicon without the learned signal: what the lexicon itself decides."""
    return RiskDetector(detector.lexicon, None)
