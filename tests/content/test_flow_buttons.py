"""Every step of the conversation flows offers a person and the way back to the menu.

Checked statically over the flows' domain files, so a new step without those buttons
fails here before anyone talks to it. Also: every flow button's intent exists in the
domain (find_service included).
"""

from __future__ import annotations

import json

import pytest
import yaml

from tests.content.texts import DOMAIN

FLOW_FILES = ["unsafe", "grief", "knives", "exploitation", "parents", "youth_workers"]
PERSON = "/request_navigator"
MENU = "/show_menu"


def responses(stem: str) -> dict[str, list[dict]]:
    content = yaml.safe_load((DOMAIN / f"{stem}.yml").read_text(encoding="utf-8"))
    return content["responses"]


def all_intents() -> set[str]:
    intents: set[str] = set()
    for path in DOMAIN.glob("*.yml"):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        intents.update(
            i if isinstance(i, str) else next(iter(i)) for i in content.get("intents") or []
        )
    return intents


STEPS = [(stem, name) for stem in FLOW_FILES for name in responses(stem)]


@pytest.mark.parametrize(("stem", "name"), STEPS, ids=[f"{s}:{n}" for s, n in STEPS])
def test_every_step_offers_a_person_and_the_menu(stem: str, name: str) -> None:
    for variation in responses(stem)[name]:
        payloads = [b["payload"] for b in variation.get("buttons") or []]
        assert PERSON in payloads, f"{name}: no 'Talk to a youth worker' button"
        assert MENU in payloads, f"{name}: no way back to the menu"


def test_every_flow_button_leads_to_an_intent_the_domain_knows() -> None:
    known = all_intents()
    for stem in [*FLOW_FILES, "topics", "checkins"]:
        path = DOMAIN / f"{stem}.yml"
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (content.get("responses") or {}).items():
            for variation in variations:
                for button in variation.get("buttons") or []:
                    payload = button["payload"].removeprefix("/")
                    intent, _, entities = payload.partition("{")
                    if entities:
                        json.loads("{" + entities)  # entity payloads must be valid JSON
                    assert intent in known, f"{path.name}:{name}: /{intent} is not an intent"
