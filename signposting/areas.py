"""Where someone is: a local authority area from a name, a postcode district or a postcode.

Only the postcode *district* (the outward code, "UB3" of "UB3 1AB") is ever used or
returned: a full postcode is reduced to its district at once and nothing else of it is
kept. The district -> local authority table is built from the ONS Postcode Directory
(November 2025) and the names from the ONS local authority lookup (April 2021), both under
the Open Government Licence v3.0 (see ``build_areas.py`` and ``data/README.md``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"

# Outward code: A9, A99, AA9, AA99, A9A, AA9A (Royal Mail's postcode format).
_DISTRICT = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_POSTCODE_RE = re.compile(rf"\b({_DISTRICT})\s*([0-9][A-Z]{{2}})\b", re.IGNORECASE)
_DISTRICT_RE = re.compile(rf"\b({_DISTRICT})\b", re.IGNORECASE)
_WORDS_RE = re.compile(r"[a-z0-9']+")
# Words around a place name that don't change which place it is.
_FILLER = {
    "in", "near", "around", "at", "the", "my", "i", "im", "i'm", "live", "from", "area",
    "borough", "council", "london", "of", "lb", "its", "it's", "just", "by", "centre",
}  # fmt: skip

REGIONS = {"london": "London", "west-midlands": "West Midlands"}


@dataclass(frozen=True)
class Area:
    """A local authority area. ``id`` is a slug ("hillingdon"); ``region`` may be ""."""

    id: str
    name: str
    region: str
    lad_code: str


@dataclass(frozen=True)
class _Tables:
    by_id: dict[str, Area]
    by_code: dict[str, Area]
    districts: dict[str, list[tuple[str, int]]]  # district -> [(lad_code, postcodes)]
    names: dict[str, str]  # normalised name/alias -> area id


def _norm(text: str) -> str:
    return " ".join(_WORDS_RE.findall(text.lower().replace("&", "and").replace("’", "'")))


@cache
def _tables() -> _Tables:
    by_id: dict[str, Area] = {}
    by_code: dict[str, Area] = {}
    with open(DATA / "local_authorities.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            area = Area(row["id"], row["name"], row["region"], row["lad_code"])
            by_id[area.id] = area
            by_code[area.lad_code] = area
    districts: dict[str, list[tuple[str, int]]] = {}
    with open(DATA / "postcode_districts.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            districts.setdefault(row["district"], []).append(
                (row["lad_code"], int(row["postcodes"]))
            )
    names = {_norm(area.name): area.id for area in by_id.values()}
    names.update({_norm(area.id.replace("-", " ")): area.id for area in by_id.values()})
    with open(DATA / "area_aliases.yml") as handle:
        aliases = yaml.safe_load(handle)
    for area_id, entry in aliases.items():
        if area_id not in by_id:
            raise ValueError(f"area_aliases.yml: unknown area {area_id!r}")
        for alias in [*entry.get("spellings", []), *entry.get("towns", {})]:
            names[_norm(alias)] = area_id
    return _Tables(by_id, by_code, districts, names)


def all_areas() -> list[Area]:
    """Every named local authority area, sorted by id."""
    return sorted(_tables().by_id.values(), key=lambda area: area.id)


def get_area(area_id: str) -> Area | None:
    """The area with this id, or None."""
    return _tables().by_id.get(area_id)


def district_of(text: str) -> str | None:
    """The postcode district in ``text`` ("ub3 1ab" -> "UB3", "N1" -> "N1"), or None.

    A full postcode anywhere in the text wins; otherwise a district is accepted only if
    it is a real one (it is in the ONS table), so "M25" in "stuck on the M25" still
    counts but "A1" does not.
    """
    if not text:
        return None
    full = _POSTCODE_RE.search(text)
    if full:
        return full.group(1).upper()
    known = _tables().districts
    for match in _DISTRICT_RE.finditer(text):
        district = match.group(1).upper()
        if district in known:
            return district
    return None


def areas_for_district(district: str) -> list[tuple[Area, float]]:
    """The named areas a district overlaps, with the share of its postcodes in each."""
    rows = _tables().districts.get(district.upper(), [])
    total = sum(count for _, count in rows) or 1
    by_code = _tables().by_code
    return [(by_code[code], count / total) for code, count in rows if code in by_code]


def _area_for_district(district: str) -> Area | None:
    """The area holding most of the district's postcodes (None if it has no named area)."""
    rows = _tables().districts.get(district, [])
    if not rows:
        return None
    code = max(rows, key=lambda row: row[1])[0]
    return _tables().by_code.get(code)


def _area_by_name(text: str) -> Area | None:
    tables = _tables()
    words = _norm(text).split()
    exact = tables.names.get(" ".join(words))
    if exact:
        return tables.by_id[exact]
    content = [word for word in words if word not in _FILLER]
    if content and (hit := tables.names.get(" ".join(content))):
        return tables.by_id[hit]
    # Longest run of words that is a known name ("anyone in hillingdon I can talk to").
    for size in range(min(5, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if phrase in _FILLER:
                continue
            hit = tables.names.get(phrase)
            if hit:
                return tables.by_id[hit]
    return None


def resolve_area(text: str) -> Area | None:
    """The area someone means: a borough or town name, a postcode district or a postcode.

    Names win over districts ("Islington N1" is Islington); a full postcode is reduced to
    its district. Returns None when nothing is recognised, or when the district's local
    authority has no name in our lookup (e.g. Scotland, Northern Ireland).
    """
    if not text or not text.strip():
        return None
    by_name = _area_by_name(text)
    if by_name:
        return by_name
    district = district_of(text)
    return _area_for_district(district) if district else None


def resolve_region(text: str) -> str | None:
    """A region id ("london", "west-midlands") when the text names only the region."""
    words = [word for word in _norm(text).split() if word not in _FILLER - {"london"}]
    joined = "-".join(words)
    return joined if joined in REGIONS else None
