"""The navigator side of Waypoint: escalation store, opening hours and the console.

A navigator is a trained youth worker. When risk appears the action server stores an
escalation here; a navigator sees it live in the console, reads the transcript, takes
over the conversation, replies, hands back to the bot and closes it with an outcome.
The store, not Rasa's tracker, is the source of truth for whether a human is present.
"""
