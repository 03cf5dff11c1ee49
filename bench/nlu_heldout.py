"""Intent macro-F1 of the trained model on the held-out flow messages.

bench/data/nlu_heldout.yml was written before (or apart from) the training examples in
data/nlu and is never trained on. Each message goes through the whole trained NLU
pipeline, exactly as in a conversation (fallback and the risk detector included); none
of them is risky, so the detector should leave them alone. Prints per-intent F1, the
macro-F1 over the held-out intents, accuracy, and the most confused pairs.

    .venv/bin/python bench/nlu_heldout.py [--model PATH] [--heldout FILE] [--classifier]

``--classifier`` scores the intent classifier (with its fallback) alone: the risk
detector's override is set aside, so a message it rightly sends to the risk path ("my
boy got stabbed he is in hospital") is judged on the flow intent the classifier chose.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
HELDOUT = REPO / "bench" / "data" / "nlu_heldout.yml"

from bot.training import QUIET_ENV, ensure_model  # noqa: E402

os.environ.update(QUIET_ENV)
import skops.io  # noqa: E402, F401  (before Rasa: see bot/rasa_server.py)

# Intents retired into another since a held-out file was written: its messages are
# scored against the intent that now answers them. yw_local_services (a youth worker's
# "local services") was merged into find_service on 2026-11-23: the same directory
# search answers both, and action_find_service tells a youth worker by their words.
MERGED = {"yw_local_services": "find_service"}


def load_heldout(path: Path = HELDOUT) -> list[tuple[str, str]]:
    """(text, intent) pairs from a Rasa NLU file (retired intents renamed, see MERGED)."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = []
    for block in content["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                pairs.append((text, MERGED.get(block["intent"], block["intent"])))
    return pairs


RISK_INTENTS = ("risk_immediate", "risk_high", "risk_medium")


def classifier_intent(parsed: dict) -> str:
    """The classifier's (or fallback's) intent: the first ranked one that isn't risk_*."""
    for entry in parsed.get("intent_ranking") or []:
        if entry.get("name") not in RISK_INTENTS:
            return str(entry.get("name"))
    return (parsed.get("intent") or {}).get("name") or "none"


async def predict(model: Path, texts: list[str], classifier: bool = False) -> list[str]:
    """The intent the trained model gives each text."""
    import logging

    import structlog
    from rasa.core.agent import Agent

    # Rasa logs every parse at debug level through structlog; keep the report readable.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger().setLevel(logging.WARNING)
    agent = Agent.load(str(model))
    predicted = []
    for text in texts:
        parsed = await agent.parse_message(text)
        if classifier:
            predicted.append(classifier_intent(parsed))
        else:
            predicted.append((parsed.get("intent") or {}).get("name") or "none")
    return predicted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model file (default: trained if needed)")
    parser.add_argument("--heldout", type=Path, default=HELDOUT, help="held-out NLU file")
    parser.add_argument(
        "--classifier", action="store_true", help="score the classifier without the risk override"
    )
    args = parser.parse_args()
    model = args.model or ensure_model(quiet=True)
    pairs = load_heldout(args.heldout)
    texts = [text for text, _ in pairs]
    truth = [intent for _, intent in pairs]
    predicted = asyncio.run(predict(model, texts, classifier=args.classifier))

    from sklearn.metrics import f1_score

    labels = sorted(set(truth))
    per_intent = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    macro = f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)
    accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)
    scored = "the classifier alone" if args.classifier else "the whole NLU pipeline"
    print(f"model: {model.name}   held-out file: {args.heldout.name}   scoring {scored}")
    print(f"held-out messages: {len(pairs)}, intents: {len(labels)}")
    print(f"intent macro-F1: {macro:.3f}   accuracy: {accuracy:.3f}")
    print("\nper-intent F1 (lowest first):")
    for label, score in sorted(zip(labels, per_intent, strict=True), key=lambda x: x[1]):
        print(f"  {score:.2f}  {label}")
    confused = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    print("\nmost confused (true -> predicted: count):")
    for (t, p), n in confused.most_common(10):
        print(f"  {t} -> {p}: {n}")
    print("\nmisclassified messages:")
    for text, t, p in zip(texts, truth, predicted, strict=True):
        if t != p:
            print(f"  {t} -> {p}: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
