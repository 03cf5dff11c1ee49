"""The level policy: from a lexicon match and its context to a final level.

A pattern's ``level`` is what the words mean when the writer says them about
themselves, now. The context then moves it (see docs/risk.md, "Level policy"):

1. an everyday idiom over the words, or a negation before them -> no risk
   (a negation plus "anymore" / "no longer" means it used to happen: step 6);
   an idiom over a threat gives way to a weapon in the same sentence ("my dad is
   going to kill me he has a knife" is a threat, not "my mum's going to kill me");
2. a hypothetical question ("what should I do if ...", "signs that ...") -> at most low
   (at most medium when set "right now" about someone else; a report when about the
   writer);
   so is a help-seeking question ("who do I talk to about being bullied"), unless the
   matched words name the writer or their child ("... my dad hits me");
3. ``imminent`` patterns become immediate with a time cue ("tonight", "rn", "now");
4. a question asking for information about nobody in particular -> at most low;
   about the writer or their child -> at most medium (never lowers immediate;
   ``question: keep`` patterns such as method-seeking are never lowered);
5. a friend or other person (not the writer, not a parent's child, not a young person
   in a youth worker's care): high -> medium;
6. past ("used to", "years ago"): at most medium for the writer or their child,
   at most low for others;
7. ``fear_cap`` patterns after "scared", "worried" -> at most medium;
8. ``hyperbole`` patterns with laughter ("lol", "😂") -> at most medium;
9. still ``high`` after all that, with "right now" or "rn" in the sentence
   (``this_minute``) -> immediate ("i have knife in my bag right now, i go to college").
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.risk.assessment import at_least, cap, rank
from bot.risk.context import Context
from bot.risk.lexicon import Pattern


@dataclass(frozen=True)
class Hit:
    """One match that survived the policy, with the level it ends up at."""

    pattern: Pattern
    start: int
    end: int
    level: str
    notes: tuple[str, ...]
    category: str | None

    @property
    def categories(self) -> tuple[str, ...]:
        base = (self.category,) if self.category else ()
        return base + tuple(c for c in self.pattern.also if c != self.category)


# Categories whose idioms ("my mum's going to kill me") give way to a weapon nearby.
THREATS = frozenset({"threatened", "abuse_at_home"})


def judge(pattern: Pattern, start: int, end: int, ctx: Context, armed: bool = False) -> Hit | None:
    """Apply the level policy to one match; None means the words carry no risk here.

    ``armed``: the sentence names a weapon outside any idiom at more than "low", or the
    match's own words hold a weapon word outside any idiom.
    """
    notes: list[str] = []
    if ctx.in_idiom(start, end):
        if not (armed and pattern.category in THREATS):
            return None
        notes.append("weapon")
    past = ctx.past(start, end)
    if pattern.negatable and ctx.negated(start):
        if not ctx.cue_in_clause("negation_past", start):
            return None
        past = True
    level = pattern.level
    # The writer owns up ("asking for a friend ... the friend is me", "hypothetically ...
    # i do btw"): the question, the "if" and the friend were only a way to say it.
    owned = ctx.has_cue("owned")
    if ctx.hypothetical(start) and not owned:
        # ... unless it is set in this very minute, about the writer ("hypothetically, if
        # someone was outside my flat rn with a machete"): that is a report.
        now = (
            ctx.cue_in_sentence("this_minute", start) or ctx.cue_in_sentence("currently", start)
        ) and not ctx.has_cue("laughter")
        if not (now and ctx.about_writer(pattern.who, start, end)):
            # Someone else in this very minute ("what would you do if someone was on a
            # bridge right now thinking about jumping") may be a friend there now, or the
            # writer not saying so yet: a check-in, not an answer to a question.
            ceiling = "medium" if now and rank(level) >= rank("high") else "low"
            level = cap(level, ceiling)
            return Hit(pattern, start, end, level, ("hypothetical",), pattern.category)
        notes.append("hypothetical now")
    if ctx.help_seeking(start, end) and not owned:
        return Hit(pattern, start, end, cap(level, "low"), ("help-seeking",), pattern.category)

    question = ctx.is_question(start) and not owned
    person = ctx.person(pattern.who, start, end)
    if owned and person in ("third", "generic"):
        person = "self"
        notes.append("owned")
    if pattern.imminent and not past and ctx.imminent(start):
        level = at_least(level, "immediate")
        notes.append("now")
    if question and pattern.question == "cap" and level != "immediate":
        if person == "generic":
            level = cap(level, "low")
            notes.append("question")
        elif person in ("self", "child", "cared"):
            level = cap(level, "medium")
            notes.append("question")
    if person in ("child", "cared", "third", "generic"):
        notes.append(person)
    if person in ("third", "generic") and level == "high":
        level = "medium"
    if past:
        level = cap(level, "low" if person in ("third", "generic") else "medium")
        notes.append("past")
    if pattern.fear_cap and ctx.cue_in_clause("fear", start, before=True):
        level = cap(level, "medium")
        notes.append("fear")
    if pattern.hyperbole and ctx.has_cue("laughter"):
        level = cap(level, "medium")
        notes.append("laughter")
    if level == "high" and not past and ctx.cue_in_sentence("this_minute", start):
        # Any serious disclosure set in this very minute is danger now, not only the
        # entries marked imminent (a weapon in the bag at college, a trap house "rn").
        level = "immediate"
        notes.append("this minute")
    return Hit(pattern, start, end, level, tuple(notes), pattern.category)
