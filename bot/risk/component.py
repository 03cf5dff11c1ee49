"""Rasa 3.6 NLU component: run the risk detector on every message.

Place it last in the NLU pipeline (after the intent classifier and FallbackClassifier):

    - name: bot.risk.component.RiskDetectorComponent
      lexicon_dir: data/risk

For each message it adds ``risk`` = {"level", "categories", "evidence"} to the parse
result (``add_to_output=True``, so it reaches the tracker and /model/parse). When the
level is medium, high or immediate it sets the intent to ``risk_<level>`` with
confidence 1.0 and puts that first in the intent ranking, above whatever the classifier
or FallbackClassifier chose (including nlu_fallback). The rest of the ranking is kept.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.channels.previous import PREVIOUS_KEY, WITH_PREVIOUS_KEY
from bot.risk.assessment import danger, injured
from bot.risk.detector import DEFAULT_LEXICON_DIR, RiskDetector

logger = logging.getLogger(__name__)

LEXICON_DIR_KEY = "lexicon_dir"
RISK_KEY = "risk"
OVERRIDE_LEVELS = ("immediate", "high", "medium")
"""Levels that replace the classifier's intent with ``risk_<level>``."""
DANGER_ENTITY = "danger"
"""Set on every immediate message from the person at risk (``assessment.danger``: a
variation's name, or ``usual``); fills the ``danger`` slot, which picks the emergency
answer's variation (bot/domain/emergency.yml). Set every time, not only for a variation,
so the slot never keeps an earlier message's kind, with or without the action server."""
INJURED_ENTITY = "injured"
"""Set on every high message: "yes" when it is from someone hurt (``assessment.injured``),
else "no", so the ``injured`` slot is never left over from an earlier message. It picks
the high answer's variation (bot/domain/navigator.yml)."""
REPORTER_ENTITY = "reporter"
"""Entity set when the risk is about the writer's child; fills the ``reporter`` slot."""


@lru_cache(maxsize=4)
def _detector(lexicon_dir: Path) -> RiskDetector:
    """One detector per lexicon directory per process (loading takes a few seconds)."""
    return RiskDetector.from_dir(lexicon_dir)


def resolve_lexicon_dir(configured: str | Path) -> Path:
    """Resolve ``lexicon_dir`` against the working directory (the repo root when Rasa runs).

    A relative path that does not exist there is tried against the repository root, so
    the component also works when Rasa is started from another directory.
    """
    path = Path(configured).expanduser()
    if path.is_absolute() or path.is_dir():
        return path.resolve()
    repo_root = DEFAULT_LEXICON_DIR.parents[1]
    fallback = repo_root / path
    if fallback.is_dir():
        logger.info("risk.lexicon_dir.from_repo_root path=%s", fallback)
        return fallback
    return path.resolve()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RiskDetectorComponent(GraphComponent, IntentClassifier):
    """Adds a risk assessment to every message and overrides the intent on risk."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Run after an intent classifier (and after FallbackClassifier in the config)."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``lexicon_dir``: the lexicon folder, relative to the directory Rasa runs in."""
        return {LEXICON_DIR_KEY: "data/risk"}

    @staticmethod
    def required_packages() -> list[str]:
        """The detector needs spaCy (a blank pipeline, no downloaded model)."""
        return ["spacy"]

    def __init__(self, config: dict[str, Any], detector: RiskDetector) -> None:
        """Keep the config and an already loaded detector."""
        self.component_config = config
        self.detector = detector

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RiskDetectorComponent:
        """Load the lexicon (a malformed lexicon stops Rasa with a LexiconError)."""
        lexicon_dir = resolve_lexicon_dir(config.get(LEXICON_DIR_KEY) or "data/risk")
        return cls(config, _detector(lexicon_dir))

    def process(self, messages: list[Message]) -> list[Message]:
        """Assess each message's text; set ``risk`` and, on risk, the intent."""
        for message in messages:
            previous = _previous(message)
            assessment = self.detector.assess_reply(message.get(TEXT), previous)
            risk = assessment.to_dict()
            if assessment.read_with_previous:
                risk[WITH_PREVIOUS_KEY] = previous  # the escalation keeps both messages
            message.set(RISK_KEY, risk, add_to_output=True)
            if assessment.level in OVERRIDE_LEVELS:
                _override_intent(message, f"risk_{assessment.level}")
                if assessment.about_child:
                    _add_entity(message, REPORTER_ENTITY, "parent")
                elif assessment.about_cared:
                    _add_entity(message, REPORTER_ENTITY, "professional")
                reported = assessment.about_child or assessment.about_cared
                if assessment.level == "high":
                    hurt = injured(assessment.level, assessment.categories, reported=reported)
                    _add_entity(message, INJURED_ENTITY, "yes" if hurt else "no")
                kind = danger(
                    assessment.level,
                    assessment.categories,
                    reported=reported,
                    by_other=assessment.harm_by_other,
                    armed=assessment.armed,
                )
                if kind is not None:
                    _add_entity(message, DANGER_ENTITY, kind)
        return messages


def _previous(message: Message) -> str | None:
    """The writer's previous message, which a channel puts in the metadata
    (bot/channels/previous.py), so "its me btw" is read with the question before it."""
    metadata = message.get("metadata")
    previous = metadata.get(PREVIOUS_KEY) if isinstance(metadata, dict) else None
    return previous if isinstance(previous, str) else None


def _add_entity(message: Message, name: str, value: str) -> None:
    """Add an entity that fills a slot (``reporter``: the replies speak to a parent).

    It spans the whole message, which is what it is about; a test story writes it as
    ``[the whole message]{"entity": "reporter", "value": "parent"}``.
    """
    end = len(message.get(TEXT) or "")
    entity = {"entity": name, "value": value, "start": 0, "end": end, "extractor": "risk"}
    entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != name]
    message.set(ENTITIES, [*entities, entity], add_to_output=True)


def _override_intent(message: Message, name: str) -> None:
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        entry
        for entry in (message.get(INTENT_RANKING_KEY) or [])
        if entry.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
