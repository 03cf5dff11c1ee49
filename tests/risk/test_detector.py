"""Unit tests of the detector's behaviour: levels, negation, questions, idioms, emoji,
third person, past versus now, and inputs that must never break it."""

from __future__ import annotations

import random
import time
from dataclasses import FrozenInstanceError

import pytest

from bot.risk.assessment import rank
from bot.risk.detector import CATEGORIES, LEVELS, RiskAssessment, RiskDetector
from bot.risk.text import CHUNK_CHARS, chunks
from tests.risk.conftest import DATA, PASSES, load_tsv


def level(detector: RiskDetector, text: str) -> str:
    return detector.assess(text).level


def test_levels_and_categories_are_the_agreed_ids() -> None:
    assert LEVELS == ("none", "low", "medium", "high", "immediate")
    assert set(CATEGORIES) == {
        "weapon_carrying",
        "threatened",
        "violence_now",
        "suicide_self_harm",
        "harm_to_others",
        "exploitation",
        "abuse_at_home",
        "missing",
        "online_threats",
    }


def test_assessment_is_frozen_and_serialises() -> None:
    assessment = RiskAssessment("high", ("weapon_carrying",), ("why",))
    assert assessment.to_dict() == {
        "level": "high",
        "categories": ["weapon_carrying"],
        "evidence": ["why"],
    }
    with pytest.raises(FrozenInstanceError):
        assessment.level = "none"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I carry a knife for protection", "high"),
        ("always got my nank on me", "high"),
        ("got the ting on me in case", "high"),
        ("im strapped", "high"),
        ("i carry a bora everywhere now", "high"),
        ("I want to kill myself", "high"),
        ("wanna kms", "high"),
        ("thinking of unaliving myself", "high"),
        ("gonna end it", "high"),
        ("going ot next week for the olders", "high"),
        ("i run a trap line", "high"),
        ("gonna wet someone", "high"),
        ("they said they're going to stab me", "high"),
        ("my stepdad hits me", "high"),
        ("I've run away from home", "high"),
    ],
)
def test_first_person_disclosures(
    detector: RiskDetector, lexicon_only: RiskDetector, text: str, expected: str
) -> None:
    """The lexicon's level exactly; the learned signal may only raise it (a threat with
    no time given may be answered as an emergency: docs/risk.md, "The learned signal")."""
    assert level(lexicon_only, text) == expected
    assert rank(level(detector, text)) >= rank(expected)


@pytest.mark.parametrize(
    "text",
    [
        "I've been stabbed",
        "my mate just got shot",
        "there's blood everywhere, he's not breathing",
        "someone is outside my house with a machete",
        "they're coming for me tonight",
        "I'm being chased rn",
        "i've taken a whole box of paracetamol",
        "i'm going to kill myself tonight",
        "we ride out on them tonight",
        "my dad is hitting me right now",
    ],
)
def test_immediate_danger(detector: RiskDetector, text: str) -> None:
    assert level(detector, text) == "immediate"


@pytest.mark.parametrize(
    "text",
    [
        "I'm dead 😂",
        "this homework is killing me",
        "my phone's dying",
        "he's sharp with the ball",
        "she's killing it",
        "I could murder a pizza",
        "that's sick",
        "dead funny",
        "the bus was a nightmare",
        "my mum's going to kill me when she sees this",
        "i'm strapped for cash",
        "lets ride out to the beach",
        "I got cut from the team",
        "my keys are missing",
        "he shot me a text",
        "we got robbed by the ref",
        "my brother beat me at fifa",
        "cut myself shaving lol",
        "i'm dying of laughter 🤣",
    ],
)
def test_idioms_do_not_escalate(detector: RiskDetector, text: str) -> None:
    assert level(detector, text) == "none"


@pytest.mark.parametrize(
    "text",
    [
        "my dad is going to kill me he has a knife",
        "my dads gonna kill me, hes got a knife in his hand",
    ],
)
def test_a_weapon_turns_a_parent_idiom_back_into_a_threat(
    lexicon_only: RiskDetector, text: str
) -> None:
    """ "my mum's going to kill me" is an idiom; with a weapon beside it, it is not."""
    result = lexicon_only.assess(text)
    assert result.level == "high"
    assert "threatened" in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "my mum is going to kill me i lost the bread knife",
        "my mum will kill me lol",
        "my dad's gonna kill me i dropped the knife block",
    ],
)
def test_an_idiom_stays_an_idiom_without_a_real_weapon(
    lexicon_only: RiskDetector, text: str
) -> None:
    assert lexicon_only.assess(text).level == "none"


