"""Rule-based risk detector for Waypoint (no Rasa imports: spaCy, PyYAML and stdlib only).

    detector = RiskDetector.from_dir()          # loads data/risk/*.yml once
    detector.assess("got my blade on me")       # RiskAssessment(level="high", ...)

Patterns come from the reviewed lexicon (lexicon.py); the level rules are in policy.py;
docs/risk.md explains both.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

from bot.risk.assessment import (
    CATEGORIES,
    LEVELS,
    NO_RISK,
    OWN_UP_MAX_CHARS,
    RiskAssessment,
    cap,
    rank,
)
from bot.risk.context import Context
from bot.risk.learned import LearnedConfig, LearnedSignal, Scores
from bot.risk.lexicon import Lexicon, LexiconError, load_lexicon
from bot.risk.patterns import Exact, TokenPattern, collapse_gaps
from bot.risk.policy import Hit, judge
from bot.risk.text import chunks, clean, import_spacy

__all__ = ["CATEGORIES", "LEVELS", "LexiconError", "RiskAssessment", "RiskDetector"]

logger = logging.getLogger(__name__)

DEFAULT_LEXICON_DIR = Path(__file__).resolve().parents[2] / "data" / "risk"
LEARNED_CONFIG = Path("learned") / "config.yml"
LEARNED_ENV = "WAYPOINT_RISK_LEARNED"
"""Set to 0 to run the lexicon alone (the learned signal is on when its config exists)."""
GROUP_SETS = 3
"""How many of a pattern's required word sets key its Matcher group (see __init__)."""
MAX_EVIDENCE = 12
MAX_EVIDENCE_TEXT = 80
SHORT_MESSAGE_WORDS = 2
"""One or two words give the learned signal almost nothing to go on ("the man" had
scored immediate, "me" high): on its own guess it may offer a navigator (medium), not
escalate. A lexicon match in them is unaffected ("been stabbed")."""
SHORT_BAR_WORDS = 5
"""Up to this many words, the model's chance must reach ``thresholds.short`` to raise a
level: the bot's own questions get fragments for answers ("im at home", "me and my
dad"), and fragments like them open many labelled disclosures, so they score high on
few n-grams. On seven replayed blind runs no serious message of five words or fewer
needed the lower bar (data/risk/learned/config.yml)."""


# Characters that end a sentence; a message ending otherwise gets a full stop (_hits).
_SENTENCE_ENDS = ".!?"


