"""The lexicon's pattern language, compiled to spaCy Matcher token patterns.

Pattern language (one string per pattern, tokens separated by spaces; matched against
each token's NORM, see text.py):

    word         a word or phrase as typed; "don't" and "dont" mean the same tokens
    a|an|the     any of these; use "+" for a space inside one choice: going+to|gonna
    stab*        any word starting with "stab" (stab, stabbed, stabbing)
    /^\\d{2,}$/   a regular expression over the whole NORM (no "|" inside: choices are
                 split on it, so the loader rejects it; write /^a$/|/^b$/ instead)
    @weapon      any entry of a term set from _terms.yml (a set's entry may be a whole
                 "@name" of a set defined above it, to include that set)
    word?        the token (or choice) is optional
    _            exactly one token of any kind
    ~3           up to three tokens of any kind
"""

from __future__ import annotations

import itertools
import re
from functools import cached_property
from typing import Any

from bot.risk.text import Normaliser

TokenPattern = list[dict[str, Any]]

MAX_EXPANSION = 4096
ID = re.compile(r"^[a-z][a-z0-9_]*$")
"""Pattern ids and term-set names: lower_snake_case."""
_GAP = re.compile(r"^~([1-9])$")


class LexiconError(ValueError):
    """The lexicon is malformed; the message names the file and the entry."""


def fail(where: str, message: str) -> LexiconError:
    """Build a LexiconError for ``where`` (file and entry)."""
    return LexiconError(f"{where}: {message}")


class Compiler:
    """Turns pattern strings into spaCy Matcher token patterns."""

    def __init__(self, normaliser: Normaliser) -> None:
        self.norm = normaliser
        self.sets: dict[str, list[TokenPattern]] = {}
        self.words: set[str] = set()

    def add_sets(self, raw: Any, where: str) -> None:
        if not isinstance(raw, dict):
            raise fail(where, "expected a mapping of set name -> list of entries")
        for name, entries in raw.items():
            if not isinstance(name, str) or not ID.match(name):
                raise fail(where, f"bad set name {name!r}")
            if not isinstance(entries, list) or not entries:
                raise fail(where, f"set {name!r} must be a non-empty list")
            alts: list[TokenPattern] = []
            for entry in entries:
                # A whole "@name" of a set defined above includes it, as "@name" does in a
                # pattern (_token); anything else with "@" is rejected below.
                if isinstance(entry, str) and entry.startswith("@") and entry[1:] in self.sets:
                    alts.extend(self.sets[entry[1:]])
                    continue
                if not isinstance(entry, str) or not entry.strip() or "@" in entry:
                    raise fail(
                        where,
                        f"set {name!r}: bad entry {entry!r} (text without @, or a whole "
                        "'@name' of a set defined above it; quote words such as no, yes, "
                        "on, off)",
                    )
                alts.extend(self.compile(entry, f"{where}: set {name!r}"))
            self.sets[name] = alts

    def compile(self, source: str, where: str) -> list[TokenPattern]:
        if not isinstance(source, str):
            raise fail(
                where,
                f"pattern {source!r} is not text; quote words such as " "no, yes, on, off in YAML",
            )
        if not source.strip():
            raise fail(where, "empty pattern")
        sequences: list[TokenPattern] = [[]]
        for raw in source.split():
            choices = self._token(raw, where)
            sequences = [seq + choice for seq in sequences for choice in choices]
            if len(sequences) > MAX_EXPANSION:
                raise fail(where, f"pattern {source!r} expands to too many variants")
        sequences = [seq for seq in sequences if any(t.get("OP") != "?" for t in seq)]
        if not sequences:
            raise fail(where, f"pattern {source!r} could match nothing")
        return sequences

    def _token(self, raw: str, where: str) -> list[TokenPattern]:
        gap = _GAP.match(raw)
        if gap:
            return [[{"OP": "?"} for _ in range(int(gap.group(1)))]]
        if raw.startswith("~"):
            raise fail(where, f"bad gap {raw!r}: write ~1 to ~9")
        if raw == "_":
            return [[{}]]
        optional = len(raw) > 1 and raw.endswith("?")
        body = raw[:-1] if optional else raw
        literals: list[str] = []
        prefixes: list[str] = []
        regexes: list[str] = []
        multi: list[TokenPattern] = []
        alts = body.split("|")
        for alt in alts:
            if not alt:
                raise fail(where, f"empty choice in {raw!r}")
            if _broken_regex(alt):
                if len(alts) > 1:
                    raise fail(
                        where,
                        f"regular expression in {raw!r} contains '|': choices are split on "
                        "'|', so it would never match; write each alternative as its own "
                        "/regex/ choice (/^a$/|/^b$/) or use a character class",
                    )
                raise fail(where, f"unclosed regular expression {raw!r}: write /regex/")
            if alt.startswith("@"):
                if alt[1:] not in self.sets:
                    raise fail(where, f"unknown term set {alt!r}")
                multi.extend(self.sets[alt[1:]])
            elif len(alt) > 2 and alt.startswith("/") and alt.endswith("/"):
                try:
                    re.compile(alt[1:-1])
                except re.error as exc:
                    raise fail(where, f"bad regular expression {alt!r}: {exc}") from exc
                regexes.append(alt[1:-1])
            elif alt.endswith("*") and len(alt) > 1 and "+" not in alt:
                prefixes.append(re.escape(self._norms(alt[:-1], where)[0]))
            else:
                norms = self._norms(alt.replace("+", " "), where)
                if len(norms) == 1:
                    literals.append(norms[0])
                else:
                    multi.append([{"NORM": n} for n in norms])
        choices: list[TokenPattern] = []
        if literals:
            self.words.update(literals)
            only = sorted(set(literals))
            choices.append([{"NORM": only[0]} if len(only) == 1 else {"NORM": {"IN": only}}])
        if prefixes:
            choices.append([{"NORM": {"REGEX": "^(?:" + "|".join(prefixes) + ")"}}])
        if regexes:
            choices.append([{"NORM": {"REGEX": "|".join(f"(?:{r})" for r in regexes)}}])
        choices.extend(multi)
        choices = _merge_multi(_merge_single(choices))
        if optional:
            if len(choices) == 1 and len(choices[0]) == 1:
                return [[{**choices[0][0], "OP": "?"}]]
            return [*choices, []]
        return choices

    def _norms(self, text: str, where: str) -> list[str]:
        norms = [t.norm_ for t in self.norm(text) if not t.is_space]
        if not norms:
            raise fail(where, f"{text!r} has no tokens")
        self.words.update(n for n in norms if n.isalpha())
        return norms


