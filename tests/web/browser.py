"""Run tests/web/browser_check.mjs (playwright-core + Debian's chromium) from pytest.

Reusable against any server that serves the chat page, e.g. the real Rasa server::

    with NavigatorHook(rasa_url, token=api_token, secret=server_secret) as hook:
        report = run_browser_check(page_url, "--navigator-hook", hook.url)

Skips with a reason on a machine without chromium, node or ``npm ci``; fails when CI=true.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.services import require_chromium, skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("browser_check.mjs")
ARTIFACTS = Path(__file__).with_name("artifacts")  # screenshots and reports; not committed


def run_browser_check(
    url: str, *extra: str, out: Path = ARTIFACTS, timeout: float = 180
) -> dict[str, Any]:
    """Run the browser check against ``url``; return its JSON report (also saved in ``out``).

    ``extra`` are more command-line options (``--navigator-hook URL``, ``--timeout MS``).
    """
    chromium = require_chromium()
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node is not installed")
    if not (ROOT / "node_modules" / "playwright-core").is_dir():
        skip_or_fail("playwright-core is not installed (run: npm ci)")
    done = subprocess.run(
        [str(node), str(SCRIPT), url, "--out", str(out), "--chromium", chromium, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        pytest.fail(f"browser check printed no report:\n{done.stdout}\n{done.stderr}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "browser-report.json").write_text(json.dumps(report, indent=2))
    if "error" in report:
        pytest.fail(f"browser check crashed: {report['error']}\n{done.stderr}")
    return report