class RiskDetector:
    """Finds risk in one message at a time. Build once (slow), then call ``assess`` (fast)."""

    def __init__(self, lexicon: Lexicon, learned: LearnedSignal | None = None) -> None:
        import_spacy()
        from spacy.matcher import Matcher  # imported after import_spacy (see text.py)

        self.lexicon = lexicon
        self.learned = learned
        self._normalise = lexicon.normaliser
        self._key_of: dict[int, str] = {}
        # Patterns are grouped by the three rarest word sets each requires (one word of
        # each must be in the message), one Matcher per group, and a group runs only when
        # the message holds a word of all three: most patterns need words most messages
        # lack ("knife", "stab"), and skipping them keeps a message's check fast as the
        # lexicon grows. (One set woke groups on "going", "to" or "my"; on the labelled
        # messages two sets made about 17 Matcher calls a message, three about 11.)
        groups: dict[tuple[frozenset[str], ...], dict[str, list[list[dict]]]] = {}
        strings = self._normalise.nlp.vocab.strings
        collapsed, exact = _collapsed(lexicon.matcher_patterns)
        # Matcher keys of collapsed gap patterns, and the check of their spans.
        self._exact: dict[int, Exact] = {strings[k]: check for k, check in exact.items()}
        for key, matcher_key, pattern in collapsed:
            self._key_of[strings[matcher_key]] = key
            needs = _required(pattern)[:GROUP_SETS]
            groups.setdefault(needs, {}).setdefault(matcher_key, []).append(pattern)
        self._matchers: list[Matcher] = []
        self._needs: list[tuple[frozenset[str], ...]] = list(groups)
        # For each of the (up to three) required sets, which groups a word wakes, and
        # which groups have no such set: a group runs when every set wakes it. The
        # intersection is set arithmetic over the message's own words, not a test of
        # each candidate group in Python (about 160 groups a message hold a word of the
        # rarest set; about 11 hold one of every set).
        woken_by: list[dict[str, set[int]]] = [{} for _ in range(GROUP_SETS)]
        without: list[set[int]] = [set() for _ in range(GROUP_SETS)]
        for index, (needs, by_key) in enumerate(groups.items()):
            matcher = Matcher(self._normalise.nlp.vocab)
            for key, patterns in by_key.items():
                matcher.add(key, patterns)
            self._matchers.append(matcher)
            for position in range(GROUP_SETS):
                if position < len(needs):
                    for word in needs[position]:
                        woken_by[position].setdefault(word, set()).add(index)
                else:
                    without[position].add(index)
        self._woken_by = [
            {word: frozenset(indices) for word, indices in by_word.items()} for by_word in woken_by
        ]
        self._without: list[frozenset[int]] = [frozenset(indices) for indices in without]

    @classmethod
    def from_dir(cls, path: Path | None = None) -> RiskDetector:
        """Load and validate the lexicon in ``path`` (default: <repo>/data/risk).

        The learned signal is trained from ``path/learned/config.yml`` when that exists,
        unless ``WAYPOINT_RISK_LEARNED=0``.
        """
        directory = Path(path) if path is not None else DEFAULT_LEXICON_DIR
        detector = cls(load_lexicon(directory))
        config = directory / LEARNED_CONFIG
        if config.is_file() and os.environ.get(LEARNED_ENV, "1") != "0":
            detector.learned = LearnedSignal.from_config(config, detector.lexicon_level)
        return detector

    def lexicon_level(self, text: str) -> str:
        """The lexicon's own level for ``text``, whatever the learned signal says."""
        return self._assess(text, None).level

    def assess(self, text: str | None) -> RiskAssessment:
        """Assess one message. Never raises; empty or None text is level "none"."""
        return self._assess(text, self.learned)

    def assess_reply(self, text: str | None, previous: str | None) -> RiskAssessment:
        """Assess ``text``, sent by a writer whose last message was ``previous``.

        Young people often test the water first and own up in the next message: "if my
        mate had a blade in his bag would you tell the school", then "its me btw". When
        ``text`` alone is below medium and owns up (``_modifiers.yml: owned``), the two
        are assessed as one message and the higher assessment is kept.
        """
        result = self.assess(text)
        if (
            not previous
            or not isinstance(text, str)
            or len(text) > OWN_UP_MAX_CHARS
            or rank(result.level) >= rank("medium")
            or not result.owns_up
        ):
            return result
        joined = self.assess(f"{previous}\n{text}")
        if rank(joined.level) <= rank(result.level):
            return result
        return replace(joined, read_with_previous=True)

    def _assess(self, text: str | None, learned: LearnedSignal | None) -> RiskAssessment:
        """The lexicon's assessment, raised by ``learned`` when it is given."""
        if text is None:
            return NO_RISK
        if not isinstance(text, str):
            text = str(text)
        try:
            hits: list[tuple[int, Hit, str]] = []
            vetoed = names_child = owned = False
            pieces = chunks(clean(text))
            for n, piece in enumerate(pieces):
                found, dropped, child, owns_up = self._hits(piece, last=n == len(pieces) - 1)
                hits.extend((n, *hit) for hit in found)
                vetoed = vetoed or dropped
                names_child = names_child or child
                owned = owned or owns_up
            self._normalise.recycle_if_large()
            result = _summarise(hits)
            if learned is not None and not (vetoed and not hits) and text.strip():
                result = combine(result, learned.scores(text), learned.config, text, learned)
            if names_child and not result.about_child and rank(result.level) >= rank("medium"):
                # "my son is 15 and i found a knife in his bag": whoever the words are
                # about, a writer who names their own child is a parent or carer, and
                # is answered as one (not told "you're not in trouble").
                result = replace(result, about_child=True)
            return replace(result, owns_up=True) if owned else result
        except Exception:  # a bug here must not take the conversation down
            logger.exception("risk.assess.failed")
            return RiskAssessment("none", (), ("detector error: see server log",))

    def _hits(
        self, text: str, last: bool = True
    ) -> tuple[list[tuple[Hit, str]], bool, bool, bool]:
        """The matches that carry risk, whether the lexicon ruled any out, whether the
        text names the writer's own child ("my son", "my 14 year old"), and whether it
        owns up to a question being about the writer (the ``owned`` cue).

        A match ruled out by an idiom or a negation ("this homework is killing me",
        "I'd never carry a knife") is the lexicon deciding "no risk" on purpose: when
        nothing else in the message matched, the learned signal may not overrule that.
        """
        if not text.strip():
            return [], False, False, False
        # The end of a message ends its sentence: a full stop is added where the writer left
        # none, so a pattern that needs the sentence to end there ("nobody knows where he
        # is", "i just took the whole packet") finds it. Evidence stops before it. (Not
        # where a long message was cut into pieces: that may be mid-sentence.)
        ended = not last or text.rstrip()[-1:] in _SENTENCE_ENDS
        doc = self._normalise(text if ended else text.rstrip() + " .")
        words = len(doc) if ended else len(doc) - 1
        matches = _innermost(self._match(doc))
        ctx = Context.build(doc, matches)
        matched = [(self.lexicon.patterns[k], s, e) for k, s, e in matches if k.startswith("R:")]
        risk = _drop_shadowed(matched)
        hits: list[tuple[Hit, str]] = []
        vetoed = False
        # Weapon matches outside any idiom. One above "low" arms its whole sentence; any
        # of them, even a bare "knife", arms a threat whose own words hold it, so a kitchen
        # idiom it overlaps does not veto it ("dad grabbed a knife out the knife block and
        # went for mum"). Taken before shadowing: a threat that shadows the weapon match
        # ("waiting for me at the park and one of them has a blade") may itself be vetoed
        # by an idiom, and the weapon must still arm the sentence.
        weapons = [
            (pattern, start, end)
            for pattern, start, end in matched
            if pattern.category == "weapon_carrying" and not ctx.in_idiom(start, end)
        ]
        armed = {
            ctx.sentence_index(start)
            for pattern, start, _ in weapons
            if rank(pattern.level) > rank("low")
        }
        weapon_words = {i for _, start, end in weapons for i in range(start, end)}
        for pattern, start, end in sorted(risk, key=lambda m: (m[1], m[2])):
            near = ctx.sentence_index(start) in armed or not weapon_words.isdisjoint(
                range(start, end)
            )
            hit = judge(pattern, start, end, ctx, near)
            if hit is None:
                vetoed = True
            elif hit.level != "none":
                hits.append((hit, doc[start : min(end, words)].text))
        hits.extend(self._boosted(hits, ctx))
        child = any(name == "child" for _, _, name in ctx.people)
        return hits, vetoed, child, ctx.has_cue("owned")

    def _woken(self, words: set[str]) -> set[int]:
        """The groups to run for a message holding ``words``: those with a word of
        each of their required sets there (``self._needs[index]``)."""
        woken: set[int] | None = None
        for by_word, without in zip(self._woken_by, self._without, strict=True):
            here = set(without)
            for word in words:
                indices = by_word.get(word)
                if indices:
                    here |= indices
            woken = here if woken is None else woken & here
            if not woken:
                return set()
        return woken or set()

    def _match(self, doc) -> list[tuple[str, int, int]]:
        """Every (key, start, end) the lexicon's patterns match in ``doc``, once each."""
        found: dict[tuple[str, int, int], None] = {}
        norms = [token.norm_ for token in doc]
        for index in sorted(self._woken(set(norms))):
            for match_id, start, end in self._matchers[index](doc):
                exact = self._exact.get(match_id)
                if exact is None or exact(norms[start:end]):
                    found[(self._key_of[match_id], start, end)] = None
        return list(found)

    def _boosted(self, hits: list[tuple[Hit, str]], ctx: Context) -> list[tuple[Hit, str]]:
        """Add a category when its context cue sits near another category's match."""
        extra: list[tuple[Hit, str]] = []
        for boost in self.lexicon.boosts:
            for hit, text in hits:
                if hit.category in boost.sources and ctx.cue_in_sentence(boost.context, hit.start):
                    notes = (*hit.notes, f"{boost.context} context")
                    extra.append(
                        (
                            Hit(hit.pattern, hit.start, hit.end, hit.level, notes, boost.category),
                            text,
                        )
                    )
        return extra


