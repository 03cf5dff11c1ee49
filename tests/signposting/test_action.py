"""action_find_service asks only what it needs, for young people, parents and youth workers."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.signposting import ActionFindService, describe
from bot.channels.text import allowed_payloads
from bot.venues.store import VenueStore
from signposting import db as db_module
from signposting import search as search_module
from signposting.topics import TOPICS


def tracker(
    text: str,
    intent: str,
    *,
    entities: dict[str, str] | None = None,
    slots: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
    }
    if metadata is not None:
        latest["metadata"] = metadata
    events = [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker("wp-1", slots or {}, latest, events, False, None, {}, "action_listen")


@pytest.fixture(autouse=True)
def directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAYPOINT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WAYPOINT_DIRECTORY_URL", f"sqlite:///{tmp_path / 'directory.db'}")
    monkeypatch.setattr(db_module, "_default", None)


class _SaturdayNoon(datetime):
    """A fixed clock: which services are open changes the order, and so whether age matters."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        return datetime(2026, 11, 21, 12, 0, tzinfo=UTC).astimezone(tz)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Weekday office hours put three age-blind services first, so no age question then;
    # these tests are about the questions, so they run at a time when age changes the answer.
    monkeypatch.setattr(search_module, "datetime", _SaturdayNoon)


async def run(action: Any, t: Tracker) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return slots, dispatcher.messages


def responses(messages: list[dict[str, Any]]) -> list[str | None]:
    return [m.get("response") for m in messages]


async def test_young_person_is_asked_what_kind_then_where_then_age() -> None:
    slots, said = await run(ActionFindService(), tracker("where can i get help", "find_service"))
    assert responses(said) == ["utter_service_ask_topic_young_person"]

    slots, said = await run(
        ActionFindService(),
        tracker("/find_service", "find_service", entities={"service_topic": "grief"}, slots=slots),
    )
    assert responses(said) == ["utter_service_ask_area"]
    assert slots["service_topic"] == "grief" and slots["service_area"] is None

    slots, said = await run(ActionFindService(), tracker("UB3 1AB", "inform_place", slots=slots))
    assert slots["service_area"] == "hillingdon"  # the area only, never the postcode
    assert "UB3 1AB" not in repr(slots)
    assert responses(said) == ["utter_service_ask_age"]

    slots, said = await run(
        ActionFindService(),
        tracker("/inform_age", "inform_age", entities={"service_age": "14"}, slots=slots),
    )
    assert slots["service_age"] == 14.0
    # Hillingdon's own services need a youth worker to reach them, so the first three
    # work anywhere, and the reply says so instead of calling them local
    assert responses(said)[0] == "utter_service_intro_nothing_local"
    assert said[0]["place"] == "Hillingdon"
    shown = [m for m in said if m.get("text")]
    assert len(shown) == 3
    assert responses(said)[-1] == "utter_service_what_next_more"

    more_slots, more = await run(
        ActionFindService(), tracker("/service_more", "service_more", slots={**slots})
    )
    assert more_slots["service_offset"] == 3
    first_names = {m["text"].split(":")[0] for m in shown}
    assert not first_names & {m["text"].split(":")[0] for m in more if m.get("text")}


async def test_a_topic_button_with_the_area_in_the_words_goes_straight_to_age_or_results() -> None:
    slots, said = await run(
        ActionFindService(),
        tracker("is there anyone in Hillingdon I can talk to", "find_service"),
    )
    assert slots["service_area"] == "hillingdon"
    assert responses(said) == ["utter_service_ask_topic_young_person"]


async def test_parent_with_age_in_the_words_is_not_asked_it() -> None:
    slots, said = await run(
        ActionFindService(), tracker("help for my son, he's 15", "find_service")
    )
    assert slots["service_audience"] == "parent" and slots["service_age"] == 15.0
    assert responses(said) == ["utter_service_ask_topic_parent"]
    slots, said = await run(
        ActionFindService(),
        tracker(
            "/find_service", "find_service", entities={"service_topic": "knives"}, slots=slots
        ),
    )
    assert responses(said) == ["utter_service_ask_area"]
    slots, said = await run(ActionFindService(), tracker("islington", "inform_place", slots=slots))
    assert "utter_service_ask_age_child" not in responses(said)
    assert responses(said)[0] == "utter_service_intro_place"


@pytest.mark.parametrize(
    "words",
    ["where can i refer a young person", "local services i can signpost to", "referral options"],
)
async def test_a_youth_worker_asking_where_to_refer_gets_the_professional_menu(words: str) -> None:
    """There is no separate youth workers' services intent: their words choose the menu."""
    slots, said = await run(ActionFindService(), tracker(words, "find_service"))
    assert slots["service_audience"] == "professional"
    assert responses(said) == ["utter_service_ask_topic_professional"]