def test_a_kitchen_idiom_does_not_hide_an_attack_with_a_weapon_in_its_words(
    lexicon_only: RiskDetector,
) -> None:
    """ "knife block" is an idiom, but the attack's own words hold "a knife" outside it."""
    result = lexicon_only.assess("dad grabbed a knife out the knife block and went for mum")
    assert result.level == "high"
    assert "abuse_at_home" in result.categories


def test_a_weapon_match_hidden_by_a_threat_still_arms_its_sentence(
    lexicon_only: RiskDetector,
) -> None:
    """The threat shadows "has a blade" and an idiom ("waiting for me at the park")
    overlaps the threat: the blade must still arm the sentence, or the whole message
    comes out as nothing (it did, before session 10)."""
    result = lexicon_only.assess("they waiting for me at the park and one of them has a blade")
    assert result.level == "immediate"
    assert "threatened" in result.categories
    assert lexicon_only.assess("mum is waiting for me at the park with a picnic").level == "none"


ASKED = "if my mate had a blade in his bag would you tell the school"


@pytest.mark.parametrize("owning_up", ["its me btw", "the friend is me", "asking for myself"])
def test_owning_up_in_the_next_message_is_read_with_the_question(
    detector: RiskDetector, owning_up: str
) -> None:
    """A young person testing the water, then owning up in a second message."""
    assert rank(detector.assess(ASKED).level) < rank("high")
    assert detector.assess(owning_up).level == "none"
    result = detector.assess_reply(owning_up, ASKED)
    assert result.level == "high"
    assert "weapon_carrying" in result.categories
    assert result.read_with_previous


@pytest.mark.parametrize(
    ("reply", "previous"),
    [
        ("its me again lol", ASKED),  # a greeting, not owning up
        ("ok thanks", ASKED),
        ("its me btw", "hi"),  # nothing to own up to
        ("its me btw", None),
        ("its me btw " + "and some more words " * 20, ASKED),  # too long to be an own-up
    ],
)
def test_a_reply_that_does_not_own_up_is_read_alone(
    detector: RiskDetector, reply: str, previous: str | None
) -> None:
    result = detector.assess_reply(reply, previous)
    assert result == detector.assess(reply)
    assert not result.read_with_previous


def test_a_reply_with_risk_of_its_own_keeps_its_own_reading(detector: RiskDetector) -> None:
    text = "its me btw, they're outside my house with a knife right now"
    assert detector.assess_reply(text, ASKED) == detector.assess(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("watching revenge of the sith tonight", "none"),
        ("revenge is a dish best served cold", "low"),
        ("is revenge a good theme for my english essay", "low"),
        ("i think about revenge a lot but i wont do anything", "medium"),
        ("i want revenge for what they did to my cousin", "high"),
        ("its revenge tonight", "immediate"),
    ],
)
def test_revenge_the_word_is_a_topic_and_wanting_it_is_a_risk(
    lexicon_only: RiskDetector, text: str, expected: str
) -> None:
    assert lexicon_only.assess(text).level == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'd never carry a knife",
        "I don't want to kill myself",
        "i'm not going to hurt anyone",
        "no one carries knives at my school",
        "I would never hurt myself",
        "i'm not thinking about ending it, just tired",
    ],
)
def test_negation_removes_risk(detector: RiskDetector, text: str) -> None:
    assert level(detector, text) == "none"


@pytest.mark.parametrize(
    "text",
    [
        "not gonna lie, I want to kill myself",
        "i can't stop thinking about killing myself",
        "i don't know what to do i want to die",
        "no cap i want to die",
    ],
)
def test_negation_words_that_do_not_negate(detector: RiskDetector, text: str) -> None:
    assert level(detector, text) == "high"


def test_negation_with_anymore_means_it_used_to_happen(detector: RiskDetector) -> None:
    assert level(detector, "I don't carry a blade anymore") == "medium"
    assert level(detector, "i dont want to be alive anymore") == "high"


