"""The safety net picks the emergency answer's variation the way Rasa would."""

from __future__ import annotations

from types import SimpleNamespace

from bot.channels.safety_net import FALLBACK_TEXT, response_text

DOMAIN = SimpleNamespace(
    responses={
        "utter_emergency": [
            {
                "condition": [{"type": "slot", "name": "danger", "value": "self_harm"}],
                "text": "self-harm answer",
            },
            {"text": "usual answer"},
        ]
    }
)
AGENT = SimpleNamespace(domain=DOMAIN)


def test_the_usual_answer_unless_the_condition_is_met() -> None:
    assert response_text(AGENT, "utter_emergency") == "usual answer"
    assert response_text(AGENT, "utter_emergency", {"danger": "other"}) == "usual answer"
    assert response_text(AGENT, "utter_emergency", {"danger": "self_harm"}) == "self-harm answer"


def test_a_missing_response_falls_back_to_the_built_in_sentence() -> None:
    assert response_text(AGENT, "utter_nothing") == FALLBACK_TEXT
    assert response_text(SimpleNamespace(), "utter_emergency") == FALLBACK_TEXT


def _tracker(entities: list[dict]) -> SimpleNamespace:
    from rasa.shared.core.events import UserUttered

    said = UserUttered("im gonna stab him later", parse_data={"entities": entities})
    return SimpleNamespace(events=[said])


def test_while_paused_the_variation_is_the_message_own_danger_entity() -> None:
    from bot.channels.safety_net import _danger

    assert _danger(_tracker([{"entity": "danger", "value": "harm_others"}])) == "harm_others"
    assert _danger(_tracker([])) is None


def test_the_real_domain_speaks_to_the_young_person_only_when_no_reporter_is_set() -> None:
    """The domain's own conditions decide (reporter: null): a youth worker who said so
    earlier gets the usual answer, not "leave it behind" spoken to them."""
    from pathlib import Path

    from rasa.shared.core.domain import Domain

    agent = SimpleNamespace(domain=Domain.load(str(Path(__file__).parents[2] / "bot" / "domain")))
    usual = response_text(agent, "utter_emergency")
    young = response_text(agent, "utter_emergency", {"danger": "harm_others", "reporter": None})
    worker = response_text(
        agent, "utter_emergency", {"danger": "harm_others", "reporter": "professional"}
    )
    assert "leave it behind" in young
    assert worker == usual and "leave it behind" not in worker
    # Someone not breathing (session 12, seen in the browser): the usual answer had spoken
    # only of bleeding. The 999 call handler talks the caller through CPR.
    assert "isn't breathing" in usual and "999 call handler" in usual

    armed = response_text(agent, "utter_emergency", {"danger": "armed", "reporter": None})
    assert "don't take the knife" in armed and "press hard on the wound" not in armed
