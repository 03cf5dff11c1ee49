"""bench/risk_check.py runs without Rasa and prints the Markdown report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.risk.conftest import BLIND

REPO = Path(__file__).resolve().parents[2]


def run_bench(*args: str) -> str:
    """Run bench/risk_check.py with 200 latency samples; return what it printed."""
    done = subprocess.run(
        [sys.executable, "bench/risk_check.py", "--assessments", "200", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_bench_runs_and_reports(tmp_path: Path) -> None:
    out = run_bench("--external", str(tmp_path / "none"))
    assert "| assessments | mean | p50 | p95 | p99 |" in out
    assert "recall high+immediate" in out
    assert "false alarms on negatives (none/low predicted medium+)" in out
    assert "No external evaluation folder" in out
    assert f"{BLIND} (n=" in out  # the blind set: nothing trains or tunes on it
    assert "heldout4.tsv, tuning set (n=" in out  # the learned signal trains on it
    assert "Learned signal on" in out
    assert "dev2.tsv, tuning set (n=" in out


def test_latency_only_scores_no_labelled_set() -> None:
    """After a speed change the blind set can be timed without being scored."""
    out = run_bench("--latency-only")
    assert "| assessments | mean | p50 | p95 | p99 |" in out
    assert "recall" not in out and BLIND not in out


def test_replay_leaves_out_the_blind_set_and_counts_by_label() -> None:
    """bench/risk_replay.py chooses the learned signal's bar on past blind runs: the set
    that measures that bar must never be one of them."""
    import importlib.util

    from bot.risk.learned import Example

    spec = importlib.util.spec_from_file_location("risk_replay", REPO / "bench/risk_replay.py")
    assert spec is not None and spec.loader is not None
    replay = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(replay)
    assert BLIND.removesuffix(".tsv") not in replay.RUNS
    blind = [
        Example("a", "immediate"),
        Example("b", "high"),
        Example("c", "none"),
        Example("d", "low"),
    ]
    counts = replay.tally(blind, ["high", "immediate", "medium", "none"])
    # found/serious, immediate found/immediate, high over-triaged/high, alarms/negatives
    assert counts == [2, 2, 0, 1, 1, 1, 1, 2]
