"""Rasa's own checks: the training data validates, and the test stories pass on the model."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.launcher import QUIET_ENV
from bot.training import CONFIG, DOMAIN, REPO, TRAINING_DIRS

UNUSED_RESPONSE = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
NO_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found")
# Set only by the risk detector, never learned by the classifier (see data/nlu/navigator.yml).
DETECTOR_INTENTS = {"risk_immediate", "risk_high", "risk_medium"}


def run_rasa(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **QUIET_ENV, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "bot.rasa_server", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


def test_rasa_data_validate_is_clean() -> None:
    """Validation passes; the only warnings allowed are responses uttered by actions."""
    result = run_rasa(
        "data", "validate", "--config", str(CONFIG), "--domain", str(DOMAIN),
        "--data", *map(str, TRAINING_DIRS),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    actions_code = "\n".join(p.read_text() for p in (REPO / "actions").glob("*.py"))
    # The channels say some responses themselves, and the check-in sender sends one later.
    channels_code = "\n".join(
        p.read_text()
        for folder in ("channels", "checkins")
        for p in (REPO / "bot" / folder).glob("*.py")
    )
    for name in UNUSED_RESPONSE.findall(output):
        used_by_code = f'"{name}"' in actions_code or f'"{name}"' in channels_code
        assert used_by_code or name == "utter_default", f"{name} is never said"
    assert set(NO_EXAMPLES.findall(output)) <= DETECTOR_INTENTS
    other_warnings = [
        line for line in output.splitlines()
        if "UserWarning" in line
        and not UNUSED_RESPONSE.search(line)
        and not NO_EXAMPLES.search(line)
    ]
    assert not other_warnings, other_warnings


def test_conversation_stories_pass(model: Path, tmp_path: Path) -> None:
    """Every test story (tests/conversations) is predicted exactly, NLU included."""
    result = run_rasa(
        "test", "--model", str(model), "--stories", str(REPO / "tests" / "conversations"),
        "--out", str(tmp_path), "--fail-on-prediction-errors", "--no-plot",
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:] + detail
