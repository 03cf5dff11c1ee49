"""Risk detection for Waypoint: a rule-based detector over the reviewed lexicon in data/risk.

``bot.risk.detector`` (spaCy + PyYAML only) does the work; ``bot.risk.component`` wraps it
as a Rasa NLU component; ``bot.risk.cli`` is ``waypoint risk-check``. Importing this
package imports neither spaCy nor Rasa.
"""
