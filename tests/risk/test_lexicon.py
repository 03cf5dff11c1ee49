"""The lexicon is validated at load: a mistake names the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.risk.assessment import CATEGORIES
from bot.risk.detector import DEFAULT_LEXICON_DIR, LexiconError, RiskDetector
from bot.risk.lexicon import load_lexicon
from tests.risk.conftest import rewrite


def test_real_lexicon_has_one_file_per_category() -> None:
    names = {p.stem for p in DEFAULT_LEXICON_DIR.glob("*.yml") if not p.name.startswith("_")}
    assert names == set(CATEGORIES)
    lexicon = load_lexicon(DEFAULT_LEXICON_DIR)
    assert {p.category for p in lexicon.patterns.values()} == {*CATEGORIES, None}


def test_every_pattern_has_a_note() -> None:
    lexicon = load_lexicon(DEFAULT_LEXICON_DIR)
    missing = [p.key for p in lexicon.patterns.values() if not p.note.strip()]
    assert not missing, f"patterns without a note: {missing}"


def test_copy_loads(lexicon_dir: Path) -> None:
    assert RiskDetector.from_dir(lexicon_dir).assess("I carry a knife").level == "high"


def test_unknown_category_file(lexicon_dir: Path) -> None:
    (lexicon_dir / "guns.yml").write_text("category: guns\npatterns: []\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"guns\.yml.*unknown category 'guns'"):
        load_lexicon(lexicon_dir)


def test_category_must_match_file_name(lexicon_dir: Path) -> None:
    rewrite(lexicon_dir / "missing.yml", lambda d: d.update(category="threatened"))
    with pytest.raises(LexiconError, match=r"missing\.yml.*must match the file name"):
        load_lexicon(lexicon_dir)


def test_bad_level(lexicon_dir: Path) -> None:
    rewrite(lexicon_dir / "weapon_carrying.yml", lambda d: d["patterns"][0].update(level="hgih"))
    with pytest.raises(LexiconError, match=r"weapon_carrying\.yml.*carry_weapon.*'hgih'"):
        load_lexicon(lexicon_dir)


def test_none_is_not_a_pattern_level(lexicon_dir: Path) -> None:
    rewrite(lexicon_dir / "weapon_carrying.yml", lambda d: d["patterns"][0].update(level="none"))
    with pytest.raises(LexiconError, match="level 'none'"):
        load_lexicon(lexicon_dir)


def test_topics_must_be_low(lexicon_dir: Path) -> None:
    rewrite(lexicon_dir / "_topics.yml", lambda d: d["patterns"][0].update(level="high"))
    with pytest.raises(LexiconError, match=r"_topics\.yml.*level 'high' is not one of low"):
        load_lexicon(lexicon_dir)


def test_unknown_term_set(lexicon_dir: Path) -> None:
    rewrite(
        lexicon_dir / "missing.yml", lambda d: d["patterns"][0]["match"].append("@nosuchset away")
    )
    with pytest.raises(LexiconError, match="unknown term set '@nosuchset'"):
        load_lexicon(lexicon_dir)


def test_gap_over_nine_is_rejected(lexicon_dir: Path) -> None:
    # "~10" used to compile silently into the literal word "~10", so the pattern never
    # matched. Gaps are ~1 to ~9.
    rewrite(
        lexicon_dir / "missing.yml", lambda d: d["patterns"][0]["match"].append("ran ~10 away")
    )
    with pytest.raises(LexiconError, match="bad gap '~10'"):
        load_lexicon(lexicon_dir)


def test_unknown_pattern_key(lexicon_dir: Path) -> None:
    rewrite(lexicon_dir / "missing.yml", lambda d: d["patterns"][0].update(levle="high"))
    with pytest.raises(LexiconError, match=r"unknown key\(s\) \['levle'\]"):
        load_lexicon(lexicon_dir)


def test_unknown_also_category(lexicon_dir: Path) -> None:
    rewrite(
        lexicon_dir / "online_threats.yml", lambda d: d["patterns"][0].update(also=["sextortion"])
    )
    with pytest.raises(LexiconError, match="unknown category 'sextortion'"):
        load_lexicon(lexicon_dir)


def test_duplicate_ids(lexicon_dir: Path) -> None:
    rewrite(lexicon_dir / "missing.yml", lambda d: d["patterns"].append(dict(d["patterns"][0])))
    with pytest.raises(LexiconError, match="duplicate pattern id"):
        load_lexicon(lexicon_dir)


def test_yaml_boolean_word_is_explained(lexicon_dir: Path) -> None:
    path = lexicon_dir / "_modifiers.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('  - "no"\n', "  - no\n"), encoding="utf-8"
    )
    with pytest.raises(LexiconError, match="quote words such as no"):
        load_lexicon(lexicon_dir)


def test_bad_regular_expression(lexicon_dir: Path) -> None:
    rewrite(
        lexicon_dir / "missing.yml", lambda d: d["patterns"][0]["match"].append("/[unclosed/ away")
    )
    with pytest.raises(LexiconError, match="bad regular expression"):
        load_lexicon(lexicon_dir)


def test_regex_with_a_choice_bar_is_rejected(lexicon_dir: Path) -> None:
    # "|" separates choices, so "/^(am|pm)$/" used to be split into "/^(am" and "pm)$/",
    # compiled as literal words, and silently never matched.
    rewrite(
        lexicon_dir / "_modifiers.yml",
        lambda d: d["imminent"].append("at /^\\d{1,2}(am|pm)$/"),
    )
    with pytest.raises(LexiconError, match=r"_modifiers\.yml: imminent\[\d+\].*contains '\|'"):
        load_lexicon(lexicon_dir)


def test_unclosed_regex_is_rejected(lexicon_dir: Path) -> None:
    rewrite(lexicon_dir / "missing.yml", lambda d: d["patterns"][0]["match"].append("/^\\d+ away"))
    with pytest.raises(LexiconError, match="unclosed regular expression"):
        load_lexicon(lexicon_dir)


def test_regex_choices_and_optional_regex_still_match(lexicon_dir: Path) -> None:
    """The supported ways: one /regex/ per choice, and "/regex/?" for an optional one."""
    rewrite(
        lexicon_dir / "exploitation.yml",
        lambda d: d["patterns"].append(
            {
                "id": "regex_probe",
                "level": "high",
                "match": ["zoot /^zz\\d$/|/^qq\\d$/ drop", "zoot /^xx\\d$/? run"],
                "note": "test entry",
            }
        ),
    )
    detector = RiskDetector(load_lexicon(lexicon_dir))
    assert detector.assess("zoot zz1 drop").level == "high"
    assert detector.assess("zoot qq2 drop").level == "high"
    assert detector.assess("zoot xx1 run").level == "high"
    assert detector.assess("zoot run").level == "high"
    assert detector.assess("zoot zz12 drop").level == "none"


def test_boost_needs_a_known_cue(lexicon_dir: Path) -> None:
    rewrite(
        lexicon_dir / "online_threats.yml", lambda d: d["boosts"][0].update(context="internet")
    )
    with pytest.raises(LexiconError, match="context 'internet' is not a cue"):
        load_lexicon(lexicon_dir)


def test_duplicate_yaml_key(lexicon_dir: Path) -> None:
    path = lexicon_dir / "missing.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    level: high\n", "    level: high\n    level: low\n", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match="duplicate key 'level'"):
        load_lexicon(lexicon_dir)


def test_missing_shared_file(lexicon_dir: Path) -> None:
    (lexicon_dir / "_modifiers.yml").unlink()
    with pytest.raises(LexiconError, match=r"_modifiers\.yml: required lexicon file"):
        load_lexicon(lexicon_dir)


def test_invalid_yaml(lexicon_dir: Path) -> None:
    (lexicon_dir / "missing.yml").write_text("category: missing\npatterns: [\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid YAML"):
        load_lexicon(lexicon_dir)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="lexicon directory not found"):
        RiskDetector.from_dir(tmp_path / "nowhere")


def add_exploitation_pattern(lexicon_dir: Path, match: str) -> None:
    """Append one high test pattern to the copy's exploitation.yml."""
    entry = {"id": "mind_it", "level": "high", "match": [match], "note": "test entry"}
    rewrite(lexicon_dir / "exploitation.yml", lambda d: d["patterns"].append(entry))


