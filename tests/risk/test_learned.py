"""The learned second signal: its arithmetic, what it may change, and switching it off."""

from __future__ import annotations

import math

import pytest

from bot.risk.assessment import NO_RISK, rank
from bot.risk.detector import DEFAULT_LEXICON_DIR, LEARNED_CONFIG, RiskDetector, combine
from bot.risk.learned import (
    Example,
    LearnedConfig,
    LearnedSignal,
    Scores,
    _linear,
    fit_pipeline,
    fit_yes_no,
    ordinary_examples,
    read_labelled,
    read_nlu_negatives,
)
from tests.risk.conftest import BLIND, DATA, load_tsv

CONFIG = LearnedConfig.load(DEFAULT_LEXICON_DIR / LEARNED_CONFIG)


def test_config_names_existing_files_and_never_the_blind_set() -> None:
    assert CONFIG.labelled and CONFIG.negatives
    for path in (*CONFIG.labelled, *CONFIG.negatives):
        assert path.exists(), path
    names = {p.name for p in CONFIG.labelled}
    assert BLIND not in names  # measured by bench/risk_check.py, never trained on
    assert 0 < CONFIG.serious_medium <= CONFIG.serious_high < 1
    assert 0 < CONFIG.immediate < 1


def test_nlu_negatives_drop_annotations_and_risk_intents(tmp_path) -> None:
    nlu = tmp_path / "x.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: give_age\n  examples: |\n'
        '    - im [14](age)\n    - [15]{"entity": "age"} years old\n'
        "- intent: risk_high\n  examples: |\n    - never here\n"
        "- regex: an_age\n  examples: |\n    - \\d+\n",
        encoding="utf-8",
    )
    assert [e.text for e in read_nlu_negatives(nlu)] == ["im 14", "15 years old"]


def test_ordinary_examples_the_lexicon_rates_as_risk_are_not_taught_as_safe(
    tmp_path, lexicon_only: RiskDetector
) -> None:
    """A flow example such as a parent's "my son ran away" is not a "no risk" example."""
    nlu = tmp_path / "x.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: parent_child_missing\n  examples: |\n'
        "    - my son ran away\n    - what should i do if my child goes missing\n"
        "    - hiya\n",
        encoding="utf-8",
    )
    config = LearnedConfig((), (nlu,), 0.9, 0.9, 0.7)
    assert len(ordinary_examples(config)) == 3
    kept = [e.text for e in ordinary_examples(config, lexicon_only.lexicon_level)]
    assert kept == ["what should i do if my child goes missing", "hiya"]


def test_lexicon_level_ignores_the_learned_signal(detector: RiskDetector) -> None:
    text = "strapped up rn goin to see what they want"
    assert detector.lexicon_level(text) == RiskDetector(detector.lexicon).assess(text).level
    assert detector.learned is not None  # put back after asking


def test_hand_scoring_matches_scikit_learn() -> None:
    """The dict arithmetic used per message equals scikit-learn's own probabilities."""
    rows = read_labelled(DATA / "dev.tsv")
    texts = [r.text for r in rows]
    labels = [r.level in ("high", "immediate") for r in rows]
    pipeline = fit_pipeline(texts, labels, 10.0)
    linear = _linear(pipeline)
    expected = pipeline.predict_proba(texts[:60] + ["", "🔪🔪", "x" * 500])[:, 1]
    for text, want in zip(texts[:60] + ["", "🔪🔪", "x" * 500], expected, strict=True):
        got = 1 / (1 + math.exp(-linear.scores(text)[0]))
        assert got == pytest.approx(want, abs=1e-9), text