def combine(
    rules: RiskAssessment,
    scores: Scores,
    limits: LearnedConfig,
    text: str,
    learned: LearnedSignal,
) -> RiskAssessment:
    """Let the learned signal raise the lexicon's level (never lower it).

    Serious-looking words the lexicon does not know become high (or medium: a navigator
    is offered); a high message the model reads as happening now becomes immediate.
    Each change says so in the evidence, with the model's chance, so a navigator can
    tell a lexicon match from the model's guess.
    """
    level, categories, evidence = rules.level, rules.categories, list(rules.evidence)
    words = len(text.split())
    floor = limits.serious_short if words <= SHORT_BAR_WORDS else 0.0
    model_level = (
        "high"
        if scores.serious >= max(limits.serious_high, floor)
        else "medium"
        if scores.serious >= max(limits.serious_medium, floor)
        else "none"
    )
    if words <= SHORT_MESSAGE_WORDS:
        model_level = cap(model_level, "medium")
    if rank(model_level) > rank(level):
        level = model_level
        if not categories:
            categories = (learned.category(text),)
        evidence.append(f"model: serious {scores.serious:.2f} -> {model_level}")
    if level == "high" and scores.immediate >= limits.immediate:
        level = "immediate"
        evidence.append(f"model: immediate {scores.immediate:.2f} -> immediate")
    if level == rules.level:
        return rules
    return replace(rules, level=level, categories=categories, evidence=tuple(evidence))


