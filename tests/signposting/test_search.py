"""Search by topic, area (local, regional, national), age and open now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from signposting.db import Directory
from signposting.search import UnknownTopic, Where, age_changes_answer, search

MONDAY_NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SATURDAY_2330 = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
SUNDAY_0300 = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def ids(directory: Directory, topic: str = "unsafe", where: str | None = None, **kw) -> list[str]:
    with directory.read() as session:
        page = search(session, topic, where, kw.pop("age", None), limit=20, **kw)
    return [result.id for result in page.results]


def test_local_first_then_regional_then_national(directory: Directory) -> None:
    found = ids(directory, where="UB3", at=MONDAY_NOON)
    assert found[:2] == ["local-hillingdon", "london-wide"]
    assert set(found[2:]) == {"national-always", "national-unknown"}
    assert "islington-pro" not in found and "solihull-weekend" not in found


def test_no_area_means_national_only(directory: Directory) -> None:
    assert set(ids(directory, at=MONDAY_NOON)) == {"national-always", "national-unknown"}


def test_region_only(directory: Directory) -> None:
    found = ids(directory, where="London", at=MONDAY_NOON)
    assert found[0] == "london-wide" and "local-hillingdon" not in found


def test_other_region_sees_no_london_service(directory: Directory) -> None:
    found = ids(directory, where="B91", at=SATURDAY_2330)
    assert "london-wide" not in found and found[0] in {"national-always", "solihull-weekend"}


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (10, {"london-wide", "national-always"}),  # below the local team's minimum of 11
        (11, {"local-hillingdon", "london-wide", "national-always"}),  # edge: minimum
        (18, {"local-hillingdon", "london-wide", "national-always"}),  # edge: maximum
        (19, {"london-wide", "national-always", "national-unknown"}),  # above 18; min 19
        (25, {"london-wide", "national-always", "national-unknown"}),
        (26, {"london-wide", "national-unknown"}),  # above the national line's 25
    ],
)
def test_age_edges(directory: Directory, age: int, expected: set[str]) -> None:
    assert set(ids(directory, where="hillingdon", age=age, at=MONDAY_NOON)) == expected


def test_topic_edges(directory: Directory) -> None:
    assert ids(directory, "grief", "hillingdon", at=MONDAY_NOON) == ["national-always"]
    assert ids(directory, "knives", "hillingdon", at=MONDAY_NOON) == []
    with directory.read() as session, pytest.raises(UnknownTopic):
        search(session, "fishing", None)


def test_open_now_keeps_only_open_services(directory: Directory) -> None:
    # Saturday 23:30: the London night line is open, the weekday team is closed,
    # hours-unknown services are never claimed to be open.
    found = ids(directory, where="hillingdon", open_now=True, at=SATURDAY_2330)
    assert set(found) == {"london-wide", "national-always"}
    # 03:00 on Sunday: the night line closed at 02:00.
    assert ids(directory, where="hillingdon", open_now=True, at=SUNDAY_0300) == ["national-always"]


def test_closed_services_say_when_they_open(directory: Directory) -> None:
    with directory.read() as session:
        page = search(session, "unsafe", "hillingdon", at=SATURDAY_2330, limit=10)
    local = next(r for r in page.results if r.id == "local-hillingdon")
    assert local.status == "closed"
    assert local.opens_text == "on Monday at 9am"
    night = next(r for r in page.results if r.id == "london-wide")
    assert night.status == "open" and night.opens_text is None
    unknown = next(r for r in page.results if r.id == "national-unknown")
    assert unknown.status == "unknown"


def test_reachable_services_rank_above_professional_only_for_young_people(
    directory: Directory,
) -> None:
    young = ids(directory, where="islington", at=MONDAY_NOON)
    assert young[-1] == "islington-pro"
    worker = ids(directory, where="islington", at=MONDAY_NOON, professional=True)
    assert worker[0] == "islington-pro"


def test_open_services_rank_above_closed_in_the_same_tier(directory: Directory) -> None:
    found = ids(directory, where="hillingdon", at=SATURDAY_2330)
    assert found.index("national-always") < found.index("national-unknown")
    assert found[0] == "local-hillingdon"  # local still comes first, with its opening time


def test_pages_for_more(directory: Directory) -> None:
    with directory.read() as session:
        first = search(session, "unsafe", "hillingdon", at=MONDAY_NOON, limit=2)
        second = search(session, "unsafe", "hillingdon", at=MONDAY_NOON, limit=2, offset=2)
    assert first.total == second.total == 4
    assert first.has_more and not second.has_more
    assert not {r.id for r in first.results} & {r.id for r in second.results}


def test_age_matters_only_when_it_changes_the_answer(directory: Directory) -> None:
    with directory.read() as session:
        assert age_changes_answer(session, "unsafe", Where.parse("hillingdon"))
        # Only one grief service, and it has a maximum age: asking changes the answer.
        assert age_changes_answer(session, "grief", Where.parse("islington"))
        # Knives: nothing at all, whatever the age.
        assert not age_changes_answer(session, "knives", Where.parse("islington"))


def test_where_parses_names_districts_postcodes_and_regions() -> None:
    assert Where.parse("hillingdon").area.id == "hillingdon"
    assert Where.parse("ub3 1ab").area.id == "hillingdon"
    assert Where.parse("london") == Where(None, "london")
    assert Where.parse("nowhere at all") == Where()
    assert Where.parse(None) == Where()


def test_shipped_directory_answers_the_three_areas(tmp_path) -> None:
    directory = Directory(f"sqlite:///{tmp_path / 'd.db'}")
    directory.ensure_loaded()
    with directory.read() as session:
        for place, topic, local_id in [
            ("UB3", "exploitation", "hillingdon-axis"),
            ("N1", "grief", "islington-youth-hubs"),
            ("B91", "missing", "solihull-exploitation-missing-team"),
        ]:
            page = search(session, topic, place, professional=True, at=MONDAY_NOON, limit=50)
            assert page.results[0].id == local_id, place
            assert page.results[-1].tier == "national"
        crisis = search(session, "crisis", "UB3", 15, at=datetime(2026, 11, 23, 2, tzinfo=UTC))
        # At 2am: open services only in the top three, specialists for crisis first
        assert [r.id for r in crisis.results] == [
            "youngminds-crisis-messenger",
            "nhs-111-mental-health",
            "childline",
        ]
        # A bereavement line before lines for everything, while it is open
        grief = search(session, "grief", "B91", 17, at=MONDAY_NOON)
        assert [r.id for r in grief.results] == ["child-bereavement-uk", "hope-again", "grieftalk"]
