"""Areas from names, postcode districts and full postcodes (only the district is used)."""

from __future__ import annotations

import csv

import pytest

from signposting.areas import (
    DATA,
    all_areas,
    areas_for_district,
    district_of,
    get_area,
    resolve_area,
    resolve_region,
)


@pytest.mark.parametrize(
    ("text", "area_id"),
    [
        ("Hillingdon", "hillingdon"),
        ("hillington", "hillingdon"),
        ("London Borough of Hillingdon", "hillingdon"),
        ("uxbridge", "hillingdon"),
        ("is there anyone in Hillingdon I can talk to", "hillingdon"),
        ("ISLINGTON", "islington"),
        ("Highbury", "islington"),
        ("solihul", "solihull"),
        ("Chelmsley Wood", "solihull"),
        ("smith's wood", "solihull"),
        ("Hammersmith & Fulham", "hammersmith-and-fulham"),
        ("tower hamlets", "tower-hamlets"),
        ("UB3", "hillingdon"),
        ("ub7", "hillingdon"),
        ("n1", "islington"),
        ("N7", "islington"),
        ("EC1V", "islington"),
        ("B91", "solihull"),
        ("b37", "solihull"),
        ("UB3 1AB", "hillingdon"),
        ("ub31ab", "hillingdon"),
        ("I'm at N1 9GU", "islington"),
        ("B91 3QB", "solihull"),
        ("SW1A 1AA", "westminster"),
        ("Islington N1", "islington"),
    ],
)
def test_resolve_area(text: str, area_id: str) -> None:
    area = resolve_area(text)
    assert area is not None, text
    assert area.id == area_id


@pytest.mark.parametrize(
    "text", ["", "   ", "services near me", "A1", "ZZ9", "hello", "EH1 1AA", "the moon"]
)
def test_unknown_or_unnamed_gives_none(text: str) -> None:
    # EH1 is real but Edinburgh's authority has no name in the England & Wales lookup.
    assert resolve_area(text) is None


def test_area_fields_and_regions() -> None:
    hillingdon = get_area("hillingdon")
    assert hillingdon is not None
    assert (hillingdon.name, hillingdon.region, hillingdon.lad_code) == (
        "Hillingdon",
        "london",
        "E09000017",
    )
    solihull = get_area("solihull")
    assert solihull is not None and solihull.region == "west-midlands"
    london = [area for area in all_areas() if area.region == "london"]
    assert len(london) == 33  # 32 boroughs and the City
    with pytest.raises(AttributeError):
        hillingdon.id = "x"  # type: ignore[misc]


def test_district_of_keeps_only_the_district() -> None:
    assert district_of("my postcode is ub3 1ab") == "UB3"
    assert district_of("N1") == "N1"
    assert district_of("sw1a1aa") == "SW1A"
    assert district_of("nothing here") is None
    assert district_of("A1") is None  # a road, not a district


def test_split_district_lists_every_area_with_shares() -> None:
    shares = areas_for_district("N1")
    ids = [area.id for area, _ in shares]
    assert ids[0] == "islington" and "hackney" in ids
    assert sum(share for _, share in shares) == pytest.approx(1.0, abs=0.01)


def test_resolve_region() -> None:
    assert resolve_region("London") == "london"
    assert resolve_region("in london") == "london"
    assert resolve_region("west midlands") == "west-midlands"
    assert resolve_region("Islington") is None


def test_every_district_touching_the_three_areas_resolves_somewhere() -> None:
    """Coverage: each district with postcodes in Hillingdon, Islington or Solihull is known."""
    codes = {"E09000017", "E09000019", "E08000029"}
    with open(DATA / "postcode_districts.csv", newline="") as handle:
        touching = {row["district"] for row in csv.DictReader(handle) if row["lad_code"] in codes}
    assert {"UB3", "UB8", "HA4", "N1", "N19", "EC1V", "B91", "B37"} <= touching
    for district in touching:
        assert resolve_area(district) is not None, district
