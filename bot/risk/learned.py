"""A learned second signal beside the lexicon: n-gram logistic regression.

The lexicon is precise but only knows the phrasings people wrote into it; on messages
written blind it missed a third of the serious ones (docs/risk.md, "Measured"). This
model learns from every labelled message we have (``data/risk/learned/config.yml`` lists
the files) plus the bot's own ordinary training messages (``data/nlu``) as negatives,
so the flow replies ("not right now", "they're fourteen") are not taken for risk.

It gives three numbers per message: the chance it is serious (high or immediate), the
chance it is immediate, and the likeliest category. ``combine`` in detector.py decides
what they may change; the thresholds live in the config file, chosen by
cross-validation (``bench/risk_learned.py``), never on a held-out set.

Training happens when the detector loads; the result is cached under a hash of every
input (``learned_cache``), so a cached model is never out of step with the data.
Scoring does not call scikit-learn per message (its per-call overhead alone was about
1.6 ms); the fitted weights are read into plain dicts and the same tf-idf arithmetic is
done here (tested to match scikit-learn).
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.risk import learned_cache
from bot.risk.assessment import CATEGORIES

REPO = Path(__file__).resolve().parents[2]
SERIOUS = frozenset({"high", "immediate"})
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


@dataclass(frozen=True)
class LearnedConfig:
    """What to train on and where the model may change the rules' answer."""

    labelled: tuple[Path, ...]
    negatives: tuple[Path, ...]
    serious_high: float
    serious_medium: float
    immediate: float
    c: float = 10.0
    serious_short: float = 0.0
    """The bar for a short message (detector.SHORT_BAR_WORDS); 0 means the same bar."""

    @classmethod
    def load(cls, path: Path, root: Path = REPO) -> LearnedConfig:
        """Read ``config.yml``; paths in it are relative to ``root`` (the repository's;
        bench/risk_replay.py reads an old commit's copy)."""
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        thresholds = raw["thresholds"]
        return cls(
            labelled=tuple(root / p for p in raw["labelled"]),
            negatives=tuple(root / p for p in raw.get("negatives", [])),
            serious_high=float(thresholds["high"]),
            serious_medium=float(thresholds["medium"]),
            immediate=float(thresholds["immediate"]),
            c=float(raw.get("c", 10.0)),
            serious_short=float(thresholds.get("short", 0.0)),
        )


@dataclass(frozen=True)
class Example:
    """One training message: its text, level and categories (empty for negatives)."""

    text: str
    level: str
    categories: tuple[str, ...] = ()


def read_labelled(path: Path) -> list[Example]:
    """Rows of a ``text<TAB>level<TAB>categories`` file (header line first)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return [
            Example(text, level, tuple(c for c in cats.split(",") if c))
            for text, level, cats in rows
        ]


def read_nlu_negatives(path: Path) -> list[Example]:
    """Every example of every non-risk intent in a Rasa NLU file or folder, as level none."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    out: list[Example] = []
    for file in files:
        for block in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block or str(block["intent"]).startswith("risk_"):
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append(Example(_ANNOTATION.sub(r"\1", line[2:]), "none"))
    return out


def ordinary_examples(
    config: LearnedConfig, lexicon_level: Callable[[str], str] | None = None
) -> list[Example]:
    """The bot's ordinary NLU examples, as "no risk", for the model to learn from.

    Some of them are about risk by their nature: a parent's "my son ran away" is the
    example of a flow intent, and the lexicon rates it high. Taught as "no risk", they
    would pull the model against the labelled sets, so with ``lexicon_level`` (the
    lexicon's level for a text) those the lexicon rates medium or above are left out.
    """
    examples = [e for source in config.negatives for e in read_nlu_negatives(source)]
    if lexicon_level is None:
        return examples
    return [e for e in examples if lexicon_level(e.text) in ("none", "low")]


def training_examples(
    config: LearnedConfig, lexicon_level: Callable[[str], str] | None = None
) -> list[Example]:
    """Everything the signal learns from: every labelled file the config names, then
    the bot's ordinary NLU examples (``ordinary_examples``)."""
    examples = [e for path in config.labelled for e in read_labelled(path)]
    return examples + ordinary_examples(config, lexicon_level)


