"""Tokenising and normalising messages with a blank spaCy English pipeline.

Every token gets a NORM: lower case, spaCy's contraction norms ("n't" -> "not",
"gon"+"na" -> "going"+"to"), then Waypoint's spelling variants and emoji names from
data/risk/_spelling.yml ("knif" -> "knife", "🔪" -> "knife"). Lexicon patterns are
compiled with the same tokenizer and normaliser, so "dont", "don't" and "do not" in a
pattern all mean the same tokens as in a message.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def import_spacy() -> ModuleType:
    """Import spaCy without letting thinc import TensorFlow.

    thinc (spaCy's ML library) imports TensorFlow when it is installed, as it is in the
    Rasa environment. That costs seconds and logs noise, and the detector never uses
    it. When TensorFlow is not loaded yet (the CLI, the bench, tests), hide it for the
    duration of the import. Inside Rasa TensorFlow is already loaded, so nothing changes.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    hide = "tensorflow" not in sys.modules
    if hide:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]
    try:
        import spacy
    finally:
        if hide and sys.modules.get("tensorflow", 0) is None:
            del sys.modules["tensorflow"]
    return spacy


# Characters that only change how an emoji is drawn; drop them so "🗡️" == "🗡".
_INVISIBLE = dict.fromkeys(map(ord, "\ufe0f\ufe0e\u200d\u200b\u2060"), None)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_REPEATS = re.compile(r"(.)\1{2,}")
# Two symbols in a row (emoji, punctuation; not "*", used to censor words): spaCy's
# tokenizer is quadratic on long runs of them, so they are spaced out first.
_SYMBOL_RUN = re.compile(r"([^\w\s*])(?=[^\w\s*])")
_BREAKS = ("\n", ". ", "! ", "? ", "; ", ", ", " ")
_LEET = str.maketrans("013457@$", "oieastas")
_DECADE = re.compile(r"^\d+s$")
"""Numbers with a plural "s" ("the 50s", "1970s") are not leetspeak: "50s" read as "sos"."""

MAX_VOCAB = 200_000
"""spaCy keeps every word it has seen; after this many the tokenizer starts afresh."""

CHUNK_CHARS = 2_000
"""Longer messages are analysed in pieces of about this size, so time grows linearly."""


def clean(text: str) -> str:
    """Normalise quotes, drop invisible emoji modifiers, space out runs of symbols."""
    return _SYMBOL_RUN.sub(r"\1 ", text.translate(_QUOTES).translate(_INVISIBLE))


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Split long text into pieces of at most ``size`` chars, at a line or sentence end
    when there is one in the second half of the piece, else at a space."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            for mark in _BREAKS:
                cut = text.rfind(mark, start + size // 2, end)
                if cut > start:
                    end = cut + len(mark)
                    break
        out.append(text[start:end])
        start = end
    return out


class Normaliser:
    """Tokenises text and sets each token's NORM (see the module docstring)."""

    def __init__(self, variants: Mapping[str, str], emoji: Mapping[str, str]) -> None:
        spacy = import_spacy()
        self.nlp: Language = spacy.blank("en")
        self.variants = dict(variants)
        self.emoji = dict(emoji)
        self.known: frozenset[str] = frozenset()
        self._censored: dict[int, list[str]] = {}

    def recycle_if_large(self, limit: int = MAX_VOCAB) -> bool:
        """Start a fresh vocabulary once it holds ``limit`` words (bounded memory).

        spaCy adds every new word to the vocabulary and never forgets it (about 0.6 KB
        each), so a long-running server would grow without bound. Matcher patterns
        compare string hashes, which do not depend on the vocabulary, so matching is
        unchanged after the swap. Takes about 0.2 s.
        """
        if len(self.nlp.vocab) < limit:
            return False
        self.nlp = import_spacy().blank("en")
        return True

    def set_known_words(self, words: Iterable[str]) -> None:
        """Words the lexicon uses; misspellings are only repaired towards these."""
        self.known = frozenset(words) | frozenset(self.variants.values())
        by_len: dict[int, list[str]] = {}
        for word in sorted(self.known):
            if word.isalpha():
                by_len.setdefault(len(word), []).append(word)
        self._censored = by_len

    def __call__(self, text: str) -> Doc:
        """Tokenise ``text`` (already cleaned) and normalise every token.

        The text is lowercased first: spaCy splits "i'll" into "i" + "'ll" but keeps
        "I'LL" whole, so a message in capitals missed every "'ll" pattern.
        """
        doc = self.nlp.make_doc(text.lower())
        for token in doc:
            norm = self._norm(token.lower_, token.norm_)
            if norm != token.norm_:
                token.norm_ = norm
        return doc

    def _norm(self, lower: str, spacy_norm: str) -> str:
        if lower in self.emoji:
            return self.emoji[lower]
        if lower in self.variants:
            return self.variants[lower]
        if spacy_norm != lower:  # a contraction norm from spaCy, e.g. n't -> not
            return self.variants.get(spacy_norm, spacy_norm)
        if not self.known or len(lower) < 3:
            return lower
        return self._repair(lower)

    def _repair(self, word: str) -> str:
        """Repair stretched letters ("knifeee"), leetspeak ("k1ll") and stars ("s*icide")."""
        if _REPEATS.search(word):
            single = _REPEATS.sub(r"\1", word)
            double = _REPEATS.sub(r"\1\1", word)
            for candidate in (single, double):
                if candidate in self.known or candidate in self.variants:
                    return self.variants.get(candidate, candidate)
            word = double
        if (
            any(c.isdigit() or c in "@$" for c in word)
            and any(c.isalpha() for c in word)
            and not _DECADE.match(word)
        ):
            leet = word.translate(_LEET)
            if leet in self.known or leet in self.variants:
                return self.variants.get(leet, leet)
        if "*" in word and word.count("*") <= 2 and len(word) <= 15:
            pattern = re.compile(re.escape(word).replace(r"\*", "[a-z]") + "$")
            for candidate in self._censored.get(len(word), ()):
                if pattern.match(candidate):
                    return candidate
        return self.variants.get(word, word)