def _broken_regex(alt: str) -> bool:
    """A choice that opens a /regex/ but does not close it (e.g. a regex cut by "|")."""
    return len(alt) > 1 and alt.startswith("/") and not (len(alt) > 2 and alt.endswith("/"))


def _words(token: dict[str, Any]) -> frozenset[str] | None:
    """The word set a plain token matches, or None if it is a regex/wildcard/optional."""
    if set(token) != {"NORM"}:
        return None
    norm = token["NORM"]
    if isinstance(norm, str):
        return frozenset([norm])
    if set(norm) == {"IN"}:
        return frozenset(norm["IN"])
    return None


def _as_token(words: frozenset[str]) -> dict[str, Any]:
    only = sorted(words)
    return {"NORM": only[0]} if len(only) == 1 else {"NORM": {"IN": only}}


def _merge_multi(choices: list[TokenPattern]) -> list[TokenPattern]:
    """Merge same-length phrases that differ in one position ("going to" + "want to").

    The result matches exactly the same phrases, with far fewer Matcher patterns.
    """
    plain: list[list[frozenset[str]]] = []
    rest: list[TokenPattern] = []
    for choice in choices:
        sets = [_words(t) for t in choice]
        if len(choice) > 1 and all(s is not None for s in sets):
            plain.append(sets)  # type: ignore[arg-type]
        else:
            rest.append(choice)
    merged = True
    while merged:
        merged = False
        for i, j in itertools.combinations(range(len(plain)), 2):
            a, b = plain[i], plain[j]
            if len(a) != len(b):
                continue
            diff = [k for k in range(len(a)) if a[k] != b[k]]
            if len(diff) <= 1:
                if diff:
                    a[diff[0]] = a[diff[0]] | b[diff[0]]
                del plain[j]
                merged = True
                break
    return rest + [[_as_token(s) for s in sets] for sets in plain]


