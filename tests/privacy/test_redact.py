"""Redaction of identifying details before anything is stored (bot/privacy/redact.py)."""

from __future__ import annotations

import pytest

from bot.privacy.redact import ADDRESS, EMAIL, HANDLE, PHONE, redact

PHONES = [
    "07700 900123",
    "07700900123",
    "077 009 001 23",
    "07700-900-123",
    "07700.900.123",
    "(07700) 900123",
    "+44 7700 900123",
    "+447700900123",
    "0044 7700 900 123",
    "020 7946 0018",
    "0121 496 0000",
    "+1 (415) 555-0132",
    "+33 6 12 34 56 78",
    "+234 803 123 4567",
    "oh seven seven oh oh nine oh oh one two three",
    "zero seven seven double oh nine double oh one two three",
    "O7700 900 123".replace("O", "0"),
    "07 seven 7 double oh 9 oh oh 1 2 3",
    "oh-seven-seven-oh-oh-nine-oh-oh-one-two-three",
]


@pytest.mark.parametrize("number", PHONES)
def test_phone_numbers_become_a_placeholder(number: str) -> None:
    said = f"my number is {number} call me later"
    assert redact(said) == f"my number is {PHONE} call me later"


@pytest.mark.parametrize(
    "email",
    [
        "jay.smith99@gmail.com",
        "j_s+chat@hotmail.co.uk",
        "someone@school.sch.uk",
        "jay at gmail dot com",
        "jay (at) hotmail (dot) co.uk",
        "JAY@OUTLOOK.COM",
    ],
)
def test_email_addresses_become_a_placeholder(email: str) -> None:
    assert redact(f"email me {email} pls") == f"email me {EMAIL} pls"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("UB3 4RE", "[postcode UB3]"),
        ("ub34re", "[postcode UB3]"),
        ("n1 9gu", "[postcode N1]"),
        ("B91 3QH", "[postcode B91]"),
        ("SW1A 1AA", "[postcode SW1A]"),
        ("EC1V 7LA", "[postcode EC1V]"),
    ],
)
def test_full_postcodes_keep_only_the_district(said: str, expected: str) -> None:
    assert redact(f"I'm near {said} now") == f"I'm near {expected} now"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I live at 12 Acacia Road", f"I live at {ADDRESS}"),
        ("come to 4b Church street tonight", f"come to {ADDRESS} tonight"),
        ("flat 3, 27 Long Lane", f"{ADDRESS}, {ADDRESS}"),
        ("i live on acacia avenue", f"i live on {ADDRESS}"),
        ("we're staying at Marlow Court", f"we're staying at {ADDRESS}"),
        ("it's 221 Baker St.", f"it's {ADDRESS}"),
    ],
)
def test_street_addresses_become_a_placeholder(said: str, expected: str) -> None:
    assert redact(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("@jay_99 said he'd get me", f"{HANDLE} said he'd get me"),
        ("my snap is jay_12", f"my snap is {HANDLE}"),
        ("snap: jaybird", f"snap: {HANDLE}"),
        ("insta - j.doe", f"insta - {HANDLE}"),
        ("my ig is @j.doe", f"my ig is {HANDLE}"),
        ("add me on insta jdoe", f"add me on insta {HANDLE}"),
        ("add me on snapchat: bigman", f"add me on snapchat: {HANDLE}"),
        ("his tiktok is lilj.23", f"his tiktok is {HANDLE}"),
        ("snap jay_12 messaged me", f"snap {HANDLE} messaged me"),
        ("https://www.instagram.com/jay.x/ posted it", f"{HANDLE}/ posted it"),
        ("tiktok.com/@lil.j", HANDLE),
        ("my username is ghost77", f"my username is {HANDLE}"),
    ],
)
def test_social_media_handles_become_a_placeholder(said: str, expected: str) -> None:
    assert redact(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "call 999",
        "I rang 111 last night",
        "Childline is 0800 1111",
        "Samaritans 116 123",
        "text SHOUT to 85258",
        "I'm 15, in year 10",
        "see you at 10:30 on 12/03/2025",
        "it cost £1,200",
        "I'm in N1",
        "is there anything in UB3?",
        "B91 area",
        "I have 2 friends on my road",
        "there were 3 people in the park",
        "I'm at home.so scared",
        "my snap is down",
        "my insta is private",
        "he said it on snap",
        "I'm dead 😂",
        "someone has a knife at school",
        "",
        "[phone number]",
    ],
)
def test_everyday_words_and_helpline_numbers_stay(said: str) -> None:
    assert redact(said) == said


def test_the_rest_of_the_words_stay_for_the_navigator() -> None:
    said = (
        "they said they'll stab me after school, text me on 07700 900123 "
        "or snap jay_12, I live at 12 Acacia Road UB3 4RE"
    )
    assert redact(said) == (
        f"they said they'll stab me after school, text me on {PHONE} "
        f"or snap {HANDLE}, I live at {ADDRESS} [postcode UB3]"
    )


def test_redacting_twice_changes_nothing() -> None:
    once = redact("07700 900123 jay@gmail.com UB3 4RE @jay 12 Acacia Road")
    assert redact(once) == once


LONGEST = {
    "letters": "x" * 20_000,
    "at signs": "a@" * 10_000,
    "dots": "a." * 10_000,
    "digits": "1 " * 10_000,
    "handles": "snap is " * 2_500,
    "plus signs": "+" * 20_000,
}


@pytest.mark.parametrize("text", LONGEST.values(), ids=LONGEST.keys())
def test_the_longest_messages_are_handled(text: str) -> None:
    """Inputs that made unbounded patterns quadratic (9.3 s for "x" * 20000)."""
    once = redact(text)
    assert redact(once) == once