def test_models_fitted_together_equal_models_fitted_apart() -> None:
    """fit_yes_no shares the features and one reading of the text, nothing else."""
    rows = read_labelled(DATA / "dev.tsv")
    texts = [r.text for r in rows]
    serious = [r.level in ("high", "immediate") for r in rows]
    immediate = [r.level == "immediate" for r in rows]
    together = fit_yes_no(texts, [serious, immediate], 10.0)
    apart = [fit_pipeline(texts, labels, 10.0) for labels in (serious, immediate)]
    probe = texts[:40] + ["", "🔪", "i carry a blade rn"]
    expected = [model.predict_proba(probe)[:, 1] for model in apart]
    for i, text in enumerate(probe):
        got = [1 / (1 + math.exp(-value)) for value in together.scores(text)]
        assert got == pytest.approx([expected[0][i], expected[1][i]], abs=1e-9), text


def test_it_never_lowers_the_lexicon(detector: RiskDetector, lexicon_only: RiskDetector) -> None:
    for name in ("dev.tsv", "heldout.tsv"):
        for row in read_labelled(DATA / name):
            assert rank(detector.assess(row.text).level) >= rank(
                lexicon_only.assess(row.text).level
            ), row.text


@pytest.mark.parametrize(
    "text",
    [
        "i'm not thinking about ending it, just tired",
        "this homework is killing me",
        "I'd never carry a knife",
        "my mum is going to kill me lol",
    ],
)
def test_the_lexicons_idioms_and_negations_stand(detector: RiskDetector, text: str) -> None:
    assert detector.assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    ["not right now", "im 14", "yes please", "they're fourteen", "in hayes", "im going now"],
)
def test_flow_replies_stay_ordinary(detector: RiskDetector, text: str) -> None:
    assert rank(detector.assess(text).level) < rank("medium"), detector.assess(text).evidence


def test_everyday_messages_are_ordinary_to_the_lexicon(lexicon_only: RiskDetector) -> None:
    """data/risk/learned/everyday.tsv teaches the model that places, times and slang are
    not risk; the lexicon must agree, or the model would be taught against its own rules."""
    rows = read_labelled(DEFAULT_LEXICON_DIR / "learned" / "everyday.tsv")
    assert len(rows) >= 600 and {row.level for row in rows} == {"none"}
    flagged = [
        (row.text, lexicon_only.assess(row.text).evidence)
        for row in rows
        if rank(lexicon_only.assess(row.text).level) >= rank("medium")
    ]
    assert not flagged


def test_a_raise_says_it_came_from_the_model(
    detector: RiskDetector, lexicon_only: RiskDetector
) -> None:
    """Words the lexicon has no entry for: the model's guess is marked as a guess.

    The messages are whichever serious lines of a trained-on blind set the lexicon
    rates none and the whole detector high or above (one fixed sentence stopped being
    raised when the model was retrained on more data)."""
    raised = []
    for row in load_tsv("heldout29.tsv"):
        if rank(row.level) < rank("high") or lexicon_only.assess(row.text).level != "none":
            continue
        result = detector.assess(row.text)
        if rank(result.level) >= rank("high"):
            raised.append((row.text, result))
    assert raised, "the model raised no message the lexicon missed: nothing is checked"
    for text, result in raised:
        assert any(line.startswith("model: ") for line in result.evidence), (text, result)
        assert result.categories, text  # the escalation still gets a category


def test_one_or_two_words_are_at_most_a_check_in_on_the_models_guess(
    detector: RiskDetector,
) -> None:
    """"the man" had scored immediate and "me" high: with so few words the model's score is
    noise, so on its own guess it may only offer a navigator."""
    learned = detector.learned
    assert learned is not None
    sure = Scores(serious=0.99, immediate=0.99)
    assert combine(NO_RISK, sure, learned.config, "the man", learned).level == "medium"
    longer = combine(NO_RISK, sure, learned.config, "the man is here", learned)
    assert longer.level == "immediate"
    # A lexicon match in two words still gets the model's immediate reading.
    assert detector.assess("been stabbed").level == "immediate"


