"""Run Rasa's command line with ``skops.io`` imported first.

Rasa 3.6 loads the LogisticRegressionClassifier with skops. On import, skops computes its
trusted types by scanning every module in ``sys.modules`` once per type (about 750
types); after Rasa and TensorFlow are imported that scan took 13 s of the server's
start-up on our 2-core machine, against under 2 s when skops is imported first.
Measured and explained in docs/benchmarks.md.
"""

from __future__ import annotations

import sys

import skops.io  # noqa: F401  (imported for its side effect: see the docstring)


def main() -> None:
    """Hand over to Rasa's own command line (``rasa run``, ``rasa test``, ...).

    Rasa installs coloured console logging for every command; Waypoint's structured
    format (bot/logs.py) is installed in its place.
    """
    import rasa.utils.io
    from rasa.__main__ import main as rasa_main

    from bot.logs import install

    rasa.utils.io.configure_colored_logging = install

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
