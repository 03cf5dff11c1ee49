"""Load and validate the risk lexicon in data/risk/*.yml.

The files and their fields are described in docs/risk.md; the pattern language is in
patterns.py. Anything wrong in the lexicon raises LexiconError naming the file and the
entry, so a broken lexicon stops the bot at start-up instead of silently missing risk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.risk.assessment import CATEGORIES, LEVELS
from bot.risk.patterns import ID, Compiler, LexiconError, TokenPattern, fail
from bot.risk.text import Normaliser

WHO = ("auto", "victim", "actor", "any", "self")
QUESTION = ("cap", "keep")
PATTERN_KEYS = {
    "id",
    "level",
    "match",
    "note",
    "who",
    "imminent",
    "question",
    "hyperbole",
    "fear_cap",
    "negatable",
    "also",
    "shadows",
}
CUE_NAMES = (
    "negation",
    "negation_cancel",
    "negation_past",
    "past",
    "present_anchor",
    "imminent",
    "imminent_final",
    "imminent_later",
    "imminent_denied",
    "habitual",
    "question_start",
    "hypothetical",
    "hypothetical_strong",
    "help_seeking",
    "owned",
    "currently",
    "this_minute",
    "laughter",
    "fear",
    "online",
    "clause_break",
    "idioms",
)
PERSON_NAMES = ("self", "child", "cared", "third", "elder", "generic", "pronoun")
SHARED_FILES = ("_spelling.yml", "_terms.yml", "_modifiers.yml", "_topics.yml")


@dataclass(frozen=True)
class Pattern:
    """One reviewed lexicon entry. ``category`` is None for topic-only entries (grief)."""

    category: str | None
    pid: str
    level: str
    match: tuple[str, ...]
    who: str = "auto"
    imminent: bool = False
    question: str = "cap"
    hyperbole: bool = False
    fear_cap: bool = False
    negatable: bool = True
    also: tuple[str, ...] = ()
    shadows: tuple[str, ...] = ()
    note: str = ""

    @property
    def key(self) -> str:
        """Matcher key, e.g. "R:weapon_carrying:carry_weapon"."""
        return f"R:{self.category or 'topic'}:{self.pid}"


@dataclass(frozen=True)
class Boost:
    """Add ``category`` at the level of a ``sources`` match when a ``context`` cue is near."""

    bid: str
    category: str
    sources: tuple[str, ...]
    context: str


@dataclass
class Lexicon:
    """The compiled lexicon: patterns plus spaCy Matcher token patterns for everything."""

    patterns: dict[str, Pattern]
    boosts: list[Boost]
    matcher_patterns: dict[str, list[TokenPattern]]
    normaliser: Normaliser
    files: list[Path] = field(default_factory=list)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys (PyYAML silently keeps the last one)."""


def _no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise fail(str(path), f"not valid YAML ({exc})") from exc


