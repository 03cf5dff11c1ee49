"""Choose the learned signal's thresholds by cross-validation (never on a held-out set).

    .venv/bin/python bench/risk_learned.py [--folds 5]

Takes every message the learned signal trains on (data/risk/learned/config.yml: the
labelled sets plus the bot's ordinary NLU examples), splits them into folds, trains on
all but one fold and scores that fold, so every message is scored by a model that never
saw it. The lexicon's own answer is the same for every fold. For a grid of thresholds it
prints, for "lexicon + model" (and the lexicon alone for comparison):

- recall on high+immediate (predicted high or above), immediate rated immediate, and
  high rated immediate (over-triage: the emergency answer where it was not needed);
- false alarms: labelled none/low messages predicted medium or above, and high or above;
- ordinary bot messages (NLU examples the lexicon rates none or low, as the model trains
  on them) predicted medium or above, and high or above.

The lexicon was tuned on these labelled sets, so its numbers here flatter it; the
model's do not (out of fold). The honest measure is the blind set in bench/risk_check.py.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bot.risk.assessment import rank  # noqa: E402
from bot.risk.detector import (  # noqa: E402
    DEFAULT_LEXICON_DIR,
    LEARNED_CONFIG,
    RiskDetector,
    combine,
)
from bot.risk.learned import (  # noqa: E402
    Example,
    LearnedConfig,
    LearnedSignal,
    ordinary_examples,
    read_labelled,
)
from bot.risk.lexicon import load_lexicon  # noqa: E402

GRID_HIGH = (0.8, 0.85, 0.9, 0.95)
GRID_MEDIUM = (0.6, 0.7, 0.8)
GRID_IMMEDIATE = (0.6, 0.7, 0.8, 0.9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=None, help="try another regularisation")
    parser.add_argument("--high", type=float, nargs="*", default=GRID_HIGH)
    parser.add_argument("--medium", type=float, nargs="*", default=GRID_MEDIUM)
    parser.add_argument("--immediate", type=float, nargs="*", default=GRID_IMMEDIATE)
    args = parser.parse_args()
    config = LearnedConfig.load(DEFAULT_LEXICON_DIR / LEARNED_CONFIG)
    if args.c is not None:
        config = replace(config, c=args.c)
    labelled = [e for path in config.labelled for e in read_labelled(path)]
    rules_only = RiskDetector(load_lexicon(DEFAULT_LEXICON_DIR), None)
    ordinary = ordinary_examples(config, rules_only.lexicon_level)
    everything = [(e, True) for e in labelled] + [(e, False) for e in ordinary]
    random.Random(7).shuffle(everything)
    rules = [rules_only.assess(e.text) for e, _ in everything]
    scores: list = [None] * len(everything)
    models: list = [None] * len(everything)
    for fold in range(args.folds):
        train = [e for i, (e, _) in enumerate(everything) if i % args.folds != fold]
        model = LearnedSignal(train, config)
        for i, (e, _) in enumerate(everything):
            if i % args.folds == fold:
                scores[i] = model.scores(e.text)
                models[i] = model
    print(f"{len(labelled)} labelled + {len(ordinary)} ordinary messages, {args.folds} folds\n")
    header = "| high | medium | immediate | recall high+ | immediate | high rated immediate "
    print(header + "| FA medium+ | FA high+ | ordinary medium+ | ordinary high+ |")
    print("|---:" * 10 + "|")
    report("lexicon alone", "", "", everything, rules)
    for high in args.high:
        for medium in args.medium:
            if medium > high:  # equal: no medium band (the config's choice)
                continue
            for immediate in args.immediate:
                limits = replace(
                    config, serious_high=high, serious_medium=medium, immediate=immediate
                )
                levels = [
                    combine(r, s, limits, e.text, m) if e.text.strip() else r
                    for (e, _), r, s, m in zip(everything, rules, scores, models, strict=True)
                ]
                report(high, medium, immediate, everything, levels)


def report(high, medium, immediate, everything: list[tuple[Example, bool]], results) -> None:
    def share(hits: int, n: int) -> str:
        return f"{100 * hits / n:.1f}% ({hits}/{n})" if n else "n/a"

    serious = [
        (e, r)
        for (e, lab), r in zip(everything, results, strict=True)
        if lab and rank(e.level) >= 3
    ]
    now = [(e, r) for e, r in serious if e.level == "immediate"]
    rated_high = [(e, r) for e, r in serious if e.level == "high"]
    negative = [
        (e, r)
        for (e, lab), r in zip(everything, results, strict=True)
        if lab and rank(e.level) <= 1
    ]
    ordinary = [r for (_, lab), r in zip(everything, results, strict=True) if not lab]
    cells = [
        share(sum(rank(r.level) >= 3 for _, r in serious), len(serious)),
        share(sum(r.level == "immediate" for _, r in now), len(now)),
        share(sum(r.level == "immediate" for _, r in rated_high), len(rated_high)),
        share(sum(rank(r.level) >= 2 for _, r in negative), len(negative)),
        share(sum(rank(r.level) >= 3 for _, r in negative), len(negative)),
        share(sum(rank(r.level) >= 2 for r in ordinary), len(ordinary)),
        share(sum(rank(r.level) >= 3 for r in ordinary), len(ordinary)),
    ]
    print(f"| {high} | {medium} | {immediate} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