def test_a_new_pattern_takes_effect(lexicon_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """How to add a pattern (docs/risk.md): one entry, then it matches."""
    monkeypatch.setenv("WAYPOINT_RISK_LEARNED", "0")  # the lexicon's own answer
    text = "they keep making me mind the zoot"
    assert RiskDetector.from_dir(lexicon_dir).assess(text).level == "none"
    add_exploitation_pattern(lexicon_dir, "making me mind ~1 zoot")
    assert RiskDetector.from_dir(lexicon_dir).assess(text).level == "high"


def test_a_term_set_can_include_a_set_defined_above_it(
    lexicon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAYPOINT_RISK_LEARNED", "0")  # the lexicon's own answer
    text = "they keep making me mind the zoot"

    def add(doc: dict) -> None:
        doc["zoot_words"] = ["zoot", "zoots"]
        doc["minded_things"] = ["parcel", "@zoot_words"]

    rewrite(lexicon_dir / "_terms.yml", add)
    add_exploitation_pattern(lexicon_dir, "making me mind ~1 @minded_things")
    assert RiskDetector.from_dir(lexicon_dir).assess(text).level == "high"


@pytest.mark.parametrize("entry", ["@later_set", "@nosuchset", "the @zoot_words"])
def test_a_set_can_only_include_a_whole_set_defined_above_it(
    lexicon_dir: Path, entry: str
) -> None:
    def add(doc: dict) -> None:
        doc["zoot_words"] = ["zoot"]
        doc["early_set"] = ["parcel", entry]
        doc["later_set"] = ["pack"]

    rewrite(lexicon_dir / "_terms.yml", add)
    with pytest.raises(LexiconError, match=f"set 'early_set': bad entry '{entry}'"):
        load_lexicon(lexicon_dir)
