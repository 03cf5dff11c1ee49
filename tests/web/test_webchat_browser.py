"""The chat page in Debian's chromium, driven by tests/web/browser_check.mjs (playwright-core).

Skipped with a reason on a machine without chromium, node or ``npm ci``; a failure
when CI=true (tests/services.py).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import run_browser_check
from tests.web.conftest import LiveChat
from tests.web.fake_agent import WELCOME_BUTTONS
from tests.web.navigator_hook import NavigatorHook

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(webchat: LiveChat) -> dict[str, Any]:
    """One browser run against the fake-agent server, shared by the assertions below."""
    first, finished = len(webchat.agent.received), len(webchat.agent.finished)
    with NavigatorHook(webchat.base) as hook:
        found = run_browser_check(
            webchat.page_url + "?v=hillingdon-yc1",
            *("--navigator-hook", hook.url, "--error-message", "boom", "--slow-message", "slow"),
        )
        for _ in range(50):  # quick exit left "slow" running on the server
            if "slow" in webchat.agent.finished[finished:]:
                break
            time.sleep(0.1)
    found["received"] = webchat.agent.received[first:]
    found["finished"] = webchat.agent.finished[finished:]
    return found


def result(report: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [c for c in report["checks"] if c["name"] == name]
    assert found["ok"], f"{name}: {found['detail']}"
    assert not found.get("skipped"), f"{name} was skipped: {found['detail']}"
    return found["detail"]


def test_every_check_passed(report: dict[str, Any]) -> None:
    failed = [c for c in report["checks"] if not c["ok"]]
    assert not failed, json.dumps(failed, indent=2)


def test_page_opens_with_the_bots_welcome(report: dict[str, Any]) -> None:
    detail = result(report, "loads and shows the welcome")
    assert detail["welcome"][0].startswith("Hi, I'm Waypoint")
    greetings = [m for m in report["received"] if m.text == "hi"]
    assert greetings
    # The venue is read from ?v=; "opened" marks the greeting as sent by the page.
    assert greetings[0].metadata == {"venue": "hillingdon-yc1", "opened": True}


def test_accessibility_basics(report: dict[str, Any]) -> None:
    detail = result(report, "quick exit, 999 and labels are in place")
    assert detail["inputLabel"] == "Your message"
    assert detail["lang"] == "en-GB"


def test_nothing_but_the_token_in_storage(report: dict[str, Any]) -> None:
    result(report, "only the session token in storage")


def test_typed_message_and_reply(report: dict[str, Any]) -> None:
    detail = result(report, "typing and Enter sends; the reply is shown")
    assert detail["replies"] == ["You said: hello there"]


def test_button_sends_payload_shows_title(report: dict[str, Any]) -> None:
    detail = result(report, "buttons send their payload and show their title")
    assert detail["title"] == WELCOME_BUTTONS[0]["title"]
    assert detail["replies"] == [f"You chose {WELCOME_BUTTONS[0]['payload']}."]
    assert detail["disabledAfter"] is True
    assert WELCOME_BUTTONS[0]["payload"] in [m.text for m in report["received"]]


def test_script_is_rendered_as_text(report: dict[str, Any]) -> None:
    detail = result(report, "HTML is shown as text, never run")
    assert detail["shown"] == "<script>alert(1)</script>"
    assert detail["replies"] == ["You said: <script>alert(1)</script>"]


def test_unreachable_server_is_handled_kindly(report: dict[str, Any]) -> None:
    detail = result(report, "kind message and retry when the server is unreachable")
    assert detail["failures"] >= 1
    assert "call 999" in detail["notice"]


def test_bot_failure_is_shown_kindly(report: dict[str, Any]) -> None:
    detail = result(report, "a failing bot gets a kind notice after a few tries")
    assert detail["notice"].startswith("Sorry, something went wrong")
    assert [m.text for m in report["received"]].count("boom") == 3  # 2 retries, then notice


def test_navigator_message_is_labelled_as_a_person(report: dict[str, Any]) -> None:
    detail = result(report, "a youth worker's message is labelled as a person")
    assert detail["label"] == "Sam (youth worker)"


def test_narrow_phone_and_screenshots(report: dict[str, Any]) -> None:
    detail = result(report, "works at 320px wide")
    assert detail["scrollWidth"] <= 320
    assert detail["bodyFont"] == "18px"
    for path in report["screenshots"]:
        assert Path(path).stat().st_size > 1000


def test_end_chat(report: dict[str, Any]) -> None:
    detail = result(report, "End chat asks twice, then clears the screen and the token")
    assert detail["armed"] == "Tap again to end chat"


def test_no_other_hosts(report: dict[str, Any]) -> None:
    result(report, "no request to any other host")
    assert report["foreign_requests"] == []


def test_quick_exit_leaves_nothing(report: dict[str, Any]) -> None:
    for name in (
        "quick exit button leaves and clears everything",
        "Shift pressed 3 times leaves and clears everything",
    ):
        detail = result(report, name)
        assert detail["storage"] == {"local": [], "session": []}


def test_quick_exit_still_delivers_what_was_said(report: dict[str, Any]) -> None:
    """The message in flight is finished by the server; one still queued goes by beacon."""
    detail = result(report, "quick exit button leaves and clears everything")
    assert detail["queued"] == "said while leaving"
    assert "slow" in report["finished"]
    assert "said while leaving" in [m.text for m in report["received"]]


def test_delete_chat_erases_on_the_server_and_says_so(report: dict[str, Any]) -> None:
    name = "Delete chat asks twice, then shows what was deleted and starts afresh"
    detail = result(report, name)
    assert detail["armed"] == "Tap again to delete"
    assert any("deleted this chat" in text for text in detail["said"]), detail
    assert detail["newToken"]
    # The page asked the server to erase, rather than just clearing the screen
    assert any(m.text == "something to delete" for m in report["received"])


def test_privacy_page_is_reachable_and_plain(report: dict[str, Any]) -> None:
    detail = result(report, "the privacy page opens from the chat, in plain words")
    assert detail["heading"] == "What happens to your messages"
    assert detail["mentionsForget"] and detail["mentions999"]


def test_link_buttons_open_a_call_or_a_website(report: dict[str, Any]) -> None:
    detail = result(report, "link buttons are links: call and website, nothing else")
    assert detail["links"] == [
        {"title": "Call Childline", "href": "tel:08001111", "target": ""},
        {
            "title": "Open their website",
            "href": "https://www.childline.org.uk",
            "target": "_blank",
        },
    ]