@pytest.mark.parametrize(
    "text",
    [
        "is it illegal to carry a knife?",
        "what happens if you get caught with a blade",
        "can you go to jail for carrying a knife",
        "why do people carry knives",
        "what should I do if my child goes missing",
        "what are the signs someone is being groomed",
        "what is self harm",
    ],
)
def test_information_questions_are_low(detector: RiskDetector, text: str) -> None:
    assert level(detector, text) == "low"


@pytest.mark.parametrize(
    "text",
    [
        "asking for a friend, what do you do if the olders say you owe them. the friend is me",
        "hypothetically what happens if someone carries a blade to school. i do tho",
        "what if my mate was being made to hold stuff for some man. ok its actually me",
        "not asking for a friend, how do i stop cutting myself",
    ],
)
def test_owning_up_lifts_the_question_cap(detector: RiskDetector, text: str) -> None:
    """ "For a friend" and "hypothetically" were the way to say it (bot/risk/policy.py)."""
    assert rank(level(detector, text)) >= rank("high")


@pytest.mark.parametrize(
    "text",
    [
        "its me again lol, what happens if you get caught with a knife",
        "is it illegal to carry a knife? asking for a friend",
        "im doing a project on knife crime, what happens if you carry one",
    ],
)
def test_a_greeting_or_a_plain_question_is_not_owning_up(
    detector: RiskDetector, text: str
) -> None:
    assert level(detector, text) == "low"


@pytest.mark.parametrize(
    "text",
    [
        "hypothetically if someone was outside my flat rn with a machete what do i do",
        "what if i was being made to hold a package for some man right now",
        # A stranger named as the one with the weapon, at the writer's place (heldout28).
        "hypothetically if there was a lad with a blade waiting outside my hostel rn",
    ],
)
def test_a_hypothetical_set_right_now_is_a_report(lexicon_only: RiskDetector, text: str) -> None:
    """ "rn" about the writer lifts the hypothetical cap (docs/risk.md, Level policy 4)."""
    assert rank(lexicon_only.assess(text).level) >= rank("high"), lexicon_only.assess(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Someone else in this very minute: a check-in (a friend there now, or the writer).
        ("what would you do if someone was on a bridge rn thinking about jumping", "medium"),
        ("what should i do if someone is threatening my friend right now", "medium"),
        ("what should i do if my friend is carrying a knife right now", "medium"),
        ("what would you do if a man was outside my mates house with a knife right now", "medium"),
        # Not this minute, or a topic: still a question.
        ("what would you do if someone was on a bridge thinking about jumping", "low"),
        ("what would happen if someone carried a knife right now lol", "low"),
    ],
)
def test_a_hypothetical_about_someone_else_right_now_is_a_check_in(
    lexicon_only: RiskDetector, text: str, expected: str
) -> None:
    assert lexicon_only.assess(text).level == expected


@pytest.mark.parametrize(
    "text",
    [
        "what if someone was outside my house with a knife",
        "what if they jump me tonight after football",
    ],
)
def test_a_hypothetical_without_right_now_stays_low(lexicon_only: RiskDetector, text: str) -> None:
    assert rank(lexicon_only.assess(text).level) <= rank("low"), lexicon_only.assess(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Entries not marked imminent: "right now" / "rn" makes them danger now.
        ("i have knife in my bag right now, i go to college", "immediate"),
        ("in a trap house rn they locked the door", "immediate"),
        ("nobody knows where i am right now and my phone is on 3%", "immediate"),
        # Without those words, or once a cap has lowered the match, it stays where it was.
        ("i keep a knife in my room", "high"),
        ("i carry a blade now", "high"),
        ("should i carry a knife rn", "medium"),
        ("i used to carry a knife, rn im clean", "medium"),
    ],
)
def test_a_disclosure_set_this_minute_is_immediate(
    lexicon_only: RiskDetector, text: str, expected: str
) -> None:
    assert lexicon_only.assess(text).level == expected, lexicon_only.assess(text)


def test_first_person_questions(detector: RiskDetector) -> None:
    assert level(detector, "should i carry a knife?") == "medium"
    assert level(detector, "should i just kill myself") == "high"
    assert level(detector, "how many pills does it take to die") == "high"