async def test_youth_worker_near_their_centre_gets_local_professional_services_first() -> None:
    slots, said = await run(
        ActionFindService(), tracker("services near my centre", "find_service")
    )
    assert slots["service_audience"] == "professional"
    assert responses(said) == ["utter_service_ask_topic_professional"]
    slots, said = await run(
        ActionFindService(),
        tracker(
            "/find_service",
            "find_service",
            entities={"service_topic": "exploitation"},
            slots=slots,
        ),
    )
    assert responses(said) == ["utter_service_ask_area_centre"]
    slots, said = await run(ActionFindService(), tracker("N1", "inform_place", slots=slots))
    assert responses(said)[0] == "utter_service_intro_place"  # never asked an age
    names = [m["text"].split(":")[0] for m in said if m.get("text")]
    assert names[:2] == [
        "Islington Targeted Youth Support",
        "Islington Missing and Exploitation team",
    ]


async def test_a_qr_venue_implies_the_area(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'waypoint.db'}"
    monkeypatch.setenv("WAYPOINT_DB_URL", url)
    code = VenueStore(url).add("Hayes youth centre", "hillingdon").code
    from bot.venues import store as venue_store

    if hasattr(venue_store, "_default"):
        monkeypatch.setattr(venue_store, "_default", None, raising=False)
    slots, said = await run(
        ActionFindService(),
        tracker(
            "/find_service",
            "find_service",
            entities={"service_topic": "exploitation"},
            metadata={"venue": code},
        ),
    )
    assert slots["service_area"] == "hillingdon"
    assert "utter_service_ask_area" not in responses(said)


async def test_unknown_place_is_asked_again_and_skip_means_national() -> None:
    slots, said = await run(
        ActionFindService(),
        tracker("narnia", "inform_place", slots={"service_topic": "grief"}),
    )
    assert responses(said) == ["utter_service_area_unknown"]
    slots, said = await run(
        ActionFindService(),
        tracker(
            "/inform_place",
            "inform_place",
            entities={"service_area": "none"},
            slots={"service_topic": "grief", "service_age": 30.0},
        ),
    )
    assert slots["service_area"] == "none"
    assert responses(said)[0] == "utter_service_intro_national"


def test_every_button_the_flow_offers_passes_the_channels() -> None:
    """Channels keep only payloads the domain offers, so the action sends none of its own."""
    allowed = allowed_payloads()
    for topic in TOPICS:
        assert f'/find_service{{"service_topic":"{topic}"}}' in allowed, topic
    for age in ("10", "12", "14", "17", "20", "30", "skip"):
        assert f'/inform_age{{"service_age":"{age}"}}' in allowed
    for area in ("hillingdon", "islington", "solihull", "none"):
        assert f'/inform_place{{"service_area":"{area}"}}' in allowed
    assert "/service_more" in allowed


def test_describe_a_local_service_without_contacts() -> None:
    from datetime import date

    from signposting.search import Result

    result = Result(
        id="x",
        name="Local team",
        organisation=None,
        description="Help.",
        tier="local",
        areas=("hillingdon",),
        min_age=None,
        max_age=None,
        access="unknown",
        access_note=None,
        status="unknown",
        always_open=False,
        opens_at=None,
        opens_text=None,
        hours_note=None,
        contacts=(),
        source="s",
        verified=date(2026, 11, 23),
    )
    text = describe(result)
    assert "Check opening times" in text and "A youth worker here can help" in text


def test_each_service_has_buttons_to_call_text_or_open_it() -> None:
    from datetime import date

    from actions.signposting import contact_buttons
    from bot.channels.links import safe_link
    from signposting.search import ContactMethod, Result

    shout = Result(
        id="shout", name="Shout", organisation=None, description="", tier="national",
        areas=("national",), min_age=None, max_age=None, access="self", access_note=None,
        status="open", always_open=True, opens_at=None, opens_text=None, hours_note=None,
        contacts=(
            ContactMethod("text", "85258", "SHOUT", None),
            ContactMethod("phone", "0800 1111", None, None),
            ContactMethod("website", "https://giveusashout.org", None, None),
            ContactMethod("address", "1 Somewhere Street", None, None),
        ),
        source="", verified=date(2026, 11, 22),
    )  # fmt: skip
    buttons = contact_buttons(shout)
    assert buttons == [
        {"title": "Text SHOUT to 85258", "url": "sms:85258?&body=SHOUT"},
        {"title": "Call Shout", "url": "tel:08001111"},
        {"title": "Open their website", "url": "https://giveusashout.org"},
    ]
    assert all(safe_link(b["url"]) for b in buttons)  # every channel will accept them
