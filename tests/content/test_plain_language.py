"""Every response meant for young people (and parents) reads as plain English.

Measure: Flesch Reading Ease (tests/content/readability.py), per message as it is
delivered: the channels split a response at blank lines, so each part is scored alone.

Thresholds, and why:
- every part scores at least 60. Flesch's own scale calls 60-69 "plain English", easily
  understood by 13- to 15-year-olds; it is the UK government's usual floor for public
  text. One hard message is one a frightened 13-year-old may not finish.
- the mean over all parts is at least 80 ("easy", about age 11-12), so most of what
  Waypoint says is easier than the floor, for the youngest users (11) and for parents
  with English as an additional language (VOICE.md principle 6).
A formula only counts sentence and word length; it cannot see jargon or tone, so the
language guard (test_language_guard.py) and people reading the texts aloud still matter.

Exempt: the youth-worker answers (written for professionals: how escalations, venue
codes and data handling work) and button titles (a few words each, scored meaningless).
"""

from __future__ import annotations

import statistics

import pytest

from tests.content.readability import flesch_reading_ease
from tests.content.texts import Text, domain_texts

FLOOR = 60.0
MEAN_TARGET = 80.0
# Responses for adults who work with young people, not for young people.
EXEMPT = {
    "utter_role_youth_worker",
    "utter_yw_qr_codes",
    "utter_yw_escalations",
    "utter_yw_data",
}


def parts() -> list[tuple[str, str]]:
    """(where, message part) for every response meant for young people or parents."""
    found = []
    for text in domain_texts():
        if text.where.endswith("button") or text.name in EXEMPT:
            continue
        found.extend((text.where, part) for part in text.text.split("\n\n") if part.strip())
    return found


def _ids(items: list[tuple[str, str]]) -> list[str]:
    return [f"{where}#{n}" for n, (where, _) in enumerate(items)]


PARTS = parts()


def test_there_are_texts_to_score() -> None:
    assert len(PARTS) > 100


@pytest.mark.parametrize(("where", "part"), PARTS, ids=_ids(PARTS))
def test_every_message_is_plain_english(where: str, part: str) -> None:
    score = flesch_reading_ease(part)
    assert score >= FLOOR, f"{where}: Flesch reading ease {score:.0f} < {FLOOR:.0f}: {part!r}"


def test_most_of_what_waypoint_says_is_easy() -> None:
    mean = statistics.mean(flesch_reading_ease(part) for _, part in PARTS)
    assert mean >= MEAN_TARGET, f"mean Flesch reading ease {mean:.1f} < {MEAN_TARGET}"


def test_exempt_responses_exist() -> None:
    """An exemption for a response that was renamed or removed would hide nothing."""
    names = {text.name for text in domain_texts()}
    assert names >= EXEMPT


def test_the_floor_catches_hard_text() -> None:
    hard = Text(
        "example",
        "Notwithstanding the aforementioned considerations, practitioners should "
        "consider multi-agency safeguarding arrangements and contextual interventions.",
    )
    assert flesch_reading_ease(hard.text) < FLOOR
    assert flesch_reading_ease("You're not in trouble. Are you safe right now?") >= FLOOR