def _collapsed(
    matcher_patterns: dict[str, list[TokenPattern]],
) -> tuple[list[tuple[str, str, TokenPattern]], dict[str, Exact]]:
    """(lexicon key, Matcher key, token pattern) for every pattern, gaps collapsed.

    A pattern whose gaps collapse (``collapse_gaps``) gets a Matcher key of its own,
    shared with the key's other patterns that collapse to the same tokens; the dict
    maps that Matcher key to the check of its spans against the original patterns.
    """
    out: list[tuple[str, str, TokenPattern]] = []
    exact: dict[str, Exact] = {}
    for key, patterns in matcher_patterns.items():
        # The collapsed tokens (by their repr) -> (those tokens, the original patterns).
        shapes: dict[str, tuple[TokenPattern, list[TokenPattern]]] = {}
        for pattern in patterns:
            short = collapse_gaps(pattern)
            if len(short) == len(pattern):
                out.append((key, key, pattern))
            else:
                shapes.setdefault(repr(short), (short, []))[1].append(pattern)
        for number, (short, originals) in enumerate(shapes.values()):
            matcher_key = f"{key}#{number}"
            exact[matcher_key] = Exact(originals)
            out.append((key, matcher_key, short))
    return out, exact


def _required(pattern: list[dict]) -> tuple[frozenset[str], ...]:
    """The word sets ``pattern`` needs one word of each, rarest first.

    A token is required when it has no operator (or "+") and matches on NORM alone.
    Rarer means: no everyday word (spaCy's stop words) in the set, then the smallest
    set. Empty when no token qualifies: the pattern then runs on every message.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    needs: list[frozenset[str]] = []
    for token in pattern:
        if token.get("OP", "+") != "+" or set(token) - {"NORM", "OP"}:
            continue
        norm = token.get("NORM")
        if isinstance(norm, str):
            needs.append(frozenset([norm]))
        elif isinstance(norm, dict) and set(norm) == {"IN"}:
            needs.append(frozenset(norm["IN"]))
    # Stable: of equally rare sets the first in the pattern comes first.
    needs.sort(key=lambda words: (any(w in STOP_WORDS for w in words), len(words)))
    return tuple(dict.fromkeys(needs))


def _inside_stronger(chunk: int, hit: Hit, hits: list[tuple[int, Hit, str]]) -> bool:
    """The words of ``hit`` lie inside a higher-level hit (e.g. "knife" in "carry a knife")."""
    return any(
        n == chunk
        and rank(other.level) > rank(hit.level)
        and other.start <= hit.start
        and hit.end <= other.end
        for n, other, _ in hits
    )


def _innermost(matches: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Per key, drop spans that contain another span of the same key.

    Optional tokens ("~3") make the Matcher return nested spans for one phrase; the
    innermost is the phrase itself. Overlapping spans that do not nest are all kept.
    People ("P:" keys) are all kept: there the longer span is the more specific one
    ("me and my mate" is the writer, though it holds "me"), and Context.person picks it.
    """
    by_key: dict[str, set[tuple[int, int]]] = {}
    out = []
    for key, start, end in matches:
        if key.startswith("P:"):
            out.append((key, start, end))  # people: the longer span is the more specific
        else:
            by_key.setdefault(key, set()).add((start, end))
    for key, spans in by_key.items():
        # By end, then latest start first: a span contains an earlier-seen one exactly
        # when some earlier span starts at or after it.
        latest_start = -1
        for s, e in sorted(spans, key=lambda span: (span[1], -span[0])):
            if latest_start < s:
                out.append((key, s, e))
            latest_start = max(latest_start, s)
    return out


