"""Compare Waypoint's pipeline with the stock DIET + TED shape on this machine.

For each config: train time, time from starting `rasa run` until the first message is
answered, and intent accuracy on bench/data/nlu_eval.yml (messages not in the training
data). The risk detector is left out of both: it is the same in each and not trained.

    .venv/bin/python bench/pipeline_compare.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.launcher import QUIET_ENV, free_port  # noqa: E402
from bot.training import DOMAIN, TRAINING_DIRS  # noqa: E402

# (label, config, module that runs Rasa's CLI). bot.rasa_server imports skops first.
RUNS = [
    ("waypoint: logistic regression + rules, via bot.rasa_server", REPO / "bot" / "config.yml",
     "bot.rasa_server"),
    ("waypoint: same model, plain `python -m rasa`", REPO / "bot" / "config.yml", "rasa"),
    ("stock shape: DIET + TED (100 epochs each)", REPO / "bench" / "config_diet_ted.yml",
     "bot.rasa_server"),
]
EVAL = REPO / "bench" / "data" / "nlu_eval.yml"


def without_risk(config: Path, out: Path) -> Path:
    """Write ``config`` without the risk component (same in both; not what we compare)."""
    content = yaml.safe_load(config.read_text())
    content["pipeline"] = [c for c in content["pipeline"] if "risk" not in c["name"]]
    out.write_text(yaml.safe_dump(content))
    return out




def env() -> dict[str, str]:
    return {**os.environ, **QUIET_ENV, "PYTHONPATH": str(REPO)}


def train(config: Path, out: Path) -> tuple[Path, float]:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "bot.rasa_server", "train", "--config", str(config), "--domain",
         str(DOMAIN), "--data", *map(str, TRAINING_DIRS), "--out", str(out),
         "--fixed-model-name", "m"],
        cwd=REPO, env=env(), check=True, capture_output=True,
    )
    return out / "m.tar.gz", time.monotonic() - started


def time_to_first_answer(model: Path, module: str) -> float:
    port = free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", module, "run", "--model", str(model), "--port", str(port),
         "--interface", "127.0.0.1"],
        cwd=REPO, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                reply = httpx.post(
                    f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                    json={"sender": "bench", "message": "hi"}, timeout=5,
                )
                if reply.status_code == 200 and reply.json():
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() - started > 300:
                raise RuntimeError("server did not answer")
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait()


def intent_accuracy(model: Path, out: Path) -> tuple[float, int]:
    subprocess.run(
        [sys.executable, "-m", "bot.rasa_server", "test", "nlu", "--model", str(model), "--nlu",
         str(EVAL), "--out", str(out), "--no-plot"],
        cwd=REPO, env=env(), check=True, capture_output=True,
    )
    report = json.loads((out / "intent_report.json").read_text())
    return float(report["accuracy"]), int(report["weighted avg"]["support"])


def main() -> None:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print("| pipeline | train (s) | start to first answer (s) | intent accuracy (n) |")
    print("|---|---|---|---|")
    for label, config, module in RUNS:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            model, train_s = train(without_risk(config, work / "config.yml"), work)
            start_s = time_to_first_answer(model, module)
            accuracy, n = intent_accuracy(model, work / "results")
            print(f"| {label} | {train_s:.1f} | {start_s:.1f} | {accuracy:.3f} ({n}) |")


if __name__ == "__main__":
    main()