def test_a_question_never_lowers_immediate_danger(detector: RiskDetector) -> None:
    assert level(detector, "what do i do my mate just got stabbed") == "immediate"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("got a 🔪 in my bag", "high"),
        ("on me 🔪🔪", "high"),
        ("💊💊💊 taken them all", "immediate"),
        ("i'm bleeding 🩸", "immediate"),
        ("🔪", "low"),
        ("😂😂😂", "none"),
        ("💀💀", "none"),
        ("kms 😂", "medium"),
    ],
)
def test_emoji(detector: RiskDetector, text: str, expected: str) -> None:
    assert level(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my mate carries a blade", "medium"),
        ("my friend said she wants to kill herself", "medium"),
        ("my son has a knife in his room", "high"),
        ("my daughter is self harming", "high"),
        ("my 15 year old hasn't come home since friday", "high"),
        ("my friend just took a load of pills", "immediate"),
    ],
)
def test_third_person_and_parents(detector: RiskDetector, text: str, expected: str) -> None:
    assert level(detector, text) == expected


def test_past_is_lower_than_now(detector: RiskDetector) -> None:
    assert level(detector, "I carry a knife") == "high"
    assert level(detector, "I used to carry a knife") == "medium"
    assert level(detector, "i tried to kill myself years ago") == "medium"
    assert level(detector, "my mate got stabbed last year") == "low"


def test_categories_and_evidence(detector: RiskDetector) -> None:
    result = detector.assess("they said they'll stab my mum if i don't pay my debt")
    assert result.level == "high"
    assert {"threatened", "exploitation"} <= set(result.categories)
    assert all(isinstance(line, str) and line for line in result.evidence)
    assert any("threatened/" in line for line in result.evidence)


def test_grief_is_low_without_category(detector: RiskDetector) -> None:
    result = detector.assess("my best friend passed away last month, I miss him")
    assert result.level == "low"
    assert result.categories == ()


def test_online_threat_is_also_a_threat(detector: RiskDetector) -> None:
    result = detector.assess("someone on snap keeps saying they'll shank me")
    assert result.level == "high"
    assert {"threatened", "online_threats"} <= set(result.categories)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        " ",
        "\n\n\t",
        "<script>alert('x')</script>",
        "<b>hello</b> &amp; &#x1F52A;",
        "我想和你聊天",
        "مرحبا كيف حالك",
        "Je suis fatigué",
        "\x00\x01\x02\x7f",
        "\u202e\u200f\ufeff",
        "🔪" * 5000,
        "?" * 3000,
        "a" * 50_000,
        "I carry a knife. " * 800,
        "k*ll m*s*lf",
        '{"text": 1}',
    ],
)
def test_never_raises(detector: RiskDetector, text: str | None) -> None:
    result = detector.assess(text)
    assert result.level in LEVELS
    assert set(result.categories) <= set(CATEGORIES)
    assert len(result.evidence) <= 12


def test_random_unicode_never_raises(detector: RiskDetector) -> None:
    rng = random.Random(7)
    alphabet = "abc knife kill me 🔪💊🩸😂!?.,'\"\n\t-*#@/\\<>&%$£€ßüé日本語عربي\u200d\ufe0f"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        assert detector.assess(text).level in LEVELS


def test_long_message_keeps_risk_found_anywhere(detector: RiskDetector) -> None:
    filler = "I had a normal day at school and then went to football. " * 400
    assert level(detector, filler + "I've got a blade on me") == "high"
    assert level(detector, "I've got a blade on me. " + filler) == "high"
    assert level(detector, filler) == "none"


def test_vocabulary_is_recycled_without_changing_results() -> None:
    detector = RiskDetector.from_dir()
    texts = [
        "I carry a knife for protection",
        "k*ll m*s*lf",
        "💊💊 taken them all",
        "my 15 year old hasn't come home",
        "is it illegal to carry a knife?",
        "hello",
    ]
    before = [detector.assess(t) for t in texts]
    assert detector._normalise.recycle_if_large(limit=1)  # force a fresh vocabulary
    assert [detector.assess(t) for t in texts] == before


def test_assess_is_deterministic(detector: RiskDetector) -> None:
    text = "my boy says he's gonna ride on them tonight"
    assert detector.assess(text) == detector.assess(text)


