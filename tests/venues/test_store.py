"""Venue codes: random, checked against the table, and counted as daily totals only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.venues import store as store_module
from bot.venues.codes import CODE, new_code, normalise
from bot.venues.models import Venue
from bot.venues.store import VenueStore, area_for_venue, known_venue


def test_codes_are_random_and_fit_deep_links_and_web_chat_urls() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert CODE.fullmatch(code)
        assert len(code) <= 40 and code == code.lower()  # the web chat's ?v= limit
    assert normalise("  ABCDEFGH23 ") == "abcdefgh23"
    assert normalise("hillingdon-yc1") is None
    assert normalise(None) is None


def test_a_venue_is_stored_with_its_area_and_nothing_personal(store: VenueStore) -> None:
    venue = store.add("  Yiewsley   youth centre ", "hillingdon")
    assert venue.name == "Yiewsley youth centre"
    assert venue.area == "hillingdon" and venue.created == date.today()
    assert store.get(venue.code) == venue
    assert store.all() == [venue]
    columns = {c["name"] for c in inspect(store.db.engine).get_columns("venues")}
    assert columns == {"code", "name", "area", "created"}
    counted = {c["name"] for c in inspect(store.db.engine).get_columns("venue_daily_counts")}
    assert counted == {"code", "day", "conversations"}


def test_area_for_knows_real_codes_only(store: VenueStore) -> None:
    venue = store.add("Hayes library", "hillingdon")
    assert store.area_for(venue.code) == "hillingdon"
    assert store.area_for(venue.code.upper()) == "hillingdon"
    assert store.area_for(new_code()) is None
    assert store.area_for("not a code") is None
    assert store.area_for(42) is None


def test_a_new_venue_is_seen_once_the_unknown_answer_expires(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, writer = VenueStore(db_url), VenueStore(db_url)
    code = new_code()
    assert reader.area_for(code) is None  # remembered as unknown for a minute
    with writer.db.write() as session:
        session.add(Venue(code=code, name="Late addition", area="hackney", created=date.today()))
    assert reader.area_for(code) is None
    monkeypatch.setattr(store_module, "UNKNOWN_TTL_S", 0.0)  # the minute has passed
    assert reader.area_for(code) == "hackney"
    reader.dispose()
    writer.dispose()


def test_counts_are_daily_totals(store: VenueStore) -> None:
    first, second = store.add("Club A", "hackney"), store.add("Club B", "hackney")
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    for _ in range(3):
        store.count_conversation(first.code, monday)
    store.count_conversation(first.code, tuesday)
    store.count_conversation(second.code, monday)
    assert store.daily_counts() == [
        (first.code, tuesday, 1),
        *sorted([(first.code, monday, 3), (second.code, monday, 1)]),
    ]
    assert store.daily_counts(since=tuesday) == [(first.code, tuesday, 1)]


def test_the_module_functions_use_waypoints_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'waypoint.db'}"
    monkeypatch.setenv("WAYPOINT_DB_URL", url)
    store_module.store_for.cache_clear()
    try:
        venue = VenueStore(url).add("Southall youth hub", "ealing")
        assert area_for_venue(venue.code) == "ealing"
        assert known_venue(venue.code) is True
        assert area_for_venue(new_code()) is None
        assert known_venue("hillingdon-yc1") is False
    finally:
        store_module.store_for.cache_clear()


def test_a_database_that_cannot_be_read_gives_no_area_rather_than_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    monkeypatch.setenv("WAYPOINT_DB_URL", f"sqlite:///{blocked}/waypoint.db")
    store_module.store_for.cache_clear()
    try:
        assert area_for_venue(new_code()) is None
        assert known_venue(new_code()) is False
    finally:
        store_module.store_for.cache_clear()


def test_escalations_keep_real_venue_codes_only(db_url: str) -> None:
    from bot.navigator.store import EscalationStore

    escalations, venues = EscalationStore(db_url), VenueStore(db_url)
    real = venues.add("Youth club", "hackney").code
    for sender, venue in (("wp-real", real), ("wp-made-up", new_code()), ("wp-odd", "yc-1")):
        escalations.create_escalation(
            conversation_id=sender, channel="webchat", level="high",
            categories=["threat"], trigger_text="they're waiting outside", venue=venue,
        )  # fmt: skip
    stored = {sender: escalations.open_escalation_for(sender) for sender in ("wp-real",
              "wp-made-up", "wp-odd")}  # fmt: skip
    assert {sender: row.venue for sender, row in stored.items() if row} == {
        "wp-real": real,
        "wp-made-up": None,
        "wp-odd": None,
    }
    escalations.dispose()
    venues.dispose()
