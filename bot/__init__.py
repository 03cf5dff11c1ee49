"""Waypoint: a Rasa assistant for young people affected by serious youth violence."""