def test_typical_messages_are_fast(detector: RiskDetector) -> None:
    texts = ["I carry a knife for protection", "what time does the youth club open"] * 100
    start = time.perf_counter()
    for text in texts:
        detector.assess(text)
    mean_ms = (time.perf_counter() - start) / len(texts) * 1000
    assert mean_ms < 10, f"mean {mean_ms:.2f} ms per message (target < 2 ms; see bench)"


@pytest.mark.parametrize(
    "text",
    [
        "who do i talk to about being bullied",
        "who can i speak to about my friend being bullied",
        "how do i report someone who threatened my friend",
        "how can i tell my son not to carry a knife",
    ],
)
def test_help_seeking_questions_are_at_most_low(detector: RiskDetector, text: str) -> None:
    assert detector.assess(text).level in ("none", "low")


def test_help_seeking_does_not_hide_a_disclosure(detector: RiskDetector) -> None:
    assert level(detector, "who do i talk to about my dad he hits me") in ("medium", "high")
    assert level(detector, "where can i get help, my stepdad hurts me") == "high"


@pytest.mark.parametrize(
    "text",
    [
        "man's outside the chicken shop with a machete waiting for me",
        "some man with a bat is at our door",
        "someone's kicking our door in",
        "my brother came home stabbed",
        "i cut too deep and it wont stop",
        "they just battered me and they're still outside",
    ],
)
def test_combinational_immediate_rules(detector: RiskDetector, text: str) -> None:
    assert level(detector, text) == "immediate"


@pytest.mark.parametrize(
    ("text", "about_child"),
    [
        ("my son has a knife in his room", True),
        ("my daughter said she wants to kill herself", True),
        ("i've been carrying a blade", False),
        ("my friend carries a blade", False),
    ],
)
def test_risk_to_the_writers_child_is_marked(
    detector: RiskDetector, text: str, about_child: bool
) -> None:
    assessment = detector.assess(text)
    assert assessment.level in ("medium", "high", "immediate")
    assert assessment.about_child is about_child


@pytest.mark.parametrize(
    "text",
    [
        "a boy i work with told me his dad punches him",
        "one of my young people told me he is going to stab someone tonight",
        "my pupil said he carries a knife",
    ],
)
def test_a_young_person_in_a_workers_care_keeps_the_level_but_the_writer_is_no_parent(
    lexicon_only: RiskDetector, text: str
) -> None:
    """Not lowered as "someone else", and answered as a professional, not as a parent."""
    assessment = lexicon_only.assess(text)
    assert assessment.level in ("high", "immediate")
    assert assessment.about_cared and not assessment.about_child


def test_grouping_wakes_exactly_the_groups_whose_words_are_there(detector: RiskDetector) -> None:
    """The set arithmetic in ``_woken`` agrees, on every labelled message, with the plain
    rule it stands for: a group runs when the message holds a word of each set it needs.

    The check here takes the groups the rarest set's words name and tests the others
    one by one (the way groups were chosen before session 12), so it shares no code
    with ``_woken``.
    """
    needs = detector._needs
    assert len(needs) == len(detector._matchers) > 1000
    by_first: dict[str, list[int]] = {}
    for index, sets in enumerate(needs):
        for word in sets[0] if sets else ():
            by_first.setdefault(word, []).append(index)
    always = {index for index, sets in enumerate(needs) if not sets}
    texts = [r.text for path in sorted(DATA.glob("*.tsv")) for r in load_tsv(path.name)]
    assert len(texts) > 10000
    for text in texts:
        words = {token.norm_ for token in detector.lexicon.normaliser(text)}
        candidates = always | {i for word in words for i in by_first.get(word, ())}
        want = {i for i in candidates if all(not words.isdisjoint(s) for s in needs[i])}
        assert detector._woken(words) == want, text


