"""`python -m bot.risk` is `waypoint risk-check` (see bot/risk/cli.py)."""

from bot.risk.cli import main

raise SystemExit(main())
