"""No labelling or blaming words about children, and no unexplained acronyms.

Reads every response in bot/domain (every engineer's files) and every sentence-like
literal the code can send (tests/content/texts.py). VOICE.md principle 2: under-18s are
children; never call anyone an offender, perpetrator or gang member, or say they are
"putting themselves at risk", "choosing" danger or "risk-taking" (seed_004_digest
L203-L219: "placing themselves at risk", "'choosing' to be in a relationship with a
'gang' member"; the term "gang" stigmatises, L736). Principle 3: never ask "why did
you...?". Principle 6: no acronyms without saying what they are.
"""

from __future__ import annotations

import re

import pytest

from tests.content.texts import Text, all_texts

# Each pattern is a way of labelling or blaming a child; matched case-insensitively.
LABELS: dict[str, str] = {
    r"\boffenders?\b": "offender",
    r"\bperpetrators?\b": "perpetrator",
    r"\bgang\b|\bgangs\b|\bgang[- ]members?\b|\bgangsters?\b": "gang / gang member",
    r"county lines (kid|boy|girl)s?": "county lines kid",
    r"\b(put|putting|puts|place|placing|places)\s+(themselves|yourself|himself|herself)"
    r"\s+at\s+risk": "putting themselves at risk",
    r"\brisk[- ]taking\b": "risk-taking",
    r"\b(chose|choose|chooses|choosing)\s+(to\s+)?(be\s+)?(in\s+)?(danger|risk|crime|"
    r"violence|that life|this life|the streets|gang)": "choosing danger",
    r"\blifestyle choice": "lifestyle choice",
    r"\b(thug|yob|hoodlum|delinquent|troublemaker|feral|criminals)s?\b": "criminalising label",
    r"\ba criminal\b": "a criminal",
    r"\b(drug )?dealers?\b": "dealer",
    r"\bchild prostitut": "child prostitute",
    r"\bwhy did you\b": "why did you",
    r"\byou should have\b": "you should have",
    r"\basking for it\b": "asking for it",
    r"(?<!not )(?<!n't )\b(it'?s|it is|was) (all )?(your|their|his|her|your child's) "
    r"(own )?fault": "it's your fault",
}
LABEL_PATTERNS = [(re.compile(p, re.I), name) for p, name in LABELS.items()]

ACRONYM = re.compile(r"(?<![\w&])[A-Z][A-Z&]+(?![\w&])")
# Capitals that are everyday words or names, and why they need no explanation.
KNOWN_CAPITALS: dict[str, str] = {
    "UK": "everyday",
    "OK": "everyday",
    "QR": "QR code: an everyday word, always said as 'QR code'",
    "RIP": "what young people write on memorial posts",
    "SHOUT": "the word you text to 85258, not an acronym",
    "NSPCC": "the charity's own name; each use says what its helpline is for",
    "JSON": "only in error replies to software posting malformed requests to the API",
}


def labels_in(text: str) -> list[str]:
    """The labelling or blaming phrases found in ``text``."""
    return [name for pattern, name in LABEL_PATTERNS if pattern.search(text)]


def unexplained_acronyms(text: str) -> list[str]:
    """Acronyms that are not known words and are not explained in brackets right after."""
    found = []
    for match in ACRONYM.finditer(text):
        word = match.group(0)
        explained = text[match.end() : match.end() + 3].lstrip().startswith("(")
        if word not in KNOWN_CAPITALS and not explained:
            found.append(word)
    return found


TEXTS = all_texts()


def test_the_guard_reads_domain_and_code_texts() -> None:
    assert sum(1 for t in TEXTS if t.where.startswith(("core.yml", "topics.yml"))) > 10
    assert any(t.where.startswith("actions/") for t in TEXTS)
    assert any(t.where.startswith("bot/telegram/") for t in TEXTS)
    assert any(t.where.startswith("bot/channels/") for t in TEXTS)


@pytest.mark.parametrize("text", TEXTS, ids=[t.where for t in TEXTS])
def test_no_labelling_or_blaming_words(text: Text) -> None:
    assert not labels_in(text.text), f"{text.where}: {labels_in(text.text)} in {text.text!r}"


@pytest.mark.parametrize("text", TEXTS, ids=[t.where for t in TEXTS])
def test_no_unexplained_acronyms(text: Text) -> None:
    found = unexplained_acronyms(text.text)
    assert not found, f"{text.where}: explain {found} in {text.text!r}"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("He's a young offender.", "offender"),
        ("The perpetrator was arrested.", "perpetrator"),
        ("Is your son a gang member?", "gang / gang member"),
        ("She keeps putting herself at risk.", "putting themselves at risk"),
        ("They are placing themselves at risk", "putting themselves at risk"),
        ("This is risk-taking behaviour.", "risk-taking"),
        ("He chose that life.", "choosing danger"),
        ("Why did you go there?", "why did you"),
        ("It's your fault for going.", "it's your fault"),
        ("He's a county lines kid.", "county lines kid"),
    ],
)
def test_the_guard_catches_labels(text: str, label: str) -> None:
    assert label in labels_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "It is not your fault, and it is not your child's fault.",
        "It's not your fault.",
        "Someone who hurt you did wrong.",
        "Children who are used by others should be treated as victims.",
    ],
)
def test_the_guard_lets_kind_words_through(text: str) -> None:
    assert labels_in(text) == []


def test_acronyms_need_explaining() -> None:
    assert unexplained_acronyms("Ask CAMHS for help.") == ["CAMHS"]
    assert unexplained_acronyms("Ask CAMHS (the children's mental health service).") == []
    assert unexplained_acronyms("Call the NSPCC helpline. Scan the QR code.") == []
