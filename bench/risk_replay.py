"""Replay past blind runs to choose the learned signal's thresholds on unseen writers.

    .venv/bin/python bench/risk_replay.py [--high 0.85 0.6] [--immediate 0.6 0.5] [--short 0.85]

Each blind set was run once on the detector committed before it (docs/benchmarks.md
names the commit). This takes, from git, that commit's lexicon, learned-signal config,
labelled sets and NLU data; trains the learned signal on them exactly as it was then;
and scores the blind set it had never seen, with today's detector code. For a grid of
thresholds it prints recall on high+immediate, immediate rated immediate, high rated
immediate (the emergency answer where it was not needed) and false alarms (none/low
rated medium or above), summed over the runs.

Why not cross-validation (bench/risk_learned.py)? The labelled sets hold passes written
as paraphrases of earlier blind sets' misses, so a random fold always has a near twin of
its messages in training. Its scores flatter the model, and thresholds chosen on them
were too cautious for new writers. Here every scored message comes from writers the
model had not seen, as in real use. The newest blind set (BLIND) is never replayed here:
it measures the thresholds chosen with this script.

Needs the git history (a clone, not an export).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bot.risk.assessment import rank  # noqa: E402
from bot.risk.detector import RiskDetector  # noqa: E402
from bot.risk.learned import (  # noqa: E402
    Example,
    LearnedConfig,
    LearnedSignal,
    read_labelled,
    training_examples,
)
from bot.risk.lexicon import LexiconError, load_lexicon  # noqa: E402

RUNS = {
    # blind set: the commit it was run on once (docs/benchmarks.md). heldout27 and older
    # need lexicon features that have since been renamed, so today's code cannot load them.
    "heldout28": "58738fd",
    "heldout29": "fa74c25",
    "heldout30": "9c4ded8",
    "heldout31": "c75ec5a",
    "heldout32": "1cbb9ea",
    "heldout33": "5fc9be9",
    "heldout34": "719768a",
}
GRID_HIGH = (0.85, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5)
GRID_IMMEDIATE = (0.6, 0.5, 0.4)


def checkout(commit: str, into: Path) -> None:
    """The lexicon, NLU data and labelled sets as they were at ``commit``."""
    archive = subprocess.run(
        ["git", "archive", commit, "data/risk", "data/nlu", "tests/risk/data"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def replay(name: str, commit: str, grid: list[tuple[float, float]], short: float) -> dict | None:
    """Counts per threshold pair for one blind run (None if its lexicon will not load)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        checkout(commit, root)
        try:
            rules = RiskDetector(load_lexicon(root / "data/risk"), None)
        except LexiconError as error:
            print(f"{name}: skipped, its lexicon does not load today ({error})")
            return None
        config = LearnedConfig.load(root / "data/risk/learned/config.yml", root)
        signal = LearnedSignal(training_examples(config, rules.lexicon_level), config)
        blind = read_labelled(root / f"tests/risk/data/{name}.tsv")
    detector = RiskDetector(rules.lexicon, signal)
    counts = {}
    for high, immediate in grid:
        signal.config = replace(
            config,
            serious_high=high,
            serious_medium=high,
            immediate=immediate,
            serious_short=short,
        )
        counts[high, immediate] = tally(blind, [detector.assess(e.text).level for e in blind])
    return counts


def tally(blind: list[Example], levels: list[str]) -> list[int]:
    """[serious found, serious, immediate found, immediate, high over-triaged, high,
    false alarms, negatives]."""
    out = [0] * 8
    for example, level in zip(blind, levels, strict=True):
        if rank(example.level) >= rank("high"):
            out[0] += rank(level) >= rank("high")
            out[1] += 1
        if example.level == "immediate":
            out[2] += level == "immediate"
            out[3] += 1
        if example.level == "high":
            out[4] += level == "immediate"
            out[5] += 1
        if rank(example.level) <= rank("low"):
            out[6] += rank(level) >= rank("medium")
            out[7] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--high", type=float, nargs="*", default=GRID_HIGH)
    parser.add_argument("--immediate", type=float, nargs="*", default=GRID_IMMEDIATE)
    parser.add_argument(
        "--short", type=float, default=0.0, help="the bar for five words or fewer (0: none)"
    )
    args = parser.parse_args()
    grid = [(h, i) for h in args.high for i in args.immediate]
    totals = {pair: [0] * 8 for pair in grid}
    used = []
    for name, commit in RUNS.items():
        counts = replay(name, commit, grid, args.short)
        if counts is None:
            continue
        used.append(name)
        for pair, row in counts.items():
            totals[pair] = [a + b for a, b in zip(totals[pair], row, strict=True)]
        print(f"{name} ({commit}) replayed", flush=True)

    def share(hits: int, n: int) -> str:
        return f"{100 * hits / n:.1f}% ({hits}/{n})" if n else "n/a"

    print(f"\nReplayed: {', '.join(used)}\n")
    print(
        "| high (= medium) | immediate | recall high+ | immediate | high rated immediate "
        "| false alarms medium+ |"
    )
    print("|---:" * 6 + "|")
    for (high, immediate), t in totals.items():
        cells = [share(t[0], t[1]), share(t[2], t[3]), share(t[4], t[5]), share(t[6], t[7])]
        print(f"| {high} | {immediate} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
