"""``python -m bot.checkins``: the due check-in sender (started by the launcher)."""

import sys

from bot.checkins.sender import main

sys.exit(main())
