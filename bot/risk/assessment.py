"""Risk levels, categories and the result type shared by the detector, CLI and Rasa component."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LEVELS: tuple[str, ...] = ("none", "low", "medium", "high", "immediate")
"""Risk levels, least to most urgent. The policy for each is in docs/risk.md."""

CATEGORIES: tuple[str, ...] = (
    "weapon_carrying",
    "threatened",
    "violence_now",
    "suicide_self_harm",
    "harm_to_others",
    "exploitation",
    "abuse_at_home",
    "missing",
    "online_threats",
)
"""Category ids; each has one lexicon file data/risk/<id>.yml."""

_RANK = {level: i for i, level in enumerate(LEVELS)}


OWN_UP_MAX_CHARS = 300
"""Owning up to an earlier message is short ("its me btw", "the friend is me"); longer
replies are assessed on their own, and the channels do not fetch the previous message
for them (bot/channels/previous.py)."""

USUAL_DANGER = "usual"
"""The ``danger`` value no variation names: the usual answer (999, safe place, first aid)."""


def injured(level: str, categories: Sequence[str], *, reported: bool = False) -> bool:
    """Whether a high message is from someone hurt ("someone punched me", "me and my
    mate got stabbed last night"): the high answer then says to get it checked.

    Immediate ones get first aid in the emergency answer; a parent or youth worker
    passing it on is answered as a reporter (``reporter`` slot).
    """
    return level == "high" and "violence_now" in categories and not reported


def danger(
    level: str,
    categories: Sequence[str],
    *,
    reported: bool = False,
    by_other: bool = False,
    armed: bool = False,
) -> str | None:
    """Which emergency answer an immediate message from the person at risk needs (the
    variations in bot/domain/emergency.yml), or None when it needs none of its own.

    "self_harm" for suicide or self-harm; "harm_others" for someone about to hurt
    another person with nobody hurt yet ("gonna stab him later"), who needs "stop, you
    can still change this" rather than first aid; "armed" for a young person with a
    weapon on them and danger coming, nobody hurt yet ("blade in my bag, they're waiting
    at the gates"): don't take it, stay near adults, 999; otherwise ``USUAL_DANGER``
    (999, get somewhere safe, press on a wound). Every immediate message gets a value, so
    the ``danger`` slot it fills is never left over from an earlier emergency.

    None below immediate, and for a parent or youth worker passing on someone else's
    danger (``reported``): the variations speak to the person at risk, and a reporter's
    message sets ``reporter`` instead. A young person telling us a friend is about to
    hurt someone (``by_other``: the harm is not theirs) gets the usual one.

    One rule for both places that choose: the Rasa component (the ``danger`` entity)
    and the channels' safety net while a navigator has the chat.
    """
    if level != "immediate" or reported:
        return None
    if "suicide_self_harm" in categories:
        return "self_harm"
    if "violence_now" in categories:
        return USUAL_DANGER  # someone is hurt: first aid
    if "harm_to_others" in categories and not by_other:
        return "harm_others"
    if armed:
        return "armed"
    return USUAL_DANGER


def rank(level: str) -> int:
    """Return the position of ``level`` in LEVELS (none=0 ... immediate=4)."""
    return _RANK[level]


def cap(level: str, ceiling: str) -> str:
    """Return the lower of two levels."""
    return level if _RANK[level] <= _RANK[ceiling] else ceiling


def at_least(level: str, floor: str) -> str:
    """Return the higher of two levels."""
    return level if _RANK[level] >= _RANK[floor] else floor


@dataclass(frozen=True)
class RiskAssessment:
    """What the detector found in one message."""

    level: str
    categories: tuple[str, ...]
    evidence: tuple[str, ...]
    # The writer is a parent or carer, and is answered as one: the words that decided
    # the level are about their child ("my son has a knife"), or a risk message names
    # their own child ("my son is 15 and I found a knife in his bag").
    about_child: bool = False
    # The writer works with the young person at risk (a youth worker or teacher: "a boy I
    # work with told me ..."), and is answered as a professional, not as a parent.
    about_cared: bool = False
    # The intent to hurt someone is somebody else's ("my mate is gonna stab him later"),
    # so the writer is a witness, not the one to talk out of it.
    harm_by_other: bool = False
    # The writer has a weapon on them now (a weapon_carrying match at high or above, not
    # about someone else, not past): the emergency answer says not to take it.
    armed: bool = False
    # The message says a question was about the writer ("its me btw", "the friend is me":
    # the ``owned`` cue), so RiskDetector.assess_reply may read it with the one before.
    owns_up: bool = False
    # Read together with the writer's previous message, which this one owns up to ("its
    # me btw" after "if my mate had a blade ..."): RiskDetector.assess_reply.
    read_with_previous: bool = False

    def to_dict(self) -> dict:
        """Return a JSON-ready dict: {"level", "categories": list, "evidence": list}.

        The shape ``waypoint risk-check`` prints (ARCHITECTURE.md: a stable interface);
        ``about_child`` and ``about_cared`` reach the dialogue as the ``reporter`` entity
        instead.
        """
        return {
            "level": self.level,
            "categories": list(self.categories),
            "evidence": list(self.evidence),
        }


NO_RISK = RiskAssessment(level="none", categories=(), evidence=())