class _Linear:
    """Fitted tf-idf features and one or more linear models over them, as plain dicts.

    ``scores(text)`` gives every model's decision value from one pass over the text's
    n-grams: models that share features share the work.
    """

    def __init__(
        self, vectorizers: Sequence, coef: Sequence[Sequence[float]], intercept: Sequence[float]
    ) -> None:
        self._parts: list[
            tuple[Callable[[str], list[str]], dict[str, tuple[float, tuple[float, ...]]]]
        ] = []
        offset = 0
        for vectorizer in vectorizers:
            vocabulary = vectorizer.vocabulary_
            idf = vectorizer.idf_
            weights = {
                term: (float(idf[i]), tuple(float(row[offset + i]) for row in coef))
                for term, i in vocabulary.items()
            }
            self._parts.append((vectorizer.build_analyzer(), weights))
            offset += len(vocabulary)
        self._intercept = [float(value) for value in intercept]

    def scores(self, text: str) -> list[float]:
        totals = list(self._intercept)
        for analyse, weights in self._parts:
            dots = [0.0] * len(totals)
            norm = 0.0
            for term, count in Counter(analyse(text)).items():
                known = weights.get(term)
                if known is None:
                    continue
                value = (1.0 + math.log(count)) * known[0]
                norm += value * value
                for row, weight in enumerate(known[1]):
                    dots[row] += value * weight
            if norm:
                length = math.sqrt(norm)
                totals = [total + dot / length for total, dot in zip(totals, dots, strict=True)]
        return totals


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -500 else 0.0


def _vectorizers() -> list:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    ]


def _regression(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def fit_pipeline(texts: Sequence[str], labels: Sequence, c: float):
    """The scikit-learn model (features + logistic regression), fitted."""
    from sklearn.pipeline import make_pipeline, make_union

    model = make_pipeline(make_union(*_vectorizers()), _regression(c))
    return model.fit(list(texts), list(labels))


def _linear(pipeline) -> _Linear:
    """Every row of a fitted pipeline's regression (one row for two classes)."""
    union, regression = pipeline.steps[0][1], pipeline.steps[1][1]
    vectorizers = [vectorizer for _, vectorizer in union.transformer_list]
    return _Linear(vectorizers, regression.coef_, regression.intercept_)


def fit_yes_no(texts: Sequence[str], answers: Sequence[Sequence[bool]], c: float) -> _Linear:
    """One yes/no regression per list in ``answers``, over features fitted once.

    The same as a ``fit_pipeline`` per list (the features depend on the texts only),
    without fitting the features again or reading each message once per model.
    """
    from sklearn.pipeline import make_union

    union = make_union(*_vectorizers())
    features = union.fit_transform(list(texts))
    fitted = [_regression(c).fit(features, list(labels)) for labels in answers]
    return _Linear(
        [vectorizer for _, vectorizer in union.transformer_list],
        [regression.coef_[0] for regression in fitted],
        [regression.intercept_[0] for regression in fitted],
    )


@dataclass(frozen=True)
class Scores:
    """The model's view of one message."""

    serious: float
    immediate: float


class LearnedSignal:
    """Three small models trained on load: serious?, immediate?, which category?"""

    def __init__(self, examples: Iterable[Example], config: LearnedConfig) -> None:
        examples = [e for e in examples if e.text.strip()]
        self.config = config
        self.size = len(examples)
        texts = [e.text for e in examples]
        self._levels = fit_yes_no(
            texts,
            [[e.level in SERIOUS for e in examples], [e.level == "immediate" for e in examples]],
            config.c,
        )
        risky = [e for e in examples if e.categories and e.categories[0] in CATEGORIES]
        categories = fit_pipeline(
            [e.text for e in risky], [e.categories[0] for e in risky], config.c
        )
        self._classes = [str(name) for name in categories.steps[1][1].classes_]
        self._categories = _linear(categories)

    @classmethod
    def from_config(
        cls, path: Path, lexicon_level: Callable[[str], str] | None = None
    ) -> LearnedSignal:
        """Train from the files ``config.yml`` names (see ``ordinary_examples``).

        A signal trained before from exactly the same inputs is taken from the cache
        (``learned_cache``): the lexicon directory holding ``config.yml``, the files it
        names and the detector's code are all in the key.
        """
        config = LearnedConfig.load(path)
        key = learned_cache.cache_key(
            [path.resolve().parent.parent, *config.labelled, *config.negatives]
        )
        cached = learned_cache.load(key)
        if isinstance(cached, cls):
            return cached
        signal = cls(training_examples(config, lexicon_level), config)
        learned_cache.store(key, signal)
        return signal

    def scores(self, text: str) -> Scores:
        """Chances (0-1) that ``text`` is serious, and that it is immediate."""
        serious, immediate = self._levels.scores(text)
        return Scores(_sigmoid(serious), _sigmoid(immediate))

    def category(self, text: str) -> str:
        """The likeliest category (asked only when the model raises the level)."""
        values = self._categories.scores(text)
        if len(values) == 1:  # two classes: one decision value, above 0 is the second
            return self._classes[1] if values[0] > 0 else self._classes[0]
        return self._classes[max(range(len(values)), key=values.__getitem__)]
