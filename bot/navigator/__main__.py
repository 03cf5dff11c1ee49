"""``python -m bot.navigator`` runs the console; ``python -m bot.navigator add ...`` etc."""

from __future__ import annotations

import sys

from bot.navigator.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["serve"]))
