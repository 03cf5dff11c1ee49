"""Redaction speed: every labelled risk message, and the worst inputs we know of.

    .venv/bin/python bench/redaction.py

Redaction runs on every message before Rasa sees it, so it must stay far below the
time a person waits for a reply, also for a 20,000-character message (the most a
channel accepts).
"""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

from bot.privacy.redact import redact

DATA = Path(__file__).resolve().parent.parent / "tests" / "risk" / "data"
WORST = {
    '"x" * 20000': "x" * 20_000,
    '"a@" * 10000': "a@" * 10_000,
    '"1 " * 10000': "1 " * 10_000,
    '"seven " * 3300': "seven " * 3_300,
    '"snap is " * 2500': "snap is " * 2_500,
    "mixed details, 20000 chars": (
        "they said 07700 900123 jay@gmail.com UB3 4RE 12 Acacia Road snap jay_1 " * 300
    )[:20_000],
}


def messages() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("*.tsv")):
        with path.open(encoding="utf-8") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    return texts


def main() -> None:
    texts = messages()
    timings = []
    for _ in range(5):
        for text in texts:
            start = time.perf_counter()
            redact(text)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(f"{len(texts)} labelled messages x5: mean {statistics.mean(timings):.3f} ms, "
          f"p95 {p95:.3f} ms, max {timings[-1]:.3f} ms")  # fmt: skip
    for name, text in WORST.items():
        start = time.perf_counter()
        redact(text)
        print(f"{name}: {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
