"""Where the cues are in one message: clauses, sentences, questions, people, idioms.

The level policy (policy.py) asks this object questions such as "is this match negated?"
or "who is at risk here?". Scopes: negation, past, fear and "who" look inside the
clause; questions, hypotheticals and imminence look at the sentence; laughter looks at
the whole message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

Span = tuple[int, int]

SENTENCE_END = {".", "!", "?", "…"}
CLAUSE_END = SENTENCE_END | {",", ";", ":", "(", ")", "–", "—", '"'}
NEGATION_WINDOW = 5
PERSON_PRIORITY = ("self", "child", "cared", "third")
# The writer in a sentence (Context.about_writer). Not the lexicon's `self` person words:
# those leave out "my" ("my flat" is where a match happens, not who it is about).
FIRST_PERSON = {"i", "me", "my", "mine", "myself", "im", "i'm", "ive", "i've", "id", "i'd"}
STRANGER_DET = {"this", "that", "a", "some", "one"}
STRANGER_NOUN = {"guy", "boy", "boys", "lad", "kid", "man", "girl", "girls"}
PASSIVE_AUX = {
    "being",
    "been",
    "is",
    "are",
    "was",
    "were",
    "get",
    "gets",
    "getting",
    "got",
    "'s",
    "'re",
}


@dataclass
class Context:
    """Cue positions for one Doc, built once and queried per match."""

    doc: Doc
    cues: dict[str, list[Span]]
    people: list[tuple[int, int, str]]
    idioms: list[Span]
    clause_of: list[int] = field(default_factory=list)
    sentence_of: list[int] = field(default_factory=list)
    clause_span: list[Span] = field(default_factory=list)
    clause_question: list[bool] = field(default_factory=list)
    sentence_question: list[bool] = field(default_factory=list)

    @classmethod
    def build(cls, doc: Doc, matches: list[tuple[str, int, int]]) -> Context:
        """Sort matcher output into cue, person and idiom spans and segment the doc."""
        cues: dict[str, list[Span]] = {}
        people: list[tuple[int, int, str]] = []
        idioms: list[Span] = []
        for key, start, end in matches:
            kind, _, name = key.partition(":")
            if kind == "C":
                cues.setdefault(name, []).append((start, end))
            elif kind == "P":
                people.append((start, end, name))
            elif kind == "I":
                idioms.append((start, end))
        people.sort()
        ctx = cls(doc, cues, people, idioms)
        ctx._segment()
        return ctx

    # -- segmentation ---------------------------------------------------------------

    def _segment(self) -> None:
        doc = self.doc
        n = len(doc)
        breaks = {s for s, _ in self.cues.get("clause_break", [])}
        person_starts = {s for s, _, _ in self.people}
        clause_starts = {0}
        sentence_starts = {0}
        for i, token in enumerate(doc):
            if i in breaks:
                clause_starts.add(i)
            if (
                token.norm_ == "and"
                and i + 1 < n
                and (i + 1 in person_starts or doc[i + 1].norm_ in {"now", "then"})
            ):
                clause_starts.add(i)
            newline = token.is_space and "\n" in token.text
            if token.text in CLAUSE_END or newline:
                clause_starts.add(i + 1)
            if token.text in SENTENCE_END or newline:
                sentence_starts.add(i + 1)
        starts = sorted(s for s in clause_starts | sentence_starts if s < n) or [0]
        self.clause_span = list(zip(starts, [*starts[1:], n], strict=True))
        self.clause_of = [0] * n
        for c, (lo, hi) in enumerate(self.clause_span):
            for i in range(lo, hi):
                self.clause_of[i] = c
        sentence = -1
        self.sentence_of = []
        for i in range(n):
            if i in sentence_starts:
                sentence += 1
            self.sentence_of.append(max(sentence, 0))
        question_starts = {s for s, _ in self.cues.get("question_start", [])}
        self.clause_question = []
        for lo, hi in self.clause_span:
            content = [i for i in range(lo, hi) if not doc[i].is_space]
            words = [i for i in content if not doc[i].is_punct]
            asks = bool(words) and words[0] in question_starts
            ends_q = bool(content) and doc[content[-1]].text == "?"
            self.clause_question.append(asks or ends_q)
        self.sentence_question = [False] * (sentence + 1 if n else 0)
        for i, c in enumerate(self.clause_of):
            if self.clause_question[c]:
                self.sentence_question[self.sentence_of[i]] = True

    # -- queries ----------------------------------------------------------------------

    def _clause(self, i: int) -> int:
        return self.clause_of[min(i, len(self.clause_of) - 1)]

    def _sentence(self, i: int) -> int:
        return self.sentence_of[min(i, len(self.sentence_of) - 1)]

    def sentence_index(self, i: int) -> int:
        """Which sentence token ``i`` is in (0 for the first)."""
        return self._sentence(i)

    def about_writer(self, who: str, start: int, end: int) -> bool:
        """The match is about the writer: the person reading says so (an entry that fits
        anyone is read as "auto"), or it names nobody and the sentence has "I", "me" or
        "my" in it ("if someone was outside my flat")."""
        person = self.person("auto" if who in ("any", "self") else who, start, end)
        if person == "third" and self.person("victim", start, end) in ("self", "generic"):
            # The one named is a stranger or an adult doing the harm ("if there was a lad
            # with a blade outside my hostel rn"): read it like "someone" below.
            person = "generic"
        if person != "generic":
            return person == "self"
        sentence = self._sentence(start)
        return any(
            t.norm_ in FIRST_PERSON for t in self.doc if self._sentence(t.i) == sentence
        )

    def in_idiom(self, start: int, end: int) -> bool:
        """The match overlaps an everyday idiom ("killing it", "could murder a pizza")."""
        return any(s < end and start < e for s, e in self.idioms)

    def has_cue(self, name: str) -> bool:
        return bool(self.cues.get(name))

    def cue_in_sentence(self, name: str, start: int, before: bool = False) -> bool:
        sentence = self._sentence(start)
        return any(
            self._sentence(s) == sentence and (not before or e <= start)
            for s, e in self.cues.get(name, [])
        )

    def cue_in_clause(self, name: str, start: int, before: bool = False) -> bool:
        clause = self._clause(start)
        return any(
            self._clause(s) == clause and (not before or e <= start)
            for s, e in self.cues.get(name, [])
        )

    def within_cue(self, name: str, start: int, end: int) -> bool:
        """The words start..end lie inside a cue of ``name`` (a cue that cancels another)."""
        return any(s <= start and end <= e for s, e in self.cues.get(name, []))

    def negated(self, start: int) -> bool:
        """A negation cue shortly before the match, in its clause, with no new subject."""
        clause = self._clause(start)
        for s, e in self.cues.get("negation", []):
            if e > start or start - e > NEGATION_WINDOW or self._clause(s) != clause:
                continue
            if self.within_cue("negation_cancel", s, e):
                continue
            if any(e <= ps < start for ps, _, _ in self.people):
                continue
            return True
        return False

    def past(self, start: int, end: int) -> bool:
        """A past-time cue in the clause with no "now"/"still" between it and the match."""
        clause = self._clause(start)
        anchors = self.cues.get("present_anchor", [])
        for s, e in self.cues.get("past", []):
            if self._clause(s) != clause or self._passive_used(s):
                continue
            lo, hi = (e, start) if e <= start else (end, s)
            if not any(lo <= a < hi for a, _ in anchors):
                return True
        return False

    def _passive_used(self, s: int) -> bool:
        """ "being used to run drugs" is exploitation now, not the habitual past "used to"."""
        if s == 0 or self.doc[s].lower_ not in ("used", "use"):
            return False
        return self.doc[s - 1].lower_ in PASSIVE_AUX

    def imminent(self, start: int) -> bool:
        """An imminence cue ("tonight", "rn") in the sentence; bare "now" only at clause end.

        The softer cues ("later", "after school", "as soon as I see him") say "within
        hours" only when nothing in the sentence makes it a habit ("every day", "always").
        """
        sentence = self._sentence(start)
        if any(
            self._sentence(s) == sentence and not self.within_cue("imminent_denied", s, e)
            for s, e in self.cues.get("imminent", [])
        ):
            return True
        if self.cue_in_sentence("imminent_later", start) and not self.cue_in_sentence(
            "habitual", start
        ):
            return True
        for s, e in self.cues.get("imminent_final", []):
            if self._sentence(s) != sentence:
                continue
            _, clause_end = self.clause_span[self._clause(s)]
            rest = [t for t in self.doc[e:clause_end] if not (t.is_punct or t.is_space)]
            if not rest:
                return True
        return False

    def is_question(self, start: int) -> bool:
        return self.clause_question[self._clause(start)]

    def hypothetical(self, start: int) -> bool:
        """ "what should I do IF ...?", "what are the SIGNS ...": asking, not telling."""
        if self.cue_in_sentence("hypothetical_strong", start, before=True):
            return True
        return self.sentence_question[self._sentence(start)] and self.cue_in_sentence(
            "hypothetical", start, before=True
        )

    def help_seeking(self, start: int, end: int) -> bool:
        """ "who do I talk to about being bullied": asking where to get help, naming a harm.

        Not when the matched words themselves name the writer or their child ("... my
        dad hits me"): that is a disclosure inside a request for help.
        """
        if not self.cue_in_sentence("help_seeking", start, before=True):
            return False
        inside = {self._resolve(s, name) for s, e, name in self.people if s < end and start < e}
        return not inside & {"self", "child", "cared"}

    def person(self, who: str, start: int, end: int) -> str:
        """Who is at risk: self, child (a parent's child), cared (a young person in a
        youth worker's or teacher's care), third, generic, or any.

        ``auto``: a person named inside the match, else the nearest one before it.
        ``victim``: the same, but "they/someone" before it is the one doing harm
        ("they make me hold ..."), so it is skipped. ``actor``: only the nearest person
        before the match (the one intending harm, not the target inside it).
        """
        if who in ("any", "self"):
            return who
        # An adult relative ("my uncle", "my dad") is someone else at risk when the words
        # are about them ("my uncle used to carry"), but in the victim reading they are
        # the one doing harm or a bystander ("my dad hits me", "they know where my nan
        # lives"), so there they are skipped like strangers.
        people = [
            (s, e, "third" if name == "elder" else name)
            for s, e, name in self.people
            if not (who == "victim" and name == "elder")
        ]
        if who in ("auto", "victim"):
            inside = [self._resolve(s, name) for s, e, name in people if s < end and start < e]
            for name in PERSON_PRIORITY:
                if name in inside:
                    return name
        sentence = self._sentence(start)
        # The nearest person before the match; of two ending together, the longer is
        # the more specific ("one of our young people" is a worker's, not "young people").
        before = [
            (e, -s, name)
            for s, e, name in people
            if e <= start
            and self._sentence(s) == sentence
            and not (who == "victim" and (name == "generic" or self._stranger(s, e, name)))
        ]
        if before:
            _, negative_start, name = max(before)
            return self._resolve(-negative_start, name)
        return "generic" if self.is_question(start) else "self"

    def _stranger(self, start: int, end: int, name: str) -> bool:
        """ "this guy", "some boys", "a man": a stranger doing the harm, not a friend at risk."""
        if name != "third" or end - start < 2:
            return False
        return self.doc[start].lower_ in STRANGER_DET and self.doc[end - 1].lower_ in STRANGER_NOUN

    def _resolve(self, start: int, name: str) -> str:
        """Resolve he/she/him/her to the last child or friend mentioned before it."""
        if name != "pronoun":
            return name
        earlier = [
            (s, n) for s, _, n in self.people if s < start and n in ("child", "cared", "third")
        ]
        return max(earlier)[1] if earlier else "third"
