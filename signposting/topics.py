"""The directory's topics: one canonical name each, used by data, Rasa slots, actions and CLI."""

from __future__ import annotations

# name -> (what a young person reads on a button, what it covers)
TOPICS: dict[str, tuple[str, str]] = {
    "unsafe": ("Feeling unsafe", "feeling unsafe, threatened, or hurt by violence"),
    "grief": ("Losing someone", "bereavement: someone has died"),
    "knives": ("Knives", "carrying knives, knife crime, being hurt with a knife"),
    "exploitation": ("Being used or pressured", "criminal or sexual exploitation, county lines"),
    "abuse_at_home": ("Problems at home", "abuse or violence at home"),
    "missing": ("Running away or missing", "running away, going missing, someone missing"),
    "crisis": ("Feeling really low", "suicidal thoughts, self-harm, a mental health crisis"),
    "parents": ("Help for parents", "help for parents and carers"),
    "reporting": ("Report anonymously", "telling someone about a crime without giving a name"),
    "online": ("Threats online", "threats, harm or pressure online"),
}

TOPIC_NAMES = tuple(TOPICS)


def label(topic: str) -> str:
    """The button text for a topic."""
    return TOPICS[topic][0]
