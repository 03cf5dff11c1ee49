"""Skip-or-fail helpers for tests that need PostgreSQL, Redis or a browser.

On a developer's machine without the service, the test is skipped with a clear reason.
When ``CI=true`` a missing service fails the run instead: CI must prove the production
configuration, not quietly skip it.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

POSTGRES_URL = os.environ.get(
    "WAYPOINT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_HOST = os.environ.get("WAYPOINT_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("WAYPOINT_TEST_REDIS_PORT", "6379"))
CHROMIUM = os.environ.get("WAYPOINT_CHROMIUM", "/usr/bin/chromium")


def in_ci() -> bool:
    """Return True when running under CI (CI=true), where missing services are failures."""
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip the test with ``reason``, or fail it when running in CI."""
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Return True if something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require_postgres() -> str:
    """Return the PostgreSQL test URL, or skip/fail when PostgreSQL is not reachable."""
    if not port_open("127.0.0.1", 5432):
        skip_or_fail("PostgreSQL is not running on 127.0.0.1:5432")
    return POSTGRES_URL


def require_redis() -> tuple[str, int]:
    """Return Redis host and port, or skip/fail when Redis is not reachable."""
    if not port_open(REDIS_HOST, REDIS_PORT):
        skip_or_fail(f"Redis is not running on {REDIS_HOST}:{REDIS_PORT}")
    return REDIS_HOST, REDIS_PORT


def require_chromium() -> str:
    """Return the Chromium path, or skip/fail when Debian's chromium is not installed."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    return CHROMIUM if os.path.exists(CHROMIUM) else str(shutil.which("chromium"))