def test_grouped_matching_finds_exactly_what_one_matcher_finds(detector: RiskDetector) -> None:
    """Skipping pattern groups whose trigger words are absent never loses a match.

    Each key's patterns get a Matcher of their own, blind to the grouping; their matches
    must be exactly the detector's. Run on every line of the lexicon passes (dev14
    onwards, written to exercise the patterns) and every tenth other labelled message:
    one matcher over all 17,000 patterns took about 15 minutes of CI over all 15,000
    messages (docs/benchmarks.md, "The whole suite"), and the waking rule itself is
    checked on every message above.
    """
    from spacy.matcher import Matcher

    vocab = detector.lexicon.normaliser.nlp.vocab
    per_key = []
    for key, patterns in detector.lexicon.matcher_patterns.items():
        matcher = Matcher(vocab)
        matcher.add(key, patterns)
        per_key.append(matcher)
    texts: list[str] = []
    for path in sorted(DATA.glob("*.tsv")):
        rows = load_tsv(path.name)
        every = 1 if path.name in PASSES else 10
        texts.extend(r.text for r in rows[::every])
    assert len(texts) > 2500
    for text in texts:
        doc = detector.lexicon.normaliser(text)
        want = {(vocab.strings[m], s, e) for matcher in per_key for m, s, e in matcher(doc)}
        assert set(detector._match(doc)) == want, text


@pytest.mark.parametrize(
    "text",
    [
        "im a parent, my son is 15 and i found a knife wrapped in a tshirt in his bag",
        "my son is 15 and i found a knife in his bag",
        "Found a big kitchen knife wrapped in a t-shirt under my son's mattress",
    ],
)
def test_a_risk_message_naming_the_writers_child_is_from_a_parent(
    detector: RiskDetector, text: str
) -> None:
    result = detector.assess(text)
    assert result.level in ("high", "immediate") and result.about_child, result


@pytest.mark.parametrize("text", ["i carry a blade", "my boy carries a blade", "my son is 15"])
def test_no_parent_without_risk_or_without_a_child_named(
    detector: RiskDetector, text: str
) -> None:
    assert not detector.assess(text).about_child


def test_which_emergency_answer() -> None:
    from bot.risk.assessment import danger

    assert danger("immediate", ("violence_now", "suicide_self_harm")) == "self_harm"
    assert danger("immediate", ("violence_now",)) == "usual"  # someone is hurt: first aid
    assert danger("immediate", ("threatened",)) == "usual"
    assert danger("high", ("suicide_self_harm",)) is None
    assert danger("immediate", ("harm_to_others", "weapon_carrying")) == "harm_others"
    assert danger("immediate", ("violence_now", "harm_to_others")) == "usual"  # someone is hurt
    assert danger("immediate", ("harm_to_others",), by_other=True) == "usual"  # a witness
    assert danger("high", ("harm_to_others",)) is None
    # a parent or youth worker passing it on gets the usual answer, chosen by ``reporter``
    # (their message sets no ``danger``)
    assert danger("immediate", ("harm_to_others",), reported=True) is None
    assert danger("immediate", ("suicide_self_harm",), reported=True) is None
    # a weapon on the writer and danger coming, nobody hurt: "don't take it", not first aid
    assert danger("immediate", ("threatened", "weapon_carrying"), armed=True) == "armed"
    assert danger("immediate", ("violence_now", "weapon_carrying"), armed=True) == "usual"
    assert danger("high", ("weapon_carrying",), armed=True) is None
    passed_on = danger("immediate", ("threatened", "weapon_carrying"), armed=True, reported=True)
    assert passed_on is None


@pytest.mark.parametrize(
    ("text", "armed"),
    [
        ("ive got my shank on me and they just pulled up outside", True),
        ("my mate has a blade and the opps are outside", False),
        ("i used to carry but theyre outside my house now", False),
        ("my son has a knife in his room and the boys are outside", False),
    ],
)
def test_armed_is_the_writer_with_a_weapon_now(
    detector: RiskDetector, text: str, armed: bool
) -> None:
    assert detector.assess(text).armed is armed


# -- pass 5b: held now, ordinary flow questions, a youth worker's young person -----------

