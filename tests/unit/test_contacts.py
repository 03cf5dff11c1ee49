"""Every number Waypoint says comes from data/contacts.yml, which cites a source."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
NUMBER = re.compile(r"(?<![\w])(\d[\d ]{1,14}\d)(?![\w])")


def domain_texts() -> list[str]:
    texts = []
    for path in sorted((REPO / "bot" / "domain").glob("*.yml")):
        content = yaml.safe_load(path.read_text()) or {}
        for variations in (content.get("responses") or {}).values():
            texts.extend(v.get("text", "") for v in variations)
    return texts


def contacts() -> list[dict]:
    return yaml.safe_load((REPO / "data" / "contacts.yml").read_text())["contacts"]


def test_every_contact_has_a_source_and_a_checked_date() -> None:
    for contact in contacts():
        assert contact["source"].strip(), contact["id"]
        assert isinstance(contact["checked"], dt.date), contact["id"]
        assert contact["how"] in {"call", "text"}, contact["id"]


def test_every_number_in_the_domain_is_a_cited_contact() -> None:
    known = {c["number"].replace(" ", "") for c in contacts()}
    found = {m.replace(" ", "") for text in domain_texts() for m in NUMBER.findall(text)}
    # "30" (days of retention) is not a phone number.
    found = {number for number in found if len(number) >= 3 and number != "30"}
    assert found, "the domain should name at least 999"
    assert found <= known, f"numbers without a cited source: {sorted(found - known)}"


def test_the_number_pattern_finds_phone_numbers() -> None:
    assert NUMBER.findall("call 0800 1111 or 116 123, text SHOUT to 85258") == [
        "0800 1111",
        "116 123",
        "85258",
    ]
