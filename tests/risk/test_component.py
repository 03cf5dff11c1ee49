"""The Rasa NLU component: adds ``risk`` to the parse result and overrides the intent."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip(
    "rasa",
    reason="Rasa is not installed in this environment; "
    "install rasa==3.6.21 (see README) to test the NLU component",
)

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.nlu.classifiers.classifier import IntentClassifier  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.risk.component import RiskDetectorComponent, resolve_lexicon_dir  # noqa: E402

RANKING = [{"name": "greet", "confidence": 0.9}, {"name": "goodbye", "confidence": 0.1}]


@pytest.fixture(scope="module")
def component(tmp_path_factory: pytest.TempPathFactory) -> RiskDetectorComponent:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    return RiskDetectorComponent.create(
        RiskDetectorComponent.get_default_config(),
        storage,
        Resource("risk"),
        ExecutionContext(GraphSchema({})),
    )


def message(text: str | None, intent: str = "greet") -> Message:
    data = {
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [dict(r) for r in RANKING],
    }
    if text is not None:
        data["text"] = text
    return Message(data)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("someone is outside my house with a knife", "risk_immediate"),
        ("I carry a blade now", "risk_high"),
        ("my mate carries a blade", "risk_medium"),
    ],
)
def test_risk_overrides_intent(component: RiskDetectorComponent, text: str, intent: str) -> None:
    msg = message(text)
    assert component.process([msg]) == [msg]
    assert msg.get("intent") == {"name": intent, "confidence": 1.0}
    ranking = msg.get("intent_ranking")
    assert ranking[0] == {"name": intent, "confidence": 1.0}
    assert ranking[1:] == RANKING  # the classifier's ranking is kept after it
    output = msg.as_dict(only_output_properties=True)
    assert output["risk"]["level"] == intent.removeprefix("risk_")
    assert output["intent"]["name"] == intent
    assert output["risk"]["categories"]


def test_overrides_nlu_fallback(component: RiskDetectorComponent) -> None:
    msg = message("gonna kms tonight", intent="nlu_fallback")
    component.process([msg])
    assert msg.get("intent")["name"] == "risk_immediate"


@pytest.mark.parametrize("text", ["hello", "is it illegal to carry a knife?", "", None])
def test_low_or_no_risk_keeps_intent(component: RiskDetectorComponent, text: str | None) -> None:
    msg = message(text)
    component.process([msg])
    assert msg.get("intent") == {"name": "greet", "confidence": 0.9}
    assert msg.get("intent_ranking") == RANKING
    risk = msg.as_dict(only_output_properties=True)["risk"]
    assert risk["level"] in ("none", "low")
    assert set(risk) == {"level", "categories", "evidence"}


def test_several_messages(component: RiskDetectorComponent) -> None:
    messages = [message("hi"), message("i want to die"), message("lol")]
    component.process(messages)
    assert [m.get("risk")["level"] for m in messages] == ["none", "high", "none"]


def test_owning_up_is_read_with_the_previous_message_from_the_metadata(
    component: RiskDetectorComponent,
) -> None:
    """Channels put the writer's last message in the metadata (bot/channels/previous.py)."""
    asked = "if my mate had a blade in his bag would you tell the school"
    msg = message("its me btw")
    msg.set("metadata", {"previous": asked, "venue": "youth-club"})
    component.process([msg])
    assert msg.get("intent")["name"] == "risk_high"
    assert msg.get("risk")["level"] == "high"
    assert msg.get("risk")["with_previous"] == asked
    alone = message("its me btw")
    component.process([alone])
    assert alone.get("risk")["level"] == "none" and "with_previous" not in alone.get("risk")


def test_component_contract() -> None:
    assert RiskDetectorComponent.required_components() == [IntentClassifier]
    assert issubclass(RiskDetectorComponent, IntentClassifier)
    assert RiskDetectorComponent.get_default_config() == {"lexicon_dir": "data/risk"}


def test_lexicon_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # not the repo root: falls back to the repo's data/risk
    assert (resolve_lexicon_dir("data/risk") / "_modifiers.yml").is_file()
    assert resolve_lexicon_dir(tmp_path) == tmp_path.resolve()