def _as_bool(value: Any, where: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise fail(where, f"{key} must be true or false, not {value!r}")
    return value


def _categories(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(where, f"{key} must be a list of category ids")
    for cat in value:
        if cat not in CATEGORIES:
            raise fail(
                where, f"{key}: unknown category {cat!r}; expected one of " + ", ".join(CATEGORIES)
            )
    return tuple(value)


def _pattern(raw: Any, category: str | None, where: str, default_who: str = "auto") -> Pattern:
    if not isinstance(raw, dict):
        raise fail(where, "each pattern must be a mapping with id, level and match")
    unknown = set(raw) - PATTERN_KEYS
    if unknown:
        raise fail(where, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(PATTERN_KEYS)}")
    pid = raw.get("id")
    if not isinstance(pid, str) or not ID.match(pid):
        raise fail(where, f"id must be lower_snake_case, not {pid!r}")
    where = f"{where} ({pid})"
    level = raw.get("level")
    allowed = LEVELS[1:] if category else ("low",)
    if level not in allowed:
        raise fail(where, f"level {level!r} is not one of {', '.join(allowed)}")
    match = raw.get("match")
    if isinstance(match, str):
        match = [match]
    if not isinstance(match, list) or not match or not all(isinstance(m, str) for m in match):
        raise fail(where, "match must be a non-empty list of pattern strings")
    who = raw.get("who", default_who)
    if who not in WHO:
        raise fail(where, f"who {who!r} is not one of {', '.join(WHO)}")
    question = raw.get("question", "cap")
    if question not in QUESTION:
        raise fail(where, f"question {question!r} is not one of {', '.join(QUESTION)}")
    return Pattern(
        category=category,
        pid=pid,
        level=level,
        match=tuple(match),
        who=who,
        imminent=_as_bool(raw.get("imminent", False), where, "imminent"),
        question=question,
        hyperbole=_as_bool(raw.get("hyperbole", False), where, "hyperbole"),
        fear_cap=_as_bool(raw.get("fear_cap", False), where, "fear_cap"),
        negatable=_as_bool(raw.get("negatable", True), where, "negatable"),
        also=_categories(raw.get("also", []), where, "also"),
        shadows=_categories(raw.get("shadows", []), where, "shadows"),
        note=str(raw.get("note", "")),
    )


def _patterns(doc: Any, category: str | None, where: str) -> list[Pattern]:
    raw = doc.get("patterns")
    if not isinstance(raw, list) or not raw:
        raise fail(where, "needs a non-empty 'patterns' list")
    default_who = doc.get("who", "auto")
    if default_who not in WHO:
        raise fail(where, f"who {default_who!r} is not one of {', '.join(WHO)}")
    out = [
        _pattern(item, category, f"{where}: patterns[{i}]", default_who)
        for i, item in enumerate(raw)
    ]
    ids = [p.pid for p in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise fail(where, f"duplicate pattern id(s) {dupes}")
    return out


def _boosts(raw: Any, category: str, where: str) -> list[Boost]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise fail(where, "boosts must be a list")
    out = []
    for i, item in enumerate(raw):
        here = f"{where}: boosts[{i}]"
        if not isinstance(item, dict) or set(item) - {"id", "from", "context", "note"}:
            raise fail(here, "a boost needs id, from (categories) and context (a cue name)")
        if item.get("context") not in CUE_NAMES:
            raise fail(here, f"context {item.get('context')!r} is not a cue in _modifiers.yml")
        out.append(
            Boost(
                str(item.get("id")),
                category,
                _categories(item.get("from"), here, "from"),
                item["context"],
            )
        )
    return out


def load_lexicon(directory: Path) -> Lexicon:
    """Read and validate every file in ``directory``; raise LexiconError on any problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise LexiconError(f"{directory}: lexicon directory not found")
    for name in SHARED_FILES:
        if not (directory / name).is_file():
            raise LexiconError(f"{directory / name}: required lexicon file is missing")
    files = sorted(directory.glob("*.yml"))
    for path in files:
        if not path.name.startswith("_") and path.stem not in CATEGORIES:
            raise fail(
                str(path),
                f"unknown category {path.stem!r}; expected one of "
                + ", ".join(CATEGORIES)
                + " (shared files start with '_')",
            )

    spelling = _read_yaml(directory / "_spelling.yml") or {}
    variants, emoji = _spelling(spelling, str(directory / "_spelling.yml"))
    normaliser = Normaliser(variants, emoji)
    compiler = Compiler(normaliser)
    compiler.add_sets(_read_yaml(directory / "_terms.yml"), str(directory / "_terms.yml"))

    matcher_patterns: dict[str, list[TokenPattern]] = {}
    modifiers = _read_yaml(directory / "_modifiers.yml")
    _compile_modifiers(modifiers, compiler, matcher_patterns, str(directory / "_modifiers.yml"))

    patterns: dict[str, Pattern] = {}
    boosts: list[Boost] = []
    for path in files:
        if path.name.startswith("_") and path.name != "_topics.yml":
            continue
        doc = _read_yaml(path)
        where = str(path)
        if not isinstance(doc, dict):
            raise fail(where, "expected a mapping with 'category' and 'patterns'")
        category: str | None = None
        if path.name != "_topics.yml":
            category = doc.get("category")
            if category not in CATEGORIES:
                raise fail(
                    where,
                    f"unknown category {category!r}; expected one of " + ", ".join(CATEGORIES),
                )
            if category != path.stem:
                raise fail(where, f"category {category!r} must match the file name")
            boosts.extend(_boosts(doc.get("boosts"), category, where))
        extra = set(doc) - {"category", "description", "who", "patterns", "boosts"}
        if extra:
            raise fail(where, f"unknown top-level key(s) {sorted(extra)}")
        for pattern in _patterns(doc, category, where):
            matcher_patterns[pattern.key] = [
                token_pattern
                for i, source in enumerate(pattern.match)
                for token_pattern in compiler.compile(
                    source, f"{where}: {pattern.pid}: match[{i}]"
                )
            ]
            patterns[pattern.key] = pattern
    normaliser.set_known_words(compiler.words)
    return Lexicon(patterns, boosts, matcher_patterns, normaliser, files)


def _spelling(doc: Any, where: str) -> tuple[dict[str, str], dict[str, str]]:
    if not isinstance(doc, dict) or set(doc) - {"variants", "emoji"}:
        raise fail(where, "expected 'variants' and 'emoji' mappings")
    out: list[dict[str, str]] = []
    for key in ("variants", "emoji"):
        table: dict[str, str] = {}
        for target, spellings in (doc.get(key) or {}).items():
            if not isinstance(spellings, list):
                raise fail(where, f"{key}: {target!r} needs a list")
            for spelling in spellings:
                text = (
                    str(spelling)
                    .lower()
                    .translate(dict.fromkeys(map(ord, "\ufe0f\ufe0e\u200d"), None))
                )
                if text in table and table[text] != str(target):
                    raise fail(
                        where, f"{key}: {text!r} maps to both {table[text]!r} " f"and {target!r}"
                    )
                table[text] = str(target)
        out.append(table)
    return out[0], out[1]


def _compile_modifiers(
    doc: Any, compiler: Compiler, out: dict[str, list[TokenPattern]], where: str
) -> None:
    if not isinstance(doc, dict):
        raise fail(where, "expected a mapping of cue lists")
    unknown = set(doc) - set(CUE_NAMES) - {"person"}
    if unknown:
        raise fail(where, f"unknown cue list(s) {sorted(unknown)}")
    for name in CUE_NAMES:
        entries = doc.get(name)
        if not isinstance(entries, list) or not entries:
            raise fail(where, f"cue list {name!r} is missing or empty")
        key = "I:idiom" if name == "idioms" else f"C:{name}"
        out[key] = [
            tp
            for i, src in enumerate(entries)
            for tp in compiler.compile(src, f"{where}: {name}[{i}]")
        ]
    person = doc.get("person")
    if not isinstance(person, dict) or set(person) != set(PERSON_NAMES):
        raise fail(where, f"person must list exactly: {', '.join(PERSON_NAMES)}")
    for name in PERSON_NAMES:
        entries = person[name]
        if not isinstance(entries, list) or not entries:
            raise fail(where, f"person.{name} is missing or empty")
        out[f"P:{name}"] = [
            tp
            for i, src in enumerate(entries)
            for tp in compiler.compile(src, f"{where}: person.{name}[{i}]")
        ]
