"""Link buttons ("Call Childline", "Open their website") on each channel."""

from __future__ import annotations

import pytest

from bot.channels.links import safe_link, sms_link, tel_link
from bot.channels.webchat import shape
from bot.telegram.replies import ButtonPayloads, keyboard

BUTTONS = [
    {"title": "Menu", "payload": "/show_menu"},
    {"title": "Call Childline", "url": "tel:08001111"},
    {"title": "Text SHOUT to 85258", "url": "sms:85258?&body=SHOUT"},
    {"title": "Open their website", "url": "https://www.childline.org.uk"},
    {"title": "Sneaky", "url": "javascript:alert(1)"},
    {"title": "Plain http", "url": "http://example.org"},
]


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://www.childline.org.uk/get-support/", True),
        ("tel:08001111", True),
        ("tel:+447700900123", True),
        ("sms:85258?&body=SHOUT", True),
        ("http://example.org", False),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("tel:0800 1111", False),
        ("https://evil.example/\"><script>", False),
        (None, False),
    ],
)
def test_only_https_tel_and_sms_links_are_shown(url: object, kept: bool) -> None:
    assert (safe_link(url) is not None) is kept


def test_links_are_built_from_the_directory_as_written() -> None:
    assert tel_link("0800 1111") == "tel:08001111"
    assert sms_link("85258", "SHOUT") == "sms:85258?&body=SHOUT"
    assert sms_link("85258", "two words") == "sms:85258"


def test_the_web_page_gets_payload_and_safe_link_buttons() -> None:
    (message,) = shape("Childline", BUTTONS, {})
    assert message["buttons"] == BUTTONS[:4]


def test_telegram_gets_payload_and_https_buttons_only() -> None:
    markup = keyboard(BUTTONS, ButtonPayloads())
    assert markup is not None
    rows = [row[0] for row in markup.inline_keyboard]
    assert [(b.text, b.callback_data, b.url) for b in rows] == [
        ("Menu", "/show_menu", None),
        ("Open their website", None, "https://www.childline.org.uk"),
    ]
