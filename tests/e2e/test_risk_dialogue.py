"""Risk over HTTP with the real servers: the override, honesty, and no false alarms."""

from __future__ import annotations

import uuid

import httpx
import pytest

from bot.launcher import Stack
from bot.navigator.records import EscalationRecord
from tests.e2e.chat import button_titles, escalations, joined, pseudonym, say
from tests.e2e.webchat_client import WebChatUser

pytestmark = pytest.mark.e2e


def new_sender() -> str:
    return f"risk-{uuid.uuid4().hex[:12]}"


def escalation_for(stack: Stack, sender: str) -> EscalationRecord | None:
    return escalations(stack).open_escalation_for(pseudonym(stack, "rest", sender))


def test_parse_result_carries_the_risk_assessment(stack: Stack) -> None:
    response = httpx.post(
        f"{stack.rasa_url}/model/parse",
        params={"token": stack.token},
        json={"text": "someone's outside my house with a knife right now"},
        timeout=30,
    )
    parsed = response.json()
    assert parsed["risk"]["level"] == "immediate"
    assert parsed["intent"]["name"] == "risk_immediate"
    assert parsed["risk"]["evidence"]


def test_immediate_danger_gets_the_emergency_answer_first_then_a_navigator_is_told(
    stack: Stack,
) -> None:
    sender = new_sender()
    say(stack, sender, "/topic_knives")
    replies = say(stack, sender, "my mate just got stabbed and he's bleeding")
    assert "call 999" in replies[0]["text"]
    assert "press hard on the wound" in joined(replies)
    # Nobody is online in this test system: said honestly, with the 24/7 lines.
    told = joined(replies[1:])
    assert "no youth worker online right now" in told
    assert "0800 1111" in told and "116 123" in told and "85258" in told
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "immediate" and row.status == "waiting"
    assert "my mate just got stabbed and he's bleeding" in row.trigger_text


def test_high_risk_is_acknowledged_and_explained_before_escalating(stack: Stack) -> None:
    sender = new_sender()
    replies = say(stack, sender, "i've been carrying a blade since they jumped me")
    text = joined(replies)
    assert "you're not in trouble" in text
    assert "navigator" in text and "real person" in text
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "high"
    assert "weapon_carrying" in row.categories
    # Stored once: the Rasa server's backup write sees action_escalate already did it.
    assert [event.event for event in escalations(stack).history(row.id)] == ["created"]


def test_someone_hurt_is_told_to_get_it_checked(stack: Stack) -> None:
    sender = new_sender()
    text = joined(say(stack, sender, "me and my mate got stabbed last night"))
    assert "you're not in trouble" in text
    assert "get it checked" in text and "A&E" in text and "999" in text
    assert "navigator" in text
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "high" and "violence_now" in row.categories
    # The next high message, not about an injury, gets the usual high answer.
    later = joined(say(stack, sender, "i carry a blade now"))
    assert "you're not in trouble" in later and "get it checked" not in later


def test_a_parent_telling_about_their_child_is_answered_as_a_parent(stack: Stack) -> None:
    sender = new_sender()
    replies = say(stack, sender, "my son has a knife in his room")
    text = joined(replies)
    assert "keep your child safe" in text
    assert "you're not in trouble" not in text  # the young person's words, not for a parent
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "high"
    # Later risk replies in the same conversation still speak to the parent
    replies = say(stack, sender, "and his mate carries a blade too")
    assert "help you work out what to do" in joined(replies)


def test_a_parent_who_said_so_is_answered_as_a_parent(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "/role_parent")
    assert "help you work out what to do" in joined(say(stack, sender, "his mate carries a blade"))


def test_medium_risk_offers_a_navigator_and_the_matching_topic(stack: Stack) -> None:
    sender = new_sender()
    replies = say(stack, sender, "my friend carries a blade")
    titles = button_titles(replies)
    assert "Yes, talk to a youth worker" in titles
    assert "Knives" in titles
    assert escalation_for(stack, sender) is None  # offered, not imposed


def test_owning_up_in_a_second_message_escalates_with_both_messages(stack: Stack) -> None:
    """Testing the water, then "its me btw": the channel passes the previous message on,
    so the reply is heard as the disclosure it is."""
    sender = new_sender()
    asked = "if my mate had a blade in his bag would you tell the school"
    say(stack, sender, asked)
    assert escalation_for(stack, sender) is None
    text = joined(say(stack, sender, "its me btw"))
    assert "you're not in trouble" in text
    assert "navigator" in text
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "high"
    assert "weapon_carrying" in row.categories
    assert row.trigger_text == f"{asked} / its me btw"
    # A greeting that only looks like it is read on its own.
    other = new_sender()
    say(stack, other, asked)
    say(stack, other, "its me again lol")
    assert escalation_for(stack, other) is None


