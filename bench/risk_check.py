"""Benchmark and evaluate the risk detector (no Rasa needed).

    python bench/risk_check.py                     # Markdown report (lexicon + learned signal)
    python bench/risk_check.py --lexicon-only      # the lexicon alone
    python bench/risk_check.py --show-misses       # also list every mismatch
    python bench/risk_check.py --misses dev4.tsv   # ... of one file only
    python bench/risk_check.py --latency-only      # speed only (scores no labelled set)

Measures per-message latency and throughput over the labelled messages (repeated up to
--assessments), the detector's results on every tests/risk/data/heldout*.tsv file that
nothing was tuned or trained on, each reported separately, and on the tuning sets for
reference: dev.tsv, dev2.tsv, dev3.tsv and heldout3.tsv (the lexicon was tuned on them)
and every file the learned signal trains on (data/risk/learned/config.yml), and,
when ../shared/eval/external exists next to the repository, false alarms on
third-party benign texts and the share of third-party harm prompts flagged.
Rates carry a 95% Wilson interval.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bot.risk.assessment import rank  # noqa: E402
from bot.risk.detector import (  # noqa: E402
    DEFAULT_LEXICON_DIR,
    LEARNED_CONFIG,
    LEARNED_ENV,
    RiskDetector,
)
from bot.risk.learned import LearnedConfig, read_labelled  # noqa: E402

DATA = REPO / "tests" / "risk" / "data"
EXTERNAL = REPO.parent / "shared" / "eval" / "external"
BENIGN = (
    "clinc150_inscope_sample.txt",
    "xstest_safe.txt",
    "hint3_oos.txt",
    "diasafety_offendinguser_neg.txt",
)
HARM = ("sst_selfharm_pos.txt", "sst_physicalharm_pos.txt")
TUNING = ("dev.tsv", "dev2.tsv", "dev3.tsv", "heldout3.tsv")


@dataclass(frozen=True)
class Row:
    text: str
    level: str
    categories: frozenset[str]


def read_tsv(path: Path) -> list[Row]:
    return [Row(e.text, e.level, frozenset(e.categories)) for e in read_labelled(path)]


def read_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def wilson(hits: int, n: int) -> str:
    """Rate with a 95% Wilson score interval, as text."""
    if n == 0:
        return "n/a"
    z = 1.96
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    return f"{100 * p:.1f}% ({hits}/{n}; 95% CI {100 * low:.1f}–{100 * high:.1f})"


def trained_on(lexicon: Path | None) -> list[str]:
    """Names of the labelled files in DATA that the learned signal trains on (or would)."""
    config = (lexicon or DEFAULT_LEXICON_DIR) / LEARNED_CONFIG
    if not config.is_file():
        return []
    return [p.name for p in LearnedConfig.load(config).labelled if p.parent == DATA]


def percentile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[index]


def latency(detector: RiskDetector, texts: list[str], budget: int) -> list[str]:
    for text in texts:  # warm-up
        detector.assess(text)
    samples: list[float] = []
    start = time.perf_counter()
    while len(samples) < budget:
        for text in texts:
            t0 = time.perf_counter()
            detector.assess(text)
            samples.append(time.perf_counter() - t0)
            if len(samples) >= budget:
                break
    wall = time.perf_counter() - start
    ms = sorted(s * 1000 for s in samples)
    return [
        "| assessments | mean | p50 | p95 | p99 | max | throughput |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(ms)} | {statistics.fmean(ms):.3f} ms | {percentile(ms, .5):.3f} ms | "
        f"{percentile(ms, .95):.3f} ms | {percentile(ms, .99):.3f} ms | {ms[-1]:.2f} ms | "
        f"{len(ms) / wall:,.0f} msg/s |",
    ]


def evaluate(detector: RiskDetector, rows: list[Row]) -> tuple[dict[str, str], list[tuple]]:
    predicted = [detector.assess(r.text) for r in rows]
    pairs = list(zip(rows, predicted, strict=True))
    serious = [(r, p) for r, p in pairs if r.level in ("high", "immediate")]
    escalate = [(r, p) for r, p in pairs if rank(r.level) >= rank("medium")]
    immediate = [(r, p) for r, p in pairs if r.level == "immediate"]
    negatives = [(r, p) for r, p in pairs if r.level in ("none", "low")]
    metrics = {
        "recall high+immediate (predicted high or immediate)": wilson(
            sum(rank(p.level) >= rank("high") for _, p in serious), len(serious)
        ),
        "recall medium+ (label medium+, predicted medium+)": wilson(
            sum(rank(p.level) >= rank("medium") for _, p in escalate), len(escalate)
        ),
        "immediate classified immediate": wilson(
            sum(p.level == "immediate" for _, p in immediate), len(immediate)
        ),
        "false alarms on negatives (none/low predicted medium+)": wilson(
            sum(rank(p.level) >= rank("medium") for _, p in negatives), len(negatives)
        ),
        "false alarms on negatives (predicted high+)": wilson(
            sum(rank(p.level) >= rank("high") for _, p in negatives), len(negatives)
        ),
        "exact level": wilson(sum(r.level == p.level for r, p in pairs), len(pairs)),
        "labelled categories found (risk rows)": wilson(
            sum(r.categories <= set(p.categories) for r, p in escalate), len(escalate)
        ),
    }
    misses = [
        (r.level, p.level, r.text, p.evidence)
        for r, p in pairs
        if r.level != p.level or not r.categories <= set(p.categories)
    ]
    return metrics, misses


def external(detector: RiskDetector, folder: Path, show: bool) -> list[str]:
    out = ["| external set | n | flagged medium+ | flagged high+ |", "|---|---:|---:|---:|"]
    flagged_texts: list[tuple[str, str, str]] = []
    for kind, names in (("benign (false alarms)", BENIGN), ("harm prompts (recall)", HARM)):
        for name in names:
            path = folder / name
            if not path.is_file():
                out.append(f"| {name} | missing | | |")
                continue
            texts = read_lines(path)
            levels = [detector.assess(t).level for t in texts]
            med = sum(rank(lv) >= rank("medium") for lv in levels)
            high = sum(rank(lv) >= rank("high") for lv in levels)
            out.append(
                f"| {name} — {kind} | {len(texts)} | {wilson(med, len(texts))} | "
                f"{wilson(high, len(texts))} |"
            )
            if show and kind.startswith("benign"):
                flagged_texts += [
                    (name, lv, t)
                    for t, lv in zip(texts, levels, strict=True)
                    if rank(lv) >= rank("medium")
                ]
    if show and flagged_texts:
        out += ["", "External benign texts flagged (console only; do not copy into the repo):"]
        out += [f"- {name}: {lv}: {text}" for name, lv, text in flagged_texts]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--assessments", type=int, default=20_000, help="latency samples (default 20000)"
    )
    parser.add_argument("--lexicon", type=Path, default=None, help="lexicon directory")
    parser.add_argument(
        "--external", type=Path, default=EXTERNAL, help="folder of third-party evaluation texts"
    )
    parser.add_argument(
        "--show-misses",
        action="store_true",
        help="list held-out misses and flagged external benign texts",
    )
    parser.add_argument(
        "--misses",
        action="append",
        default=[],
        metavar="FILE",
        help="list the mismatches of this labelled file only (repeatable)",
    )
    parser.add_argument(
        "--lexicon-only", action="store_true", help="switch the learned signal off"
    )
    parser.add_argument(
        "--latency-only",
        action="store_true",
        help="time the detector only: no labelled or third-party results (so the blind "
        "set is not scored, e.g. after a speed change)",
    )
    args = parser.parse_args(argv)
    if args.lexicon_only:
        os.environ[LEARNED_ENV] = "0"

    t0 = time.perf_counter()
    detector = RiskDetector.from_dir(args.lexicon)
    load_s = time.perf_counter() - t0
    trained = trained_on(args.lexicon)
    tuning_names = [*TUNING, *(n for n in trained if n not in TUNING)]
    tuning = {name: read_tsv(DATA / name) for name in tuning_names if (DATA / name).is_file()}
    heldouts = {
        p.name: read_tsv(p)
        for p in sorted(DATA.glob("heldout*.tsv"))
        if p.name not in tuning_names
    }
    every = [r for rows in (*heldouts.values(), *tuning.values()) for r in rows]

    lines = [
        "# Risk detector benchmark",
        "",
        f"Lexicon loaded in {load_s:.2f} s. Python {sys.version.split()[0]}. "
        + (
            f"Learned signal on (trained on {detector.learned.size} messages)."
            if detector.learned
            else "Lexicon alone (no learned signal)."
        ),
        "",
        f"## Latency ({len(every)} labelled messages, repeated)",
        "",
    ]
    lines += latency(detector, [r.text for r in every], args.assessments)
    if args.latency_only:
        print("\n".join(lines))
        return 0
    columns = [(name, f"{name} (n={len(rows)})", rows) for name, rows in heldouts.items()]
    columns += [
        (name, f"{name}, tuning set (n={len(rows)})", rows) for name, rows in tuning.items()
    ]
    results = {name: evaluate(detector, rows) for name, _, rows in columns}
    lines += [
        "",
        "## Labelled sets (each heldout*.tsv separately; tuning sets for reference)",
        "",
        "| metric | " + " | ".join(title for _, title, _ in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    first = next(iter(results.values()))[0]
    for key in first:
        lines.append(
            f"| {key} | " + " | ".join(results[name][0][key] for name, _, _ in columns) + " |"
        )
    if args.external.is_dir():
        lines += ["", f"## Third-party texts ({args.external})", ""]
        lines += external(detector, args.external, args.show_misses)
    else:
        lines += ["", f"(No external evaluation folder at {args.external}.)"]
    if args.show_misses or args.misses:
        for name, _, _ in columns:
            if args.misses and name not in args.misses:
                continue
            lines += ["", f"## {name} mismatches (label -> predicted)", ""]
            lines += [
                f"- {want} -> {got}: {text}  \n  evidence: {list(ev)}"
                for want, got, text, ev in results[name][1]
            ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
