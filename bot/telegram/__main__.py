"""``python -m bot.telegram``: run the Telegram bridge."""

from bot.telegram.app import main

if __name__ == "__main__":
    main()
