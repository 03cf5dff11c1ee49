"""Experiment: would a learned second signal help the rules? (Not used by Waypoint yet.)

    .venv/bin/python bench/risk_second_signal.py [--test heldout5.tsv]

Trains a character and word n-gram logistic regression ("is this high or immediate
risk?") on the tuning sets in tests/risk/data (dev, dev2, dev3, heldout, heldout2,
heldout3), then reports, for several probability thresholds, recall and false alarms of
"the rules OR the model" on heldout4.tsv (never trained on) and the share of
third-party benign texts the model alone flags (../shared/eval/external, if present).
Results and what they mean: docs/risk.md, "A learned second signal".
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline, make_union  # noqa: E402

from bot.risk.detector import RiskDetector  # noqa: E402

DATA = REPO / "tests" / "risk" / "data"
EXTERNAL = REPO.parent / "shared" / "eval" / "external"
TUNING = ("dev.tsv", "dev2.tsv", "dev3.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv")
BENIGN = (
    "clinc150_inscope_sample.txt",
    "clinc150_oos_test.txt",
    "xstest_safe.txt",
    "hint3_oos.txt",
    "diasafety_offendinguser_neg.txt",
)
SERIOUS = {"high", "immediate"}
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)


def load(name: str) -> list[tuple[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [(row["text"], row["level"]) for row in csv.DictReader(handle, delimiter="\t")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", default="heldout4.tsv", help="file in tests/risk/data")
    args = parser.parse_args()
    train = [pair for name in TUNING for pair in load(name)]
    test = load(args.test)
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    )
    model = make_pipeline(
        features, LogisticRegression(C=10, max_iter=2000, class_weight="balanced")
    )
    model.fit([text for text, _ in train], [level in SERIOUS for _, level in train])
    detector = RiskDetector.from_dir()
    rules = [detector.assess(text).level in SERIOUS for text, _ in test]
    chance = model.predict_proba([text for text, _ in test])[:, 1]
    serious = [level in SERIOUS for _, level in test]
    negative = [level in ("none", "low") for _, level in test]
    print(f"trained on {len(train)} messages; {args.test}: {sum(serious)} high/immediate, "
          f"{sum(negative)} none/low")  # fmt: skip
    hits = sum(r for r, s in zip(rules, serious, strict=True) if s)
    alarms = sum(r for r, n in zip(rules, negative, strict=True) if n)
    print(f"rules alone: recall {hits}/{sum(serious)}, false alarms {alarms}/{sum(negative)}")
    benign = {
        name: [line.strip() for line in (EXTERNAL / name).read_text().splitlines() if line.strip()]
        for name in BENIGN
        if (EXTERNAL / name).exists()
    }
    benign_chance = {name: model.predict_proba(texts)[:, 1] for name, texts in benign.items()}
    for threshold in THRESHOLDS:
        flagged = [r or p >= threshold for r, p in zip(rules, chance, strict=True)]
        hits = sum(f for f, s in zip(flagged, serious, strict=True) if s)
        alarms = sum(f for f, n in zip(flagged, negative, strict=True) if n)
        outside = ", ".join(
            f"{name.split('.')[0]} {int((p >= threshold).sum())}/{len(p)}"
            for name, p in benign_chance.items()
        )
        print(f"rules OR model >= {threshold}: recall {hits}/{sum(serious)}, false alarms "
              f"{alarms}/{sum(negative)}; model alone on benign texts: {outside}")  # fmt: skip


if __name__ == "__main__":
    main()
