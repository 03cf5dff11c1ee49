"""Check-ins: a young person who says yes gets one short message the next day.

``models`` holds the table, ``store`` the SQLAlchemy 1.4 store (Waypoint's own database,
``bot.settings.db_url()``), ``timing`` when a check-in is due, and ``sender`` the loop that
delivers due check-ins through the Telegram bridge.
"""
