"""The conversation flows (issue #6) over HTTP to the real Rasa and action servers.

Every step a person can reach answers with buttons that go on, bring in a youth worker
and return to the menu; check-ins are never offered on a channel that cannot deliver
them later (REST here, like the web chat).
"""

from __future__ import annotations

import uuid

import pytest

from bot.launcher import Stack
from tests.e2e.chat import button_titles, joined, say

pytestmark = pytest.mark.e2e

# Payloads of every flow step; each must answer with "Talk to a youth worker" (or
# "Talk to a navigator" for youth workers) and a way back to the menu.
STEPS = [
    "/unsafe_safe_places",
    "/grounding",
    "/parent_urgent",
    "/unsafe_routes",
    "/unsafe_tell_adult",
    "/report_anonymously",
    "/someone_hurt",
    "/grief_feelings",
    "/grief_anniversary",
    "/grief_funeral",
    "/grief_online",
    "/grief_support",
    "/knife_why_carry",
    "/knife_risk",
    "/knife_law",
    "/knife_stop",
    "/knife_get_rid",
    "/knife_friend",
    "/topic_exploitation",
    "/exploitation_help",
    "/parent_signs",
    "/parent_talk_knives",
    "/parent_talk_grief",
    "/parent_child_missing",
    "/parent_child_hurt",
    "/parent_child_arrested",
    "/parent_child_scared",
    "/parent_childrens_services",
    "/parent_helplines",
    "/yw_qr_codes",
    "/yw_escalations",
    "/yw_data",
]


def new_sender() -> str:
    return f"flow-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("payload", STEPS)
def test_every_step_offers_a_person_and_the_menu(stack: Stack, payload: str) -> None:
    replies = say(stack, new_sender(), payload)
    titles = button_titles(replies)
    assert replies and replies[0]["text"], payload
    assert {"Talk to a youth worker", "Talk to a navigator"} & set(titles), titles
    assert "Menu" in titles, titles
    assert "check in with you tomorrow" not in joined(replies)


def test_safe_right_now_leads_to_the_options(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "/topic_unsafe")
    replies = say(stack, sender, "/im_safe")
    assert "Safe places and people" in button_titles(replies)
    assert "Reporting without my name" in button_titles(replies)


def test_grief_grounding_then_worse_gets_people_and_24_7_lines(stack: Stack) -> None:
    sender = new_sender()
    assert "count to 4" in joined(say(stack, sender, "/grounding"))
    text = joined(say(stack, sender, "/deny"))
    assert "0800 1111" in text and "116 123" in text and "999" in text


def test_the_knife_law_in_plain_words_without_threats(stack: Stack) -> None:
    text = joined(say(stack, new_sender(), "what is the law on knives"))
    assert "3 inches" in text and "under 18" in text
    assert "prison" not in text


def test_revenge_in_the_middle_of_grief_goes_to_the_risk_path(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "/grief_feelings")
    text = joined(say(stack, sender, "i'm gonna get whoever did it"))
    assert "navigator" in text or "youth worker" in text
    assert "Thank you for telling me" in text


def test_cancel_check_in_with_none_waiting(stack: Stack) -> None:
    assert "no check-in to cancel" in joined(say(stack, new_sender(), "cancel check in"))
