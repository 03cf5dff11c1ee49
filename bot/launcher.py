"""Start Waypoint's processes on localhost: action server, Rasa server, navigator console,
and the Telegram bridge when ``WAYPOINT_TELEGRAM_TOKEN`` is set.

Used by ``make run`` (``waypoint run``) and by the end-to-end tests, so tests start the
system exactly as a person does. Each process gets the same environment: the data
directory, the pseudonym secret, the SQLite (or PostgreSQL) URLs.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from bot import settings
from bot.retention import purge, purge_every_minutes
from bot.training import QUIET_ENV, REPO, ensure_model

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MIN_TOKEN_CHARS = 32


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now (for tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class StackConfig:
    """Where the processes listen and keep their data."""

    data_dir: Path
    rasa_port: int = 5005
    actions_port: int = 5055
    navigator_port: int = 5080
    bridge_port: int = 5090
    tracker_url: str | None = None
    endpoints: Path = REPO / "bot" / "endpoints.yml"
    extra_env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None
    # Rasa's telegram channel and the bridge share it; random per run like the Rasa token.
    bridge_secret: str = field(default_factory=lambda: secrets.token_hex(20))

    def env(self) -> dict[str, str]:
        """Return the environment every Waypoint process runs with."""
        env = dict(os.environ)
        env.update(QUIET_ENV)
        env["WAYPOINT_DATA_DIR"] = str(self.data_dir)
        env["WAYPOINT_RASA_PORT"] = str(self.rasa_port)
        env["WAYPOINT_ACTIONS_PORT"] = str(self.actions_port)
        env["WAYPOINT_NAVIGATOR_PORT"] = str(self.navigator_port)
        env["WAYPOINT_RASA_URL"] = f"http://127.0.0.1:{self.rasa_port}"
        env["WAYPOINT_ACTION_URL"] = f"http://127.0.0.1:{self.actions_port}/webhook"
        env["WAYPOINT_TRACKER_URL"] = self.tracker_url or (
            f"sqlite:///{self.data_dir / 'conversations.db'}"
        )
        # Always set, so Rasa can load credentials.yml even when Telegram is not used.
        env["WAYPOINT_BRIDGE_PORT"] = str(self.bridge_port)
        env["WAYPOINT_BRIDGE_SECRET"] = self.bridge_secret
        env["WAYPOINT_BRIDGE_CALLBACK_URL"] = f"http://127.0.0.1:{self.bridge_port}/rasa"
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        env.update(self.extra_env)
        return env


@dataclass
class Process:
    """One child process and where its output goes."""

    name: str
    popen: subprocess.Popen[bytes]
    log: IO[bytes] | None


class Stack:
    """The running set of Waypoint processes."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, Process] = {}
        config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        # WAYPOINT_RASA_TOKEN if set (production: other services call the API); else a
        # fresh token per run, since only the processes started here need to know it.
        self.token = config.extra_env.setdefault(
            "WAYPOINT_RASA_TOKEN", os.environ.get("WAYPOINT_RASA_TOKEN") or secrets.token_hex(20)
        )

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server."""
        return f"http://127.0.0.1:{self.config.rasa_port}"

    @property
    def chat_url(self) -> str:
        """URL of the web chat page."""
        return f"{self.rasa_url}/webhooks/webchat/"

    @property
    def navigator_url(self) -> str:
        """URL of the navigator console."""
        return f"http://127.0.0.1:{self.config.navigator_port}/"

    def _spawn(self, name: str, args: list[str]) -> None:
        log: IO[bytes] | None = None
        if self.config.log_dir is not None:
            self.config.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.config.log_dir / f"{name}.log", "ab")  # noqa: SIM115
        popen = subprocess.Popen(
            args, cwd=REPO, env=self.config.env(), stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = Process(name, popen, log)

    def start_actions(self) -> None:
        """Start the Rasa SDK action server."""
        port = str(self.config.actions_port)
        self._spawn(
            "actions",
            [sys.executable, "-m", "bot.action_server", "--actions", "actions", "--port", port],
        )

    def start_rasa(self, model: Path) -> None:
        """Start the Rasa server with the HTTP API (token-protected) on 127.0.0.1."""
        self._spawn(
            "rasa",
            [
                sys.executable,
                "-m",
                "bot.rasa_server",
                "run",
                "--model",
                str(model),
                "--enable-api",
                "--auth-token",
                self.token,
                "--credentials",
                str(REPO / "bot" / "credentials.yml"),
                "--endpoints",
                str(self.config.endpoints),
                "--interface",
                rasa_interface(),
                "--port",
                str(self.config.rasa_port),
            ],
        )

    def start_navigator(self) -> None:
        """Start the navigator console."""
        self._spawn("navigator", [sys.executable, "-m", "bot.navigator"])

    def start_telegram(self) -> None:
        """Start the Telegram bridge (needs ``WAYPOINT_TELEGRAM_TOKEN``)."""
        self._spawn("telegram", [sys.executable, "-m", "bot.telegram"])

    def start_checkins(self) -> None:
        """Start the sender of due check-ins (through the Telegram bridge)."""
        self._spawn("checkins", [sys.executable, "-m", "bot.checkins"])

    def wait_ready(self, timeout: float = 180.0) -> dict[str, float]:
        """Wait until every started process answers; return seconds until each did."""
        checks = {
            "actions": f"http://127.0.0.1:{self.config.actions_port}/health",
            "rasa": f"{self.rasa_url}/status?token={self.token}",
            "navigator": f"{self.navigator_url}login",
            "telegram": f"http://127.0.0.1:{self.config.bridge_port}/health",
        }
        started = time.monotonic()
        ready: dict[str, float] = {}
        pending = {name: url for name, url in checks.items() if name in self.processes}
        while pending:
            for name, url in list(pending.items()):
                proc = self.processes[name].popen
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode}")
                try:
                    if httpx.get(url, timeout=2.0).status_code < 500:
                        ready[name] = time.monotonic() - started
                        del pending[name]
                except httpx.HTTPError:
                    pass
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"not ready after {timeout:.0f} s: {sorted(pending)}")
            time.sleep(0.2)
        return ready

    def stop(self, name: str | None = None) -> None:
        """Stop one process (or all), politely first."""
        names = [name] if name else list(self.processes)
        for key in names:
            process = self.processes.pop(key, None)
            if process is None:
                continue
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
                try:
                    process.popen.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.popen.kill()
                    process.popen.wait()
            if process.log is not None:
                process.log.close()


def rasa_interface() -> str:
    """Where Rasa listens: ``WAYPOINT_RASA_INTERFACE``, default 127.0.0.1 (this machine).

    Rasa serves the web chat, the channels and its HTTP API on one port. Listening
    beyond this machine is refused unless ``WAYPOINT_RASA_TOKEN`` is set, so the API
    (which can read and change any conversation) is never open with a throwaway token
    nobody else can use, or without one.
    """
    interface = os.environ.get("WAYPOINT_RASA_INTERFACE", "127.0.0.1").strip()
    if interface in LOOPBACK:
        return interface
    token = os.environ.get("WAYPOINT_RASA_TOKEN", "")
    if len(token) < MIN_TOKEN_CHARS:
        raise SystemExit(
            f"WAYPOINT_RASA_INTERFACE={interface} exposes Rasa's HTTP API beyond this "
            f"machine: set WAYPOINT_RASA_TOKEN to a secret of at least {MIN_TOKEN_CHARS} "
            "characters first (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    return interface


def purge_quietly() -> None:
    """Apply retention; a failure is logged and retried next time, never fatal."""
    try:
        purged = purge()
    except Exception as error:
        print(f"Retention purge failed ({type(error).__name__}); will try again later.")
        return
    if purged.events or purged.chat_ids or purged.escalations:
        print(f"Retention: {purged}.")


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run() -> int:
    """Start everything for local use and wait until Ctrl+C (or SIGTERM)."""
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    ports = settings.Ports()
    config = StackConfig(
        data_dir=settings.data_dir(),
        rasa_port=ports.rasa,
        actions_port=ports.actions,
        navigator_port=ports.navigator,
        bridge_port=ports.bridge,
        log_dir=settings.data_dir() / "logs",
    )
    model = ensure_model()
    rasa_interface()  # refuse an exposed API without a real token before starting anything
    purge_quietly()
    stack = Stack(config)
    try:
        stack.start_actions()
        stack.start_rasa(model)
        stack.start_navigator()
        telegram = bool(config.env().get("WAYPOINT_TELEGRAM_TOKEN"))
        if telegram:
            stack.start_telegram()
            stack.start_checkins()
        print("Starting Waypoint (the Rasa server takes a few seconds)...")
        ready = stack.wait_ready()
        print(f"Ready in {max(ready.values()):.1f} s. Logs: {config.log_dir}")
        print(f"\n  Chat:               {stack.chat_url}")
        print(f"  Navigator console:  {stack.navigator_url}")
        if telegram:
            print("  Telegram:           the bot is answering (polling the Bot API)")
        print("  (add a navigator account: .venv/bin/waypoint navigator add USERNAME)")
        print("\nPress Ctrl+C to stop.")
        every = purge_every_minutes() * 60
        next_purge = time.monotonic() + every
        while all(p.popen.poll() is None for p in stack.processes.values()):
            time.sleep(1)
            if time.monotonic() >= next_purge:
                purge_quietly()
                next_purge = time.monotonic() + every
        dead = [p.name for p in stack.processes.values() if p.popen.poll() is not None]
        print(f"Stopped because {', '.join(dead)} exited; see {config.log_dir}.")
        return 1
    except KeyboardInterrupt:
        print("\nStopping Waypoint.")
        return 0
    finally:
        stack.stop()
