"""Waypoint's action server: one module per concern (session, escalation, topics).

The Rasa SDK imports every submodule of this package, so each Action class below is
registered by being defined.
"""