DEV8_ALLOWED_MISSES = 2
"""dev8.tsv (hard negatives from ordinary flow questions and their twins) is a tuning set
that need not be perfect; its known misses: a first-aid question with "til the ambulance
comes" (a time cue, so immediate) and "going ot next week for my nans 80th" (the idiom for
family trips holds "next week", an idiom of its own, so it is not the innermost)."""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Being held now is danger now; held in the past is not.
        ("been in a trap house for a week and they won't let me leave", "immediate"),
        ("they've locked me in a flat and wont let me leave", "immediate"),
        ("they wont let my son leave the flat, he just rang me crying", "immediate"),
        ("they kept me in a flat last year", "medium"),
        ("last week they kept me in a trap house for three days and wouldnt let me out", "high"),
        ("my mum wont let me leave the house and she hits me", "high"),
        ("my parents won't let me go to the match", "none"),
        # Ordinary questions and family life.
        ("what happens in a fight if someone has a knife", "low"),
        ("getting rid of a knife safely", "low"),
        ("how do i get rid of my knife", "medium"),
        ("getting rid of my shank tomorrow", "high"),
        ("How do you help someone who is bleeding badly?", "low"),
        ("how do i help my friend hes bleeding badly", "immediate"),
        ("how do you help someone who is bleeding rn", "immediate"),
        ("He got jumped yesterday, he's home now but really shaken", "medium"),
        ("my son got jumped yesterday, he's home now but really shaken", "high"),
        ("my son was attacked on his way home and is in hospital", "high"),
        ("i took all my meds this morning", "none"),
        ("took all my tablets", "immediate"),
        ("i took all of my meds at once", "immediate"),
        ("took all my mums meds 10 mins ago", "immediate"),
        ("my mum is taking me to work", "none"),
        ("going ot this weekend for the match", "none"),
        ("going ot this weekend for the olders", "high"),
        ("i keep googling how much paracetamol it takes", "high"),
        ("how much paracetamol can i take for a headache", "none"),
        # A youth worker's or teacher's young person counts like a parent's child.
        ("a boy I work with told me his dad punches him", "high"),
        ("a young person i work with says her stepdad hits her", "high"),
        ("one of our boys told me his dad hits him", "high"),
        ("a girl at our youth club told me her mum's boyfriend beats her", "high"),
        ("my mate told me his dad punches him", "medium"),
        ("my kid got stabbed", "high"),
    ],
)
def test_pass_5b_levels(lexicon_only: RiskDetector, text: str, expected: str) -> None:
    assert level(lexicon_only, text) == expected, lexicon_only.assess(text).evidence


def test_dev8_is_valid_and_new() -> None:
    rows = load_tsv("dev8.tsv")
    texts = [r.text.lower() for r in rows]
    assert len(rows) >= 150
    assert len(set(texts)) == len(texts), "duplicate message in dev8.tsv"
    negatives = [r for r in rows if r.level in ("none", "low")]
    assert len(negatives) >= 70
    for row in rows:
        assert row.level in LEVELS, row
        assert row.categories <= set(CATEGORIES), row
        if row.level == "none":
            assert not row.categories, row
        if row.level in ("medium", "high", "immediate"):
            assert row.categories, row
    for path in DATA.glob("*.tsv"):
        if path.name != "dev8.tsv":
            assert not set(texts) & {r.text.lower() for r in load_tsv(path.name)}, path.name


def test_dev8_misses_stay_few(lexicon_only: RiskDetector) -> None:
    misses = [
        (r.text, r.level, lexicon_only.assess(r.text).level)
        for r in load_tsv("dev8.tsv")
        if lexicon_only.assess(r.text).level != r.level
    ]
    assert len(misses) <= DEV8_ALLOWED_MISSES, misses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Softer time cues: intent for later today is danger within hours ...
        ("im gonna stab him later", "immediate"),
        ("gonna batter him after maths", "immediate"),
        ("im gonna batter him the minute he steps off the bus", "immediate"),
        ("im gonna stab him as soon as i see him", "immediate"),
        # ... but not as a habit, and not in a story told from afterwards.
        ("he keeps saying hes gonna stab me later", "high"),
        ("they always say theyll jump me after school", "high"),
        ("i got stabbed and two weeks later i was back at school", "medium"),
        # Nothing at risk stays nothing.
        ("we're sliding to the cinema later", "none"),
        ("i'm gonna snipe everyone in fortnite later", "none"),
    ],
)
def test_softer_time_cues_and_habits(lexicon_only: RiskDetector, text: str, expected: str) -> None:
    assert level(lexicon_only, text) == expected, lexicon_only.assess(text).evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An adult relative's own past is someone else's, long ago: low.
        ("my uncle used to carry a knife years ago", "low"),
        ("my dad told me he carried a knife in the 90s", "low"),
        # Where the relative does the harm, the writer is still the one at risk.
        ("my dad hits me", "high"),
        ("a boy I work with told me his dad punches him", "high"),
        ("they know where my nan lives and said they'll pay her a visit", "high"),
        # A relative's emergency is still an emergency.
        ("my mum took an overdose", "immediate"),
    ],
)
def test_adult_relatives(lexicon_only: RiskDetector, text: str, expected: str) -> None:
    assert level(lexicon_only, text) == expected, lexicon_only.assess(text).evidence