def test_owning_up_in_a_second_message_is_heard_on_the_web_chat_too(stack: Stack) -> None:
    young_person = WebChatUser(stack)
    try:
        young_person.say(
            "what would you do if someone was on a bridge right now thinking about jumping"
        )
        replies = young_person.say("ok its me")
        assert "999" in " ".join(m.get("text") or "" for m in replies)
        conversation = pseudonym(stack, "webchat", young_person.session)
        row = escalations(stack).open_escalation_for(conversation)
        assert row is not None and row.level == "immediate"
        assert row.trigger_text.endswith(" / ok its me")
    finally:
        young_person.close()


def test_thanks_after_risk_is_not_a_goodbye(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "my mate just got stabbed and he's bleeding")
    after = joined(say(stack, sender, "thank you"))
    assert "You're welcome" in after and "999" in after and "youth worker" in after
    pills = new_sender()
    say(stack, pills, "ive taken a load of pills")
    assert "A&E" in joined(say(stack, pills, "thanks"))
    plain = new_sender()
    say(stack, plain, "hi")
    assert "999" not in joined(say(stack, plain, "thank you"))


def test_risk_is_not_cleared_by_im_fine(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "i want to kill myself")
    text = joined(say(stack, sender, "i'm fine"))
    assert "still matters" in text


@pytest.mark.parametrize(
    "words",
    [
        "I'm dead 😂",
        "this homework is killing me",
        "my phone's dying",
        "he's sharp with the ball",
        "is it illegal to carry a knife?",
        "I'd never carry a knife",
    ],
)
def test_everyday_words_do_not_raise_an_alarm(stack: Stack, words: str) -> None:
    sender = new_sender()
    text = joined(say(stack, sender, words))
    assert "youth worker online" not in text and "told a youth worker" not in text
    assert escalation_for(stack, sender) is None


def test_no_to_are_you_safe_gets_the_emergency_answer_and_escalates(stack: Stack) -> None:
    sender = new_sender()
    assert "Are you safe right now?" in joined(say(stack, sender, "/topic_unsafe"))
    replies = say(stack, sender, "nah")
    assert "call 999" in replies[0]["text"]
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "immediate"


def test_immediate_self_harm_gets_its_own_emergency_answer_then_the_usual_one(
    stack: Stack,
) -> None:
    sender = new_sender()
    replies = say(stack, sender, "ive taken a load of pills")
    first = replies[0]["text"]
    assert "call 999" in first and "Your life matters" in first and "116 123" in first
    assert "bleeding" not in joined(replies)
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "immediate"
    # A later emergency of another kind gets the usual answer (it sets the slot afresh).
    later = say(stack, sender, "my mate just got stabbed and he's bleeding")
    assert "press hard on the wound" in joined(later)
    assert "Your life matters" not in joined(later)


def test_im_safe_after_an_overdose_still_says_to_get_checked(stack: Stack) -> None:
    """An overdose can harm hours later with no symptoms at first: "I'm home, I feel sick"
    is not the end of it. After a stabbing, "I'm safe" gets the plain answer."""
    sender = new_sender()
    say(stack, sender, "ive taken a load of pills")
    after = joined(say(stack, sender, "/im_safe"))
    assert "A&E" in after and "even if you feel OK" in after
    for unclear in ("hmmm qwkjd zzz", "😀😀😀"):  # out of scope, not understood
        assert "A&E" in joined(say(stack, sender, unclear)), unclear
    fine = joined(say(stack, sender, "im fine now honestly"))  # risk is not cleared
    assert "still matters" in fine and "A&E" in fine
    other = new_sender()
    say(stack, other, "my mate just got stabbed and he's bleeding")
    plain = joined(say(stack, other, "/im_safe"))
    assert "glad you're safe" in plain and "A&E" not in plain


def test_immediate_intent_to_hurt_someone_gets_stop_and_talk_not_first_aid(
    stack: Stack,
) -> None:
    sender = new_sender()
    replies = say(stack, sender, "im gonna stab him later when he comes out of school")
    first = replies[0]["text"]
    assert "You can still change what happens" in first and "call 999" in first
    assert "press hard on the wound" not in joined(replies)
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "immediate"


def test_a_youth_worker_passing_on_danger_is_not_told_to_leave_the_knife(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "/role_youth_worker")  # "I work with young people": reporter is set
    replies = say(stack, sender, "he says he's going to stab someone later, he's got it on him")
    text = joined(replies)
    assert "call 999" in text
    assert "You can still change what happens" not in text and "leave it behind" not in text
    row = escalation_for(stack, sender)
    assert row is not None and row.level == "immediate"