def _drop_shadowed(matches: list) -> list:
    """Remove matches hidden by an overlapping pattern that names them in ``shadows``."""
    keep = []
    for pattern, start, end in matches:
        hidden = any(
            pattern.category in other.shadows and s < end and start < e
            for other, s, e in matches
            if other is not pattern
        )
        if not hidden:
            keep.append((pattern, start, end))
    return keep


_NOT_MINE = frozenset({"third", "past", "child", "cared", "generic"})
"""Notes that make a weapon someone else's, or the writer's in the past."""


def _summarise(hits: list[tuple[int, Hit, str]]) -> RiskAssessment:
    if not hits:
        return NO_RISK
    level = max((hit.level for _, hit, _ in hits), key=rank)
    best: dict[str, int] = {}
    for _, hit, _ in hits:
        for category in hit.categories:
            best[category] = max(best.get(category, 0), rank(hit.level))
    categories = tuple(sorted(best, key=lambda c: (-best[c], CATEGORIES.index(c))))
    evidence: list[str] = []
    for chunk, hit, text in sorted(hits, key=lambda h: (-rank(h[1].level), h[0], h[1].start)):
        if _inside_stronger(chunk, hit, hits):
            continue
        snippet = " ".join(text.split())[:MAX_EVIDENCE_TEXT]
        notes = f" [{', '.join(hit.notes)}]" if hit.notes else ""
        line = f'{hit.category or "topic"}/{hit.pattern.pid}: "{snippet}"{notes} -> {hit.level}'
        if line not in evidence:
            evidence.append(line)
        if len(evidence) >= MAX_EVIDENCE:
            break
    about_child = any(hit.level == level and "child" in hit.notes for _, hit, _ in hits)
    about_cared = any(hit.level == level and "cared" in hit.notes for _, hit, _ in hits)
    harm = [hit for _, hit, _ in hits if hit.level == level and "harm_to_others" in hit.categories]
    by_other = bool(harm) and all("third" in hit.notes for hit in harm)
    armed = any(
        "weapon_carrying" in hit.categories
        and rank(hit.level) >= rank("high")
        and not _NOT_MINE & set(hit.notes)
        for _, hit, _ in hits
    )
    return RiskAssessment(
        level,
        categories,
        tuple(evidence),
        about_child,
        about_cared,
        harm_by_other=by_other,
        armed=armed,
    )
