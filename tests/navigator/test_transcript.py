"""Reading a Rasa tracker dump as a transcript."""

from __future__ import annotations

from bot.navigator.messages import JOINED, LEFT, hand_back_events, take_over_events
from bot.navigator.transcript import fingerprint, transcript
from bot.navigator.views import transcript_html


def test_lines_from_tracker_events() -> None:
    tracker = {
        "paused": False,
        "latest_event_time": 7.0,
        "events": [
            {"event": "session_started", "timestamp": 1.0},
            {"event": "action", "name": "action_listen", "timestamp": 1.1},
            {
                "event": "user",
                "text": "someone said they'd stab me",
                "timestamp": 2.0,
                "parse_data": {"risk": {"level": "high", "categories": ["threat", "weapon"]}},
            },
            {
                "event": "bot",
                "text": "That sounds really frightening.",
                "timestamp": 2.1,
                "data": {"buttons": [{"title": "Yes, I'm safe", "payload": "/safe"}]},
            },
            {"event": "user", "text": "ok", "timestamp": 3.0, "parse_data": {}},
            *({**e, "timestamp": 4.0} for e in take_over_events("Sam")),
            {"event": "user", "text": "EXTERNAL: navigator_handback", "timestamp": 6.0},
            *({**e, "timestamp": 7.0} for e in hand_back_events("Sam")),
        ],
    }
    lines = transcript(tracker)
    kinds = [line.kind for line in lines]
    assert kinds == [
        "status",
        "user",
        "bot",
        "user",
        "status",
        "navigator",
        "status",
        "navigator",
        "status",
    ]
    threat = lines[1]
    assert (threat.risk, threat.categories) == ("high", ("threat", "weapon"))
    assert threat.at is not None and threat.at.tzinfo is not None
    assert lines[2].buttons == ("Yes, I'm safe",)
    assert lines[3].risk is None
    assert lines[5].navigator == "Sam" and lines[5].text == JOINED.format(name="Sam")
    assert "navigator_handback" in lines[6].text
    assert lines[7].text == LEFT.format(name="Sam")
    assert fingerprint(tracker) == (len(tracker["events"]), 7.0, False)
    assert transcript({"events": None}) == []


def test_words_follow_the_voice_guide() -> None:
    joined, left = JOINED.format(name="Sam"), LEFT.format(name="Sam")
    assert (
        joined == "Sam, a youth worker, has joined the chat. You're talking to a real person now."
    )
    assert left.startswith("Sam has left the chat.")
    assert "it's not a person" in left and "ask for a youth worker any time" in left


def test_the_console_says_whether_words_or_the_model_raised_the_risk() -> None:
    def user(text: str, level: str, evidence: list[str]) -> dict:
        risk = {"level": level, "categories": ["threatened"], "evidence": evidence}
        return {"event": "user", "text": text, "timestamp": 1.0, "parse_data": {"risk": risk}}

    lines = transcript(
        {
            "events": [
                user("they said theyll shank me", "high", ['threatened/x: "shank me" -> high']),
                user("strapped up", "high", ["model: serious 0.92 -> high"]),
                user("im dead 😂", "none", []),
            ]
        }
    )
    assert lines[1].why == ("model: serious 0.92 -> high",)
    html = transcript_html(lines)
    assert html.count('<details class="why">') == 2  # nothing for a message without risk
    assert "Why: risk words matched" in html
    assert "the model&#x27;s guess only (no risk words matched)" in html
    assert "serious 0.92" in html


def test_the_greeting_a_channel_sent_is_not_shown_as_typed() -> None:
    lines = transcript(
        {
            "events": [
                {"event": "user", "text": "hi", "metadata": {"opened": True}},
                {"event": "user", "text": "hi", "metadata": {"venue": "yc-1"}},
                {"event": "user", "text": "hi", "metadata": {"opened": "yes"}},
            ]
        }
    )
    assert [line.kind for line in lines] == ["status", "user", "user"]
    assert lines[0].text == 'Opened the chat (the app sent "hi" for them).'
