"""Run the Rasa SDK action server with Waypoint's structured logs (bot/logs.py).

``rasa_sdk``'s command line installs coloured console logging; this swaps in
:func:`bot.logs.install` and hands over to it unchanged otherwise.
"""

from __future__ import annotations

import rasa_sdk.utils
from rasa_sdk.__main__ import main

from bot.logs import install

if __name__ == "__main__":
    rasa_sdk.utils.configure_colored_logging = install
    main()