def test_five_words_or_fewer_need_the_short_bar(detector: RiskDetector) -> None:
    """"im at home" scored 0.67 and "me and my dad" 0.71: fragments that answer the bot's
    questions keep the stricter bar; a sixth word lifts it."""
    learned = detector.learned
    assert learned is not None
    limits = learned.config
    assert limits.serious_short > limits.serious_high
    between = Scores(serious=(limits.serious_high + limits.serious_short) / 2, immediate=0.0)
    assert combine(NO_RISK, between, limits, "im at home with him", learned).level == "none"
    longer = combine(NO_RISK, between, limits, "im at home with him now", learned)
    assert longer.level == "high"


@pytest.mark.parametrize(
    "text", ["me", "just me", "the man", "rn", "its me", "me and my dad", "im at home"]
)
def test_short_replies_are_not_an_escalation(detector: RiskDetector, text: str) -> None:
    """Answers to the bot's own questions ("who's at home?" "just me")."""
    assert rank(detector.assess(text).level) < rank("high"), detector.assess(text).evidence


def test_it_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAYPOINT_RISK_LEARNED", "0")
    assert RiskDetector.from_dir().learned is None


def test_trains_from_examples_alone() -> None:
    examples = [Example("i carry a blade every day", "high", ("weapon_carrying",))] * 3 + [
        Example("what time do you open", "none"),
        Example("i stabbed him just now hes bleeding", "immediate", ("violence_now",)),
        Example("hello", "none"),
        Example("thanks", "none"),
    ]
    signal = LearnedSignal(examples, CONFIG)
    assert signal.size == 7
    assert signal.scores("i carry a blade").serious > signal.scores("what time").serious
    assert signal.category("i carry a blade") in {"weapon_carrying", "violence_now"}


def _tiny_config(root) -> object:
    """A lexicon-like folder with a learned config naming one small labelled file."""
    (root / "learned").mkdir(parents=True)
    labelled = root / "tiny.tsv"
    labelled.write_text(
        "text\tlevel\tcategories\n"
        "i carry a blade every day\thigh\tweapon_carrying\n"
        "i stabbed him just now hes bleeding\timmediate\tviolence_now\n"
        "what time do you open\tnone\t\n"
        "hello there\tnone\t\n",
        encoding="utf-8",
    )
    config = root / "learned" / "config.yml"
    config.write_text(
        f"labelled: [{labelled}]\nthresholds: {{high: 0.9, medium: 0.9, immediate: 0.7}}\n",
        encoding="utf-8",
    )
    return config


def test_a_trained_signal_is_cached_by_its_inputs(tmp_path, monkeypatch) -> None:
    from bot.risk import learned_cache

    monkeypatch.setenv(learned_cache.CACHE_ENV, str(tmp_path / "cache"))
    config = _tiny_config(tmp_path / "lexicon")
    first = LearnedSignal.from_config(config)
    assert len(list((tmp_path / "cache").glob("learned-*.pkl"))) == 1

    # The same inputs: taken from the cache, not trained again.
    def no_training(*args, **kwargs):
        raise AssertionError("trained again although the inputs did not change")

    monkeypatch.setattr(LearnedSignal, "__init__", no_training)
    again = LearnedSignal.from_config(config)
    assert again.scores("i carry a blade") == first.scores("i carry a blade")

    # Any change to an input is a new key: trained again.
    labelled = tmp_path / "lexicon" / "tiny.tsv"
    labelled.write_text(labelled.read_text() + "thanks\tnone\t\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="trained again"):
        LearnedSignal.from_config(config)


def test_a_damaged_or_switched_off_cache_is_only_a_miss(tmp_path, monkeypatch) -> None:
    from bot.risk import learned_cache

    monkeypatch.setenv(learned_cache.CACHE_ENV, str(tmp_path))
    (tmp_path / "learned-abc.pkl").write_bytes(b"not a pickle")
    assert learned_cache.load("abc") is None
    learned_cache.store("def", {"x": 1})
    assert learned_cache.load("def") == {"x": 1}
    monkeypatch.setenv(learned_cache.CACHE_ENV, "off")
    assert learned_cache.load("def") is None
    learned_cache.store("ghi", 1)
    assert not (tmp_path / "learned-ghi.pkl").exists()
