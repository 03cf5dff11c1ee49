"""Gaps ("~N") are matched with one "*" per run and checked exactly (patterns.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.risk.detector as detector_module
from bot.risk.detector import RiskDetector
from bot.risk.lexicon import load_lexicon
from bot.risk.patterns import Exact, collapse_gaps
from tests.risk.conftest import DATA, DEV_FILES, load_tsv, rewrite

GAP = {"OP": "?"}


def test_a_run_of_gap_tokens_becomes_one_star() -> None:
    word = {"NORM": "knife"}
    assert collapse_gaps([word, GAP, GAP, GAP, word]) == [word, {"OP": "*"}, word]
    # One gap token, an optional word and "_" (exactly one token) stay as they are.
    single = [word, GAP, {"NORM": "bag", "OP": "?"}, {}, word]
    assert collapse_gaps(single) == single


def test_exact_keeps_each_gap_to_its_own_length() -> None:
    a, b, c = ({"NORM": w} for w in "abc")
    check = Exact([[a, GAP, GAP, b, GAP, c]])  # "a ~2 b ~1 c"
    assert check(list("ab" "c"))
    assert check(list("axyb" "zc"))
    assert not check(list("axyzbc"))  # three words in the first gap
    assert not check(list("abxyc"))  # two in the second
    assert not check(list("axyb"))  # no "c"
    assert not check(list("abcx"))  # the span must end with the pattern


def test_exact_reads_choices_regexes_and_optional_words() -> None:
    check = Exact(
        [
            [
                {"NORM": {"IN": ["got", "have"]}},
                {"NORM": "a", "OP": "?"},
                {"NORM": {"REGEX": "^(?:blade|knife)"}},
            ]
        ]
    )
    assert check(["got", "a", "blades"])
    assert check(["have", "blade"])
    assert not check(["had", "a", "blade"])
    with pytest.raises(ValueError, match="cannot check"):
        Exact([[{"LOWER": "knife"}]])


def test_a_chained_gap_pattern_keeps_its_limits(
    lexicon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three chained "~9" once took 9.6 s on one message; now they are one "*" each,
    and a span longer than the gaps allow is still not a match."""
    monkeypatch.setenv("WAYPOINT_RISK_LEARNED", "0")
    rewrite(
        lexicon_dir / "missing.yml",
        lambda d: d["patterns"].append(
            {
                "id": "test_chained_gaps",
                "level": "high",
                "match": ["zorblax ~9 quibbit ~9 snorkwax ~9 flumpet"],
                "note": "test entry",
            }
        ),
    )
    detector = RiskDetector.from_dir(lexicon_dir)
    nine = " ".join(["word"] * 9)
    ten = " ".join(["word"] * 10)
    assert detector.assess(f"zorblax {nine} quibbit {nine} snorkwax {nine} flumpet").level == (
        "high"
    )
    assert detector.assess(f"zorblax quibbit {ten} snorkwax flumpet").level == "none"
    long = " ".join(["word"] * 60)
    assert detector.assess(f"zorblax {long} quibbit {long} snorkwax {long}").level == "none"


def test_collapsed_gaps_find_the_same_spans_as_the_original_patterns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over every lexicon pass's messages, the detector finds exactly the (key, start,
    end) spans that a Matcher holding the original "~N" patterns finds."""
    lexicon = load_lexicon(detector_module.DEFAULT_LEXICON_DIR)
    collapsed = RiskDetector(lexicon)
    assert collapsed._exact, "no pattern was collapsed: the check below shows nothing"
    monkeypatch.setattr(detector_module, "collapse_gaps", lambda pattern: pattern)
    original = RiskDetector(lexicon)
    assert not original._exact
    texts = [row.text for name in DEV_FILES for row in load_tsv(name)]
    assert len(texts) > 1000, DATA
    differ = []
    for text in texts:
        doc = collapsed._normalise(text)
        if set(collapsed._match(doc)) != set(original._match(doc)):
            differ.append(text)
    assert not differ
