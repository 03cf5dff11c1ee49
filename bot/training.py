"""Train the Rasa model only when its inputs change.

The model's name carries a SHA-256 of everything that shapes it (the pipeline config,
the domain, the NLU/rules/stories data and the pinned dependency lock), so an unchanged
checkout reuses ``models/waypoint-<hash>.tar.gz`` instead of training again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bot.file_digest import files_digest

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "bot" / "config.yml"
DOMAIN = REPO / "bot" / "domain"
TRAINING_DIRS = (REPO / "data" / "nlu", REPO / "data" / "rules", REPO / "data" / "stories")
LOCK = REPO / "requirements" / "lock.txt"
MODELS = Path(os.environ.get("WAYPOINT_MODELS_DIR", str(REPO / "models")))
# Rasa and TensorFlow are chatty; every Rasa process Waypoint starts runs with these.
QUIET_ENV = {
    "TQDM_DISABLE": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    "RASA_TELEMETRY_ENABLED": "false",
}


def training_inputs() -> list[Path]:
    """Return every file whose content shapes the trained model, in a stable order."""
    files = [CONFIG, LOCK, *sorted(DOMAIN.glob("*.yml"))]
    for folder in TRAINING_DIRS:
        files.extend(sorted(folder.rglob("*.yml")))
    return files


def content_hash() -> str:
    """Return a short SHA-256 over the paths and contents of the training inputs."""
    return files_digest(training_inputs()).hexdigest()[:16]


def shown(path: Path) -> str:
    """A path as people read it: relative to the repository when it is inside it."""
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def model_path() -> Path:
    """Return where the model for the current inputs lives (it may not exist yet)."""
    return MODELS / f"waypoint-{content_hash()}.tar.gz"


def train_command(name: str) -> list[str]:
    """Return the ``rasa train`` command line for a model called ``name``."""
    return [
        sys.executable, "-m", "bot.rasa_server", "train",
        "--config", str(CONFIG),
        "--domain", str(DOMAIN),
        "--data", *(str(folder) for folder in TRAINING_DIRS),
        "--out", str(MODELS),
        "--fixed-model-name", name,
    ]


def ensure_model(*, quiet: bool = False) -> Path:
    """Return the model for the current inputs, training it first if it is missing."""
    path = model_path()
    if path.exists():
        if not quiet:
            print(f"Model up to date: {shown(path)}")
        return path
    MODELS.mkdir(parents=True, exist_ok=True)
    print(f"Training the model ({path.name}); the inputs changed or there is no model yet.")
    started = time.monotonic()
    log = MODELS / "train.log"
    env = {**os.environ, **QUIET_ENV}
    with open(log, "w") as output:
        result = subprocess.run(
            train_command(path.name.removesuffix(".tar.gz")),
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, check=False,
        )
    if result.returncode != 0:
        print(log.read_text()[-4000:])
        raise SystemExit(f"Training failed (exit {result.returncode}); full log: {log}")
    print(f"Trained in {time.monotonic() - started:.1f} s: {shown(path)}")
    return path
