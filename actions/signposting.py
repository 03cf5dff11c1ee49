"""Finding services: asks only what the search needs, then shows the best three.

What kind of help (``service_topic``) is always needed; where (``service_area``) is asked
unless it was typed, came from a QR venue code or was skipped; age (``service_age``) only
when it would change what is shown. A full postcode is never stored: only the area it
resolves to goes into a slot.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.channels.links import sms_link, tel_link
from signposting.areas import REGIONS, get_area
from signposting.search import Page, Result, Where, age_changes_answer, search
from signposting.topics import TOPICS

logger = logging.getLogger(__name__)

PAGE = 3
NO_AREA = "none"  # asked, and the person chose national help only
NO_AGE = -1.0  # asked, and the person chose not to say
YOUNG, PARENT, PROFESSIONAL = "young_person", "parent", "professional"

_PARENT = re.compile(
    r"\b(my|our) (son|daughter|child|kid|boy|girl|teen|teenager|stepson|stepdaughter|grandson|"
    r"granddaughter|nephew|niece)s?\b|\bi'?m (a|his|her) (mum|mom|dad|parent|carer)\b|"
    r"\bas a (parent|carer|mum|dad)\b",
    re.IGNORECASE,
)
_PROFESSIONAL = re.compile(
    r"\b(my|our) (youth )?(centre|center|club|project|school|young people)\b|"
    r"\bi'?m a (youth worker|teacher|social worker|mentor|coach)\b|\byoung people i work with\b|"
    r"\b(refer|referral|referrals|signpost)\b",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"(?:\b(?:i'?m|i am|he'?s|she'?s|they'?re|aged?|is)\s+)?\b([1-9][0-9]?)\b"
    r"(?:\s*(?:yo|y/o|years?(?: old)?))?",
    re.IGNORECASE,
)

_ASK_TOPIC = {
    YOUNG: "utter_service_ask_topic_young_person",
    PARENT: "utter_service_ask_topic_parent",
    PROFESSIONAL: "utter_service_ask_topic_professional",
}


def _entity(tracker: Tracker, name: str) -> str | None:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == name and entity.get("value") not in (None, ""):
            return str(entity["value"])
    return None


def _intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def _venue_area(tracker: Tracker) -> str | None:
    """The area of the QR venue the conversation came from, if any."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    venue = metadata.get("venue") if isinstance(metadata, dict) else None
    if not isinstance(venue, str) or not venue:
        return None
    try:
        from bot.venues.store import area_for_venue
    except ImportError:  # the venues module is optional for the action server
        return None
    area = area_for_venue(venue)
    return area if area and get_area(area) else None


def _audience(tracker: Tracker, words: str) -> str:
    """Who the help is for: what they just said, else what they chose earlier in the chat."""
    if _PARENT.search(words):
        return PARENT
    if _PROFESSIONAL.search(words):
        return PROFESSIONAL
    known = tracker.get_slot("service_audience")
    if known in (YOUNG, PARENT, PROFESSIONAL):
        return known
    for event in reversed(tracker.events):
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        if event.get("event") != "user":
            continue
        if name == "role_youth_worker" or name.startswith("yw_"):
            return PROFESSIONAL
        if name == "role_parent" or name.startswith("parent_"):
            return PARENT
    return YOUNG


_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}


def _age_from(words: str) -> float | None:
    # Only numbers that read as an age: "he's 15", "I'm 14", "15", "aged 12", "16 years old".
    words = re.sub(
        r"\b(" + "|".join(_NUMBER_WORDS) + r")\b",
        lambda match: str(_NUMBER_WORDS[match.group(1).lower()]),
        words,
        flags=re.IGNORECASE,
    )
    stripped = words.strip()
    if re.fullmatch(r"[1-9][0-9]?", stripped):
        return float(stripped)
    for match in _AGE.finditer(words):
        whole = match.group(0).lower()
        if re.search(r"(i'?m|i am|he'?s|she'?s|they'?re|age|is|yo|y/o|year)", whole):
            age = int(match.group(1))
            if 5 <= age <= 99:
                return float(age)
    return None


def _where(area_slot: str | None) -> Where:
    if not area_slot or area_slot == NO_AREA:
        return Where()
    return Where.parse(area_slot)


