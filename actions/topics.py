"""Offering the topic that matches what the risk detector heard."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import latest_risk, typed_words

# Risk category -> (button title, payload) of the menu topic that helps most.
TOPIC_FOR_CATEGORY: dict[str, tuple[str, str]] = {
    "weapon_carrying": ("Knives", "/topic_knives"),
    "threatened": ("I feel unsafe", "/topic_unsafe"),
    "violence_now": ("I feel unsafe", "/topic_unsafe"),
    "exploitation": ("Being used or pressured", "/topic_exploitation"),
    "abuse_at_home": ("I feel unsafe", "/topic_unsafe"),
    "missing": ("I feel unsafe", "/topic_unsafe"),
    "online_threats": ("I feel unsafe", "/topic_unsafe"),
}


GRIEF_TOPIC = ("I lost someone", "/topic_grief")
# Someone who says a person died is offered the grief topic too, whatever the category:
# "my bro got stabbed and died" is violence to the detector but grief to the young person.
DEATH_WORDS = re.compile(
    r"\b(died|dead|dying|passed( away)?|killed|murdered|funeral|rip|lost (my|him|her))\b",
    re.IGNORECASE,
)


class ActionOfferTopic(Action):
    """After a medium-risk message, offer the matching topic as well as a navigator."""

    def name(self) -> str:
        """Return the action name used in the domain and rules."""
        return "action_offer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Utter one message with a button per matching topic (nothing if none match)."""
        buttons: list[dict[str, str]] = []
        for category in latest_risk(tracker).get("categories") or []:
            topic = TOPIC_FOR_CATEGORY.get(category)
            if topic and {"title": topic[0], "payload": topic[1]} not in buttons:
                buttons.append({"title": topic[0], "payload": topic[1]})
        grief = {"title": GRIEF_TOPIC[0], "payload": GRIEF_TOPIC[1]}
        if DEATH_WORDS.search(typed_words(tracker)) and grief not in buttons:
            buttons.insert(0, grief)
        if buttons:
            dispatcher.utter_message(response="utter_offer_topic", buttons=buttons)
        return []
