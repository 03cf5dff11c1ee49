"""A cache of the trained learned signal, keyed by a hash of everything it depends on.

Training takes seconds (the regressions, and asking the lexicon about every ordinary NLU
example), and every process that loads the detector used to pay it: the Rasa server, the
action server, the console, each test run. The cache stores the trained signal under a
key made from the bytes of every input: the detector's code, the lexicon directory
(which decides which ordinary examples are kept), the labelled and NLU files the config
names, and the scikit-learn and Python versions. Any change to any of them is a new key,
so a cached model can never be out of step with its data.

The files are Python pickles written by this process for this process: the directory
is the project's own (``.cache/risk`` in the repository, or ``WAYPOINT_RISK_CACHE``),
never a download. ``WAYPOINT_RISK_CACHE=off`` switches the cache off.
"""

from __future__ import annotations

import logging
import os
import pickle
import platform
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.file_digest import files_digest

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
CACHE_ENV = "WAYPOINT_RISK_CACHE"
DEFAULT_DIR = REPO / ".cache" / "risk"
KEEP = 3  # newest cache files kept; older ones are removed when a new one is written


def cache_dir() -> Path | None:
    """Where cached signals live, or None when the cache is switched off."""
    value = os.environ.get(CACHE_ENV, "")
    if value.lower() in ("off", "0", "false", "no"):
        return None
    return Path(value) if value else DEFAULT_DIR


def _files(paths: Iterable[Path]) -> list[Path]:
    """Every file under ``paths`` (folders are walked), in a stable order."""
    out: set[Path] = set()
    for path in paths:
        if path.is_dir():
            out.update(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        elif path.is_file():
            out.add(path)
    return sorted(out)


def cache_key(inputs: Iterable[Path]) -> str:
    """A hash of the bytes (and names) of every input file, the code and the versions."""
    import sklearn

    versions = f"python {platform.python_version()} sklearn {sklearn.__version__}"
    code = Path(__file__).resolve().parent
    kept = (".py", ".yml", ".yaml", ".tsv", ".md")
    files = [file for file in _files([code, *inputs]) if file.suffix in kept]
    return files_digest(files, salt=versions).hexdigest()[:24]


def load(key: str) -> Any | None:
    """The cached object for ``key``, or None (no cache, a miss, or an unreadable file)."""
    directory = cache_dir()
    if directory is None:
        return None
    path = directory / f"learned-{key}.pkl"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own file, see the module docstring
    except FileNotFoundError:
        return None
    except Exception:  # a damaged file is a miss, never a failure to start
        logger.warning("risk.learned.cache_unreadable", extra={"path": str(path)})
        return None


def store(key: str, value: Any) -> None:
    """Write ``value`` for ``key`` atomically; never raises (the cache is only a speed-up)."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(directory / f"learned-{key}.pkl")
        old = sorted(directory.glob("learned-*.pkl"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-KEEP]:
            stale.unlink(missing_ok=True)
    except Exception:
        logger.warning("risk.learned.cache_write_failed", extra={"dir": str(directory)})
