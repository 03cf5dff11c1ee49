"""Search latency over a generated directory of 10,000 services (target: p95 < 5 ms, SQLite).

Generates a directory file shaped like the real one (topics, ages, hours, contacts; 5 %
national, 10 % regional, 85 % local over every named area), imports it through the real
loader into a fresh SQLite file (or ``--url``), then times ``search()`` for random
(topic, place, age, open-now) queries, each a full call as the action server makes it:
a new session, the version check (one SQL query), open-now for every candidate, ranking
and the top three. The first search after an import builds the in-memory index; it is
timed separately.

    .venv/bin/python bench/directory_search.py [--services 10000] [--queries 2000] [--url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from signposting.areas import REGIONS, all_areas  # noqa: E402
from signposting.db import Directory  # noqa: E402
from signposting.search import Where, search  # noqa: E402
from signposting.topics import TOPICS  # noqa: E402

HOURS = [
    "always",
    "unknown",
    [{"days": "mon-fri", "open": "09:00", "close": "17:00"}],
    [{"days": "mon-sun", "open": "09:00", "close": "23:00"}],
    [{"days": "fri-sat", "open": "22:00", "close": "02:00"}],
    [
        {"days": "mon-fri", "open": "12:00", "close": "22:00"},
        {"days": "sat-sun", "open": "18:00", "close": "22:00"},
    ],
]


def generate(count: int, rng: random.Random) -> dict[str, object]:
    """A directory of ``count`` services (made-up, never shipped)."""
    areas = [area.id for area in all_areas()]
    topics = list(TOPICS)
    services = []
    for number in range(count):
        roll = rng.random()
        where = (
            ["national"] if roll < 0.05
            else [rng.choice(list(REGIONS))] if roll < 0.15
            else rng.sample(areas, rng.choice([1, 1, 1, 2]))
        )  # fmt: skip
        low = rng.choice([None, None, 10, 11, 13, 16, 18])
        high = rng.choice([None, None, 17, 18, 24, 25])
        if low is not None and high is not None and low > high:
            low, high = high, low
        entry: dict[str, object] = {
            "id": f"svc-{number}",
            "name": f"Service {number}",
            "description": "A generated service for the benchmark.",
            "topics": rng.sample(topics, rng.choice([1, 2, 3])),
            "areas": where,
            "access": rng.choice(["self", "self", "professional", "unknown", "both"]),
            "contacts": [{"type": "phone", "value": f"0800 {number:06d}"[:13]}],
            "hours": rng.choice(HOURS),
            "source": "https://example.org/benchmark",
            "verified": date(2026, 11, 1),
        }
        if low is not None:
            entry["min_age"] = low
        if high is not None:
            entry["max_age"] = high
        services.append(entry)
    return {"services": services}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--url", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    from ruamel.yaml import YAML

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "generated.yml"
        with open(data, "w") as handle:
            YAML().dump(generate(args.services, rng), handle)
        directory = Directory(args.url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        started = time.perf_counter()
        imported = directory.import_file(data)
        print(f"imported {imported} services in {time.perf_counter() - started:.1f} s")

        places = [area.id for area in all_areas()] + ["london", None]
        base = datetime(2026, 11, 23, tzinfo=UTC)
        queries = [
            (
                rng.choice(list(TOPICS)),
                Where.parse(rng.choice(places)),
                rng.choice([None, 12, 15, 17, 21]),
                rng.random() < 0.3,
                base + timedelta(minutes=rng.randrange(7 * 24 * 60)),
            )
            for _ in range(args.queries)
        ]
        topic, where, age, open_now, at = queries[0]
        started = time.perf_counter()
        with directory.read() as session:  # the first search builds the in-memory index
            search(session, topic, where, age, open_now=open_now, at=at)
        print(f"first search (builds the index): {(time.perf_counter() - started) * 1000:.0f} ms")
        for topic, where, age, open_now, at in queries[:50]:  # warm up
            with directory.read() as session:
                search(session, topic, where, age, open_now=open_now, at=at)
        timings, totals = [], []
        for topic, where, age, open_now, at in queries:
            started = time.perf_counter()
            with directory.read() as session:
                page = search(session, topic, where, age, open_now=open_now, at=at)
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(page.total)
        directory.engine.dispose()

    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"{len(timings)} searches over {args.services} services: "
        f"p50 {p50:.2f} ms, p95 {p95:.2f} ms, p99 {p99:.2f} ms, max {timings[-1]:.2f} ms; "
        f"candidates per search: median {statistics.median(totals):.0f}, max {max(totals)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