def test_the_more_specific_of_two_people_ending_together_wins(lexicon_only: RiskDetector) -> None:
    """ "one of our young people" is a worker's young person, not "young people" in general."""
    result = lexicon_only.assess("one of our young people has been missing for 48 hours")
    assert result.level == "high" and result.about_cared, result.evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Capitals are read like lower case ("I'LL" is "i" + "'ll").
        ("I'LL STAB HIM LATER", "immediate"),
        # A sibling over something small is an idiom; a real threat is not.
        ("my sister nicked my charger im gonna end her", "none"),
        ("my brother said hes going to kill him tonight", "immediate"),
        ("my brother got stabbed im going to kill them", "high"),
    ],
)
def test_capitals_and_sibling_idioms(lexicon_only: RiskDetector, text: str, expected: str) -> None:
    assert level(lexicon_only, text) == expected, lexicon_only.assess(text).evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the gym absolutely wrecked me today", "none"),
        ("my mums gonna kill me i spilt juice on the sofa", "none"),
        ("dad locked me out of the xbox till my homework's done", "none"),
        ("my sister chased me round the kitchen with a water pistol", "none"),
        ("my mums gonna kill me she has a knife", "high"),
        ("my mum locks me out of the house all night", "high"),
    ],
)
def test_everyday_idioms_of_session_4(
    lexicon_only: RiskDetector, text: str, expected: str
) -> None:
    assert level(lexicon_only, text) == expected, lexicon_only.assess(text).evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A team losing, a knock in a combat sport, a second social media account...
        ("my team got hammered in the cup final", "none"),
        ("we got battered in the derby and im fuming", "none"),
        ("got punched in the face at boxing", "none"),
        ("at sparring i got headbutted by accident", "none"),
        ("made a burner insta to stalk my ex lol", "none"),
        # ...and the risky readings beside them still count.
        ("they gave me a burner and said hold this", "high"),
        ("i got punched at boxing then his older brother said hes gonna stab me", "high"),
        ("they made a burner account and posted my address", "high"),
    ],
)
def test_everyday_idioms_of_session_5(
    lexicon_only: RiskDetector, text: str, expected: str
) -> None:
    assert level(lexicon_only, text) == expected, lexicon_only.assess(text).evidence


@pytest.mark.parametrize("ending", ["", ".", "!", " "])
def test_the_end_of_a_message_ends_its_sentence(lexicon_only: RiskDetector, ending: str) -> None:
    """A pattern that needs its sentence to end finds the end of the message, typed or
    not, and the evidence is the young person's words without the added full stop."""
    result = lexicon_only.assess("my son is 14 and nobody knows where he is" + ending)
    assert result.level == "high", result.evidence
    assert "missing" in result.categories
    assert all(" ." not in line for line in result.evidence), result.evidence
    # ... and the sentence goes on: "going with this" is not being missing.
    assert lexicon_only.assess("nobody knows where he is going with this" + ending).level == "none"


def test_only_the_last_piece_of_a_long_message_gets_the_full_stop(
    lexicon_only: RiskDetector,
) -> None:
    """A long message is cut into pieces; a cut mid-sentence is not the end of it."""
    tail = "and honestly nobody knows where he is "
    head = "blah " * ((CHUNK_CHARS - len(tail)) // 5)
    head += "x" * (CHUNK_CHARS - len(head) - len(tail))
    message = head + tail + "going with this story, it is a long essay"
    assert chunks(message)[0].endswith("where he is ")  # the cut falls mid-sentence
    assert lexicon_only.assess(message).level == "none"
    assert lexicon_only.assess(head + tail).level == "high"  # the real end does count
