"""Input channels: every one hands Rasa a pseudonym, never a platform id."""