def test_risk_to_the_writers_child_fills_the_reporter_entity(
    component: RiskDetectorComponent,
) -> None:
    parent, young = message("my son has a knife in his room"), message("i carry a blade")
    component.process([parent, young])
    assert parent.get("intent")["name"] == "risk_high"
    assert entity_values(parent, "reporter") == ["parent"]
    assert entity_values(young, "reporter") == []


def entity_values(msg: Message, name: str) -> list[str]:
    return [e["value"] for e in msg.get("entities") or [] if e["entity"] == name]


def test_a_high_message_from_someone_hurt_fills_injured(component: RiskDetectorComponent) -> None:
    """The high answer then says to get the injury checked (bot/domain/navigator.yml);
    every other high or immediate message says "no", so the slot is never stale."""
    punched, wants, parent, medium = (
        message("me and my mate got stabbed last night"),
        message("i want to kill myself"),
        message("my son got stabbed last night"),
        message("my mate got jumped"),
    )
    component.process([punched, wants, parent, medium])
    assert punched.get("intent")["name"] == "risk_high"
    assert entity_values(punched, "injured") == ["yes"]
    assert entity_values(wants, "injured") == ["no"]
    assert entity_values(parent, "injured") == ["no"]  # answered as a parent
    assert medium.get("intent")["name"] == "risk_medium"
    assert entity_values(medium, "injured") == []


def danger_of(msg: Message) -> str | None:
    """The ``danger`` entity's value on a processed message, or None."""
    values = [e["value"] for e in msg.get("entities") or [] if e["entity"] == "danger"]
    assert len(values) <= 1
    return values[0] if values else None


def test_every_immediate_message_sets_danger_so_the_slot_is_never_stale(
    component: RiskDetectorComponent,
) -> None:
    """An earlier self-harm message must not give a later stabbing the self-harm answer:
    nothing else clears the slot."""
    first = message("ive taken a load of pills")
    later = message("someone just got stabbed outside")
    component.process([first, later])
    assert (danger_of(first), danger_of(later)) == ("self_harm", "usual")


def test_immediate_self_harm_fills_the_danger_entity(component: RiskDetectorComponent) -> None:
    """The emergency answer then speaks to suicide and self-harm (bot/domain/emergency.yml)."""
    pills, stabbed, wants = (
        message("ive taken a load of pills"),
        message("my mate just got stabbed and he's bleeding"),
        message("i want to kill myself"),
    )
    component.process([pills, stabbed, wants])
    assert danger_of(pills) == "self_harm"
    assert danger_of(stabbed) == "usual"  # someone is hurt: first aid
    assert danger_of(wants) is None  # high, not immediate: no emergency answer


def test_immediate_intent_to_hurt_someone_fills_the_danger_entity(
    component: RiskDetectorComponent,
) -> None:
    """The emergency answer then says "stop and talk" instead of first aid."""
    later = message("im gonna stab him later")
    component.process([later])
    assert danger_of(later) == "harm_others"


def test_danger_passed_on_by_an_adult_gets_the_usual_emergency_answer(
    component: RiskDetectorComponent,
) -> None:
    """"Leave the knife behind" and "your life matters" speak to the person in danger."""
    worker = message("one of my young people told me he is going to stab someone tonight")
    parent = message("my son just told me hes taken a load of pills")
    component.process([worker, parent])
    for passed_on, reporter in ((worker, "professional"), (parent, "parent")):
        entities = [(e["entity"], e["value"]) for e in passed_on.get("entities") or []]
        assert ("reporter", reporter) in entities
        assert danger_of(passed_on) is None  # reporter set: no variation applies


def test_a_friend_about_to_hurt_someone_gets_the_usual_emergency_answer(
    component: RiskDetectorComponent,
) -> None:
    """"Leave it behind" is for the one holding the knife, not a witness to it."""
    mate, mine = message("my mate is gonna stab him tonight"), message("im gonna stab him tonight")
    component.process([mate, mine])
    assert mate.get("intent")["name"] == "risk_immediate"
    assert danger_of(mate) == "usual"
    assert danger_of(mine) == "harm_others"


def test_a_weapon_on_the_writer_with_danger_coming_fills_armed(
    component: RiskDetectorComponent,
) -> None:
    """"Don't take the knife with you" rather than "if someone is bleeding"."""
    mine = message("got my bora in my bag and theyre waiting outside school for me now")
    mate = message("my mate has a blade and the opps are outside")
    component.process([mine, mate])
    assert danger_of(mine) == "armed"
    assert danger_of(mate) == "usual"
