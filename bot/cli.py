"""The ``waypoint`` command: one entry point for every Waypoint tool.

Subcommands import only what they need, so ``waypoint risk-check`` starts without
loading Rasa or TensorFlow.
"""

from __future__ import annotations

import sys

USAGE = """usage: waypoint COMMAND [ARGS]

commands:
  run                      start the action server, Rasa server, web chat and console
  train                    train the model if the training data or config changed
  risk-check [--lexicon D] read messages on stdin, print one JSON risk result per line
  navigator add|list|serve manage navigator accounts, or run the console alone
  purge                    delete conversations and closed escalations past retention
  venue add|list|poster    venue codes and printable QR posters for youth workers
  directory search|validate|import|export
                           find services (--topic T --area A --age N [--open-now] [--json]),
                           check or load a directory file, or print the directory as YAML
"""


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a subcommand and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "run":
        from bot.launcher import run

        return run()
    if command == "train":
        from bot.training import ensure_model

        ensure_model()
        return 0
    if command == "risk-check":
        from bot.risk.cli import main as risk_check

        return risk_check(rest)
    if command == "navigator":
        from bot.navigator.cli import main as navigator

        return navigator(rest)
    if command == "purge":
        from bot.retention import main as purge

        return purge(rest)
    if command == "venue":
        from bot.venues.cli import main as venue

        return venue(rest)
    if command == "directory":
        from signposting.cli import main as directory

        return directory(rest)
    print(f"waypoint: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
