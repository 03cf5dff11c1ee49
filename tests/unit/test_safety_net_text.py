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


def _tracker(entities: list[dict], reporter: str | None = None) -> SimpleNamespace:
    from rasa.shared.core.events import UserUttered

    said = UserUttered("im gonna stab him later", parse_data={"entities": entities})
    slots = {"reporter": reporter}
    return SimpleNamespace(events=[said], get_slot=slots.get)


def test_while_paused_the_variation_is_the_message_own_danger_entity() -> None:
    from bot.channels.safety_net import _danger

    harm = [{"entity": "danger", "value": "harm_others"}]
    assert _danger(_tracker(harm)) == "harm_others"
    assert _danger(_tracker([])) is None
    # a youth worker (said earlier) gets the usual answer, not one spoken to the young person
    assert _danger(_tracker(harm, reporter="professional")) is None