def _merge_single(choices: list[TokenPattern]) -> list[TokenPattern]:
    """Merge plain single-word choices (e.g. from a term set) into one IN list."""
    words: list[str] = []
    rest: list[TokenPattern] = []
    for choice in choices:
        if len(choice) == 1 and isinstance(choice[0].get("NORM"), str) and len(choice[0]) == 1:
            words.append(choice[0]["NORM"])
        elif (
            len(choice) == 1
            and len(choice[0]) == 1
            and isinstance(choice[0].get("NORM"), dict)
            and set(choice[0]["NORM"]) == {"IN"}
        ):
            words.extend(choice[0]["NORM"]["IN"])
        else:
            rest.append(choice)
    if not words:
        return rest
    unique = sorted(set(words))
    merged = {"NORM": unique[0]} if len(unique) == 1 else {"NORM": {"IN": unique}}
    return [[merged], *rest]


_WILDCARD_GAP: dict[str, Any] = {"OP": "?"}
"""One token of a "~N" gap: any token, optional."""
_STAR: dict[str, Any] = {"OP": "*"}
"""Any number of tokens: a run of gap tokens, collapsed."""


def collapse_gaps(pattern: TokenPattern) -> TokenPattern:
    """``pattern`` with each run of two or more gap tokens written as one "*" token.

    A "~N" gap compiles to N optional wildcards, and spaCy 3.4's Matcher follows every
    way of skipping words in such a run: C(N, k) paths for k words, multiplied across
    chained gaps (three "~9" once took 9.6 s on one message). A "*" wildcard keeps one
    path per word, but has no upper bound, so a span found with the collapsed pattern
    must be checked against the original with ``Exact``.
    """
    out: TokenPattern = []
    for token in pattern:
        if token == _WILDCARD_GAP and out and out[-1] in (_WILDCARD_GAP, _STAR):
            out[-1] = dict(_STAR)
        else:
            out.append(dict(token))
    return out


class Exact:
    """Whether a list of token NORMs is matched, whole, by one of some token patterns.

    The same semantics as the spaCy Matcher for the token dicts ``Compiler`` makes
    (NORM as text, {"IN": [...]}, {"REGEX": ...}; "OP": "?"; {} for any token),
    checked in Python on the few spans the collapsed patterns find. A token it cannot
    check is refused here; the tests themselves are built on the first call, because
    most patterns never match and building all of them took about 2 s of start-up.
    """

    def __init__(self, patterns: list[TokenPattern]) -> None:
        for pattern in patterns:
            for token in pattern:
                _checkable(token)
        self.patterns = patterns

    @cached_property
    def _tests(self) -> list[list[_Test]]:
        return [[_token_test(token) for token in p] for p in self.patterns]

    def __call__(self, norms: list[str]) -> bool:
        return any(_fits(p, norms) for p in self._tests)


_Test = tuple[Any, bool]
"""(predicate over a NORM, optional)."""


def _checkable(token: dict[str, Any]) -> None:
    """Raise ValueError unless ``_token_test`` can check ``token``."""
    norm = token.get("NORM")
    if (
        set(token) - {"NORM", "OP"}
        or token.get("OP") not in (None, "?")
        or not (norm is None or isinstance(norm, str) or set(norm) in ({"IN"}, {"REGEX"}))
    ):
        raise ValueError(f"Exact cannot check the token {token!r}")


def _token_test(token: dict[str, Any]) -> _Test:
    """The test of one token (``_checkable`` has passed it)."""
    optional = token.get("OP") == "?"
    norm = token.get("NORM")
    if norm is None:
        return (lambda _: True), optional
    if isinstance(norm, str):
        return norm.__eq__, optional
    if "IN" in norm:
        return frozenset(norm["IN"]).__contains__, optional
    regex = re.compile(norm["REGEX"])  # the Matcher uses re.search, as here
    return (lambda text: regex.search(text) is not None), optional


def _fits(pattern: list[_Test], norms: list[str]) -> bool:
    """Does ``pattern`` match all of ``norms``? (Positions reachable, token by token.)"""
    here = _closure({0}, pattern)
    for norm in norms:
        after = {i + 1 for i in here if i < len(pattern) and pattern[i][0](norm)}
        if not after:
            return False
        here = _closure(after, pattern)
    return len(pattern) in here


def _closure(positions: set[int], pattern: list[_Test]) -> set[int]:
    """``positions`` plus every position reached by skipping optional tokens."""
    out = set(positions)
    for i in sorted(positions):
        while i < len(pattern) and pattern[i][1]:
            i += 1
            out.add(i)
    return out
