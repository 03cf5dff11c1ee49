"""The Telegram bridge: a separate process between Telegram's Bot API and Rasa."""