class ActionFindService(Action):
    """Ask for what is missing, or show (the next) three services."""

    def name(self) -> str:
        """Return the action name used in the domain and rules."""
        return "action_find_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Work out topic, area and age from this message and the slots, then act."""
        intent = _intent(tracker)
        latest = str((tracker.latest_message or {}).get("text") or "")
        words = "" if latest.startswith("/") else latest
        events: list[dict[str, Any]] = []

        def remember(slot: str, value: Any) -> None:
            events.append(SlotSet(slot, value))

        audience = _audience(tracker, words)
        remember("service_audience", audience)

        topic = tracker.get_slot("service_topic")
        new_topic = _entity(tracker, "service_topic")
        if new_topic in TOPICS:
            topic = new_topic
        elif intent == "find_service" and new_topic is None:
            topic = None  # a fresh "where can I get help?": ask what kind
        if topic not in TOPICS:
            topic = None

        area = tracker.get_slot("service_area")
        area_said = _entity(tracker, "service_area") or (
            words if intent in ("inform_place", "find_service") else None
        )
        if area_said:
            if area_said == NO_AREA:
                area = NO_AREA
            else:
                where = Where.parse(area_said)
                if where.area:
                    area = where.area.id
                elif where.region:
                    area = where.region
                elif intent == "inform_place":
                    remember("service_asked", "area")
                    dispatcher.utter_message(response="utter_service_area_unknown")
                    return [*events, SlotSet("service_topic", topic)]
        if area is None:
            area = _venue_area(tracker)
        if area not in (None, NO_AREA) and get_area(area) is None and area not in REGIONS:
            area = None

        age = tracker.get_slot("service_age")
        age_said = _entity(tracker, "service_age")
        if age_said is not None:
            age = NO_AGE if age_said == "skip" else _as_age(age_said)
        elif words:
            age = _age_from(words) or age

        offset = 0
        if intent == "service_more":
            offset = int(tracker.get_slot("service_offset") or 0) + PAGE
        remember("service_topic", topic)
        remember("service_area", area)
        remember("service_age", age)

        if topic is None:
            remember("service_asked", "topic")
            remember("service_offset", 0)
            self._ask_topic(dispatcher, audience)
            return events
        if area is None:
            remember("service_asked", "area")
            remember("service_offset", 0)
            response = (
                "utter_service_ask_area_centre"
                if audience == PROFESSIONAL
                else ("utter_service_ask_area")
            )
            dispatcher.utter_message(response=response)
            return events

        from signposting.db import default_directory

        where = _where(area)
        professional = audience == PROFESSIONAL
        directory = default_directory()
        with directory.read() as session:
            if (
                age is None
                and not professional
                and age_changes_answer(
                    session, topic, where, professional=professional, limit=PAGE
                )
            ):
                remember("service_asked", "age")
                self._ask_age(dispatcher, audience)
                return events
            page = search(
                session,
                topic,
                where,
                None if age in (None, NO_AGE) else int(age),
                professional=professional,
                limit=PAGE,
                offset=offset,
            )
        remember("service_asked", None)
        remember("service_offset", offset)
        self._show(dispatcher, page)
        return events

    @staticmethod
    def _ask_topic(dispatcher: CollectingDispatcher, audience: str) -> None:
        # The buttons live in the domain: channels only pass payloads the domain offers.
        dispatcher.utter_message(response=_ASK_TOPIC[audience])

    @staticmethod
    def _ask_age(dispatcher: CollectingDispatcher, audience: str) -> None:
        response = "utter_service_ask_age_child" if audience == PARENT else "utter_service_ask_age"
        dispatcher.utter_message(response=response)

    @staticmethod
    def _show(dispatcher: CollectingDispatcher, page: Page) -> None:
        place = page.where.area.name if page.where.area else REGIONS.get(page.where.region or "")
        if not page.results:
            dispatcher.utter_message(
                response="utter_service_none" if page.offset == 0 else "utter_service_no_more"
            )
            return
        local = any(result.tier != "national" for result in page.results)
        if page.offset == 0 and place and local:
            dispatcher.utter_message(response="utter_service_intro_place", place=place)
        elif page.offset == 0 and place:  # honest: nothing local on this page
            dispatcher.utter_message(response="utter_service_intro_nothing_local", place=place)
        elif page.offset == 0:
            dispatcher.utter_message(response="utter_service_intro_national")
        for result in page.results:
            dispatcher.utter_message(text=describe(result), buttons=contact_buttons(result))
        dispatcher.utter_message(
            response="utter_service_what_next_more" if page.has_more else "utter_service_what_next"
        )


def _as_age(text: str) -> float | None:
    try:
        age = float(text)
    except ValueError:
        return None
    return age if 0 < age < 120 else None


def _contact_line(result: Result) -> list[str]:
    lines = []
    for contact in result.contacts:
        if contact.type == "phone":
            lines.append(f"Call {contact.value}" + (f" ({contact.note})" if contact.note else ""))
        elif contact.type == "text":
            what = f"{contact.keyword} to {contact.value}" if contact.keyword else contact.value
            lines.append(f"Text {what}" + (f" ({contact.note})" if contact.note else ""))
        elif contact.type in ("website", "web_chat"):
            lines.append(contact.value)
    return lines


def contact_buttons(result: Result) -> list[dict[str, str]]:
    """Buttons that call, text or open the service ("url" buttons: the channel shows
    what it can; Telegram, for one, can't open ``tel:`` links, so numbers stay in the
    text too)."""
    name = result.name if len(result.name) <= 30 else "them"
    buttons: list[dict[str, str]] = []
    for contact in result.contacts:
        if contact.type == "phone":
            buttons.append({"title": f"Call {name}", "url": tel_link(contact.value)})
        elif contact.type == "text":
            what = f"{contact.keyword} to {contact.value}" if contact.keyword else contact.value
            buttons.append(
                {"title": f"Text {what}", "url": sms_link(contact.value, contact.keyword)}
            )
        elif contact.type == "web_chat" and contact.value.startswith("https://"):
            buttons.append({"title": "Chat online", "url": contact.value})
        elif contact.type == "website" and contact.value.startswith("https://"):
            buttons.append({"title": "Open their website", "url": contact.value})
    return buttons


def _hours_line(result: Result) -> str:
    if result.always_open:
        return "Open any time, day or night."
    if result.status == "open":
        return "Open now."
    if result.status == "closed":
        return f"Closed now. Opens {result.opens_text}."
    return "Check opening times before you go."


def describe(result: Result) -> str:
    """One service, short: what it is, when it's open, how to reach it."""
    parts = [f"{result.name}: {result.description}", _hours_line(result)]
    contacts = _contact_line(result)
    if contacts:
        parts.append("\n".join(contacts))
    else:
        parts.append("A youth worker here can help you get in touch with them.")
    if result.access_note:
        parts.append(result.access_note)
    return "\n\n".join(parts)
