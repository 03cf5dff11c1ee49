"""``waypoint navigator add|list|set-password|serve``: accounts and the console server."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from typing import TYPE_CHECKING, TextIO

from bot.navigator.passwords import check_strength

if TYPE_CHECKING:
    from bot.navigator.store import EscalationStore

SECURE_COOKIES_ENV = "WAYPOINT_NAVIGATOR_SECURE_COOKIES"


def _store() -> EscalationStore:
    from bot.navigator.store import EscalationStore
    from bot.settings import db_url

    return EscalationStore(db_url())


def read_password(*, from_stdin: bool, stdin: TextIO | None = None) -> str:
    """Read a new password: one line from stdin, or typed twice at a hidden TTY prompt."""
    stdin = stdin or sys.stdin
    if from_stdin:
        password = stdin.readline().rstrip("\r\n")
    else:
        if not stdin.isatty():
            raise ValueError("no terminal to ask for a password; use --password-stdin")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Same password again: ") != password:
            raise ValueError("the two passwords are different")
    problem = check_strength(password)
    if problem:
        raise ValueError(f"password too weak: {problem}")
    return password


def _add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    add = sub.add_parser("add", help="create a navigator account")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="first name young people will see")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin instead of prompting",
    )
    add.set_defaults(func=_cmd_add)
    reset = sub.add_parser("set-password", help="change a password (signs them out)")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    reset.set_defaults(func=_cmd_set_password)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="waypoint navigator", description="Navigator accounts and console."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_parser(sub)
    sub.add_parser("list", help="list navigator accounts").set_defaults(func=_cmd_list)
    serve = sub.add_parser("serve", help="run the navigator console")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument(
        "--secure-cookies",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"mark cookies Secure (use behind HTTPS); default from ${SECURE_COOKIES_ENV}",
    )
    serve.set_defaults(func=_cmd_serve)
    return parser


def _cmd_add(args: argparse.Namespace) -> int:
    password = read_password(from_stdin=args.password_stdin)
    navigator_id = _store().add_navigator(
        username=args.username, display_name=args.name, password=password
    )
    print(f"Added navigator {args.username.strip().lower()} (id {navigator_id}).")
    return 0


def _cmd_set_password(args: argparse.Namespace) -> int:
    _store().set_password(
        username=args.username, password=read_password(from_stdin=args.password_stdin)
    )
    print("Password changed; their console sessions have ended.")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    rows = _store().navigators()
    if not rows:
        print("No navigators yet. Add one: waypoint navigator add USERNAME --name NAME")
        return 0
    print(f"{'username':<20} {'name':<20} {'online':<7} last seen (UTC)")
    for row in rows:
        seen = row.last_seen.strftime("%Y-%m-%d %H:%M") if row.last_seen else "never"
        online = "yes" if row.online else "no"
        print(f"{row.username:<20} {row.display_name:<20} {online:<7} {seen}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from bot.navigator.app import create_app
    from bot.navigator.rasa_client import RasaClient
    from bot.settings import Ports, rasa_token, rasa_url

    secure = args.secure_cookies
    if secure is None:
        secure = os.environ.get(SECURE_COOKIES_ENV, "").lower() in ("1", "true", "yes")
    from bot.logs import install

    install(logging.INFO)
    port = args.port or Ports().navigator
    app = create_app(_store(), RasaClient(rasa_url(), rasa_token()), secure_cookies=secure)
    print(f"Navigator console on http://{args.host}:{port}/", flush=True)
    app.run(host=args.host, port=port, access_log=False, auto_reload=False, motd=False)
    return 0


def add_navigator_command(argv: list[str]) -> int:
    """``waypoint navigator add USERNAME --name DISPLAY_NAME [--password-stdin]``."""
    return main(["add", *argv])


def main(argv: list[str]) -> int:
    """Entry point for ``waypoint navigator ...``; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error already printed by argparse
        return int(stop.code or 0)
    try:
        return int(args.func(args))
    except (ValueError, LookupError) as problem:
        print(f"waypoint navigator: {problem}", file=sys.stderr)
        return 1
