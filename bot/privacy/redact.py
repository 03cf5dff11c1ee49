"""Redaction: identifying details become placeholders before any text is stored.

Every channel calls :func:`redact` on a young person's words before Rasa sees them, so
the tracker store, the escalation a navigator reads and any later export hold
"[phone number]" instead of the number. The rest of their words stay as they wrote them:
a navigator needs to read what was said.

What is replaced: phone numbers (9 to 15 digits, in any grouping, also spelled out as
"oh seven seven ..."), email addresses, full postcodes (the district is kept, because
it is what finds local services: "UB3 4RE" becomes "[postcode UB3]"), street addresses
with a house number or after "I live on/at", and social media handles (with "@", in a
profile link, or named: "my snap is jay_12").

What is deliberately kept: numbers a young person might need to mention (999, 111,
116 123, 0800 1111, 85258, all under 9 digits), ages, times, dates, amounts and a
postcode district on its own.
"""

from __future__ import annotations

import re

PHONE = "[phone number]"
EMAIL = "[email]"
ADDRESS = "[address]"
HANDLE = "[handle]"

MIN_PHONE_DIGITS = 9  # the shortest UK numbers are 10 digits; helplines are shorter
MAX_PHONE_DIGITS = 15  # the international (E.164) maximum

MAIL_PROVIDERS = (
    r"gmail|googlemail|hotmail|outlook|live|yahoo|icloud|me|aol|proton(?:mail)?"
    r"|btinternet|sky|virginmedia|talktalk|mail"
)
# "jay at gmail dot com", "jay (at) hotmail.co.uk": only with a known mail provider, so
# "I'm at home.so scared" stays as it is.
SPELLED_EMAIL_RE = re.compile(
    rf"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{{1,64}}\s*(?:\(at\)|\[at\]|\bat\b)\s*"
    rf"(?:{MAIL_PROVIDERS})"
    r"\s*(?:\.|\(dot\)|\[dot\]|\bdot\b)\s*(?:com|net|co\s*(?:\.|dot)\s*uk|uk|me)\b",
    re.IGNORECASE,
)
# Bounded, and anchored to the start of a run of address characters: an unbounded
# "[...]+@" tried from every position made redaction quadratic ("x" * 20000 took minutes).
PLAIN_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}"
)

# Digit groups joined by spaces, dots, dashes or brackets, with an optional "+".
PHONE_RE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s().-]{0,3}\d){6,20}(?!\w)")

NUMBER_WORDS = {
    "oh": 1, "o": 1, "zero": 1, "nought": 1, "nil": 1, "one": 1, "two": 1, "three": 1,
    "four": 1, "five": 1, "six": 1, "seven": 1, "eight": 1, "nine": 1,
}  # fmt: skip
REPEATS = {"double": 2, "triple": 3, "treble": 3}
SPELLED_DIGIT = (
    r"(?:\d+|oh|o|zero|nought|nil|one|two|three|four|five|six|seven|eight|nine"
    r"|double|triple|treble)"
)
SPELLED_RE = re.compile(
    rf"(?<![\w])(?:\+\s*)?{SPELLED_DIGIT}(?:[\s,.-]+{SPELLED_DIGIT}){{4,}}(?![\w])",
    re.IGNORECASE,
)

# Full postcode: outward code (the district) + inward code. The inward letters never
# use C, I, K, M, O or V, which keeps ordinary words out.
POSTCODE_RE = re.compile(
    r"\b(GIR\s*0AA|[A-Z]{1,2}\d[A-Z\d]?)\s*(\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)

STREET_TYPES = (
    r"road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|cres"
    r"|place|pl|gardens|gdns|grove|terrace|hill|park|square|sq|walk|mews|row|rise"
    r"|parade|green|estate|house|tower|towers|heights|view|vale|boulevard"
)
NOT_A_STREET_NAME = (
    r"on|in|at|my|the|a|an|to|from|of|our|your|his|her|their|this|that|by|near|round"
    r"|around|down|up|and|or|with|for|friends?|mates?|people|boys|girls|times?|days?"
    r"|weeks?|years?|mins?|minutes?|hours?|kids?|cars?|police|guys|man|men"
)
NAME_WORD = rf"(?!(?:{NOT_A_STREET_NAME})\b)[A-Za-z][A-Za-z'-]*"
NUMBERED_ADDRESS_RE = re.compile(
    rf"(?:\b(?:flat|apartment|apt|unit)\s+)?\b\d{{1,4}}[a-z]?(?:\s*,)?\s+"
    rf"(?:{NAME_WORD}\s+){{1,3}}(?:{STREET_TYPES})\b\.?",
    re.IGNORECASE,
)
LIVE_ON_RE = re.compile(
    rf"\b((?:live|living|lives|stay|staying|stays|house is|flat is|home is|address is)"
    rf"\s+(?:on|at|in|off)\s+)((?:{NAME_WORD}\s+){{1,3}}(?:{STREET_TYPES}))\b",
    re.IGNORECASE,
)
FLAT_RE = re.compile(r"\b(?:flat|apartment|apt)\s+\d{1,4}[a-z]?\b", re.IGNORECASE)

SOCIAL_SITES = (
    r"instagram\.com|snapchat\.com/add|tiktok\.com|twitter\.com|x\.com|facebook\.com"
    r"|fb\.com|youtube\.com|threads\.net|t\.me|discord\.gg"
)
PROFILE_LINK_RE = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:{SOCIAL_SITES})/@?[A-Za-z0-9_.-]+", re.IGNORECASE
)
AT_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}")
PLATFORMS = (
    r"snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|twitter|discord|telegram|threads"
    r"|facebook|fb|psn|xbox|gamertag|username|user\s?name|handle"
)
CONNECTOR = r"(?:\s*(?:name|id|username|handle|tag)?\s*(?:is|=|:|-|—|@)\s*)"
NOT_A_HANDLE = (
    r"not|down|private|blocked|broken|gone|deleted|the|a|an|my|same|new|hacked|working"
    r"|off|on|banned|public|there|here|this|that|it|too|so|just|still|always|never"
    r"|what|where|why|how|and|but|because|cos|coz|if|when|also|really|very|full"
)
NAMED_HANDLE_RE = re.compile(
    rf"\b((?:{PLATFORMS})\b{CONNECTOR})(?!(?:{NOT_A_HANDLE})\b)([A-Za-z0-9_.]{{2,30}})",
    re.IGNORECASE,
)
ADD_ME_RE = re.compile(
    rf"\b(add me on\s+(?:{PLATFORMS})\b\s*[:-]?\s*)(?!(?:{NOT_A_HANDLE})\b)"
    r"([A-Za-z0-9_.]{2,30})",
    re.IGNORECASE,
)
# "snap jay_12", "ig: j.doe": a platform then a token that looks like a username.
SITES = r"snap(?:chat)?|insta(?:gram)?|ig|tik\s?tok|twitter|discord|threads|fb|psn|xbox"
PLATFORM_THEN_USERNAME_RE = re.compile(
    rf"\b((?:{SITES})\b\s*:?\s+)([A-Za-z0-9]*[0-9_.][A-Za-z0-9_.]*[A-Za-z0-9])",
    re.IGNORECASE,
)


def _digits_in_spelled(text: str) -> int:
    """Count the digits a spelled-out number stands for ("double seven" is two)."""
    count, repeat = 0, 1
    for token in re.findall(SPELLED_DIGIT, text, flags=re.IGNORECASE):
        lowered = token.lower()
        if lowered in REPEATS:
            repeat = REPEATS[lowered]
            continue
        count += len(token) * repeat if token.isdigit() else NUMBER_WORDS[lowered] * repeat
        repeat = 1
    return count


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    if MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        return PHONE
    return match.group(0)


def _spelled_phone(match: re.Match[str]) -> str:
    text = match.group(0)
    words = sum(1 for token in re.findall(r"[A-Za-z]+", text))
    if words and MIN_PHONE_DIGITS <= _digits_in_spelled(text) <= MAX_PHONE_DIGITS + 2:
        return PHONE
    return text


def _postcode(match: re.Match[str]) -> str:
    district = match.group(1).upper().replace(" ", "")
    return "[postcode]" if district.startswith("GIR") else f"[postcode {district}]"


def redact(text: str) -> str:
    """Return ``text`` with phone numbers, emails, postcodes, addresses and handles replaced.

    Safe to call twice: placeholders are never matched again.
    """
    if not text:
        return text
    text = PROFILE_LINK_RE.sub(HANDLE, text)
    text = PLAIN_EMAIL_RE.sub(EMAIL, text)
    text = SPELLED_EMAIL_RE.sub(EMAIL, text)
    text = POSTCODE_RE.sub(_postcode, text)
    text = NUMBERED_ADDRESS_RE.sub(ADDRESS, text)
    text = LIVE_ON_RE.sub(lambda m: m.group(1) + ADDRESS, text)
    text = FLAT_RE.sub(ADDRESS, text)
    text = PHONE_RE.sub(_phone, text)
    text = SPELLED_RE.sub(_spelled_phone, text)
    text = AT_HANDLE_RE.sub(HANDLE, text)
    text = NAMED_HANDLE_RE.sub(lambda m: m.group(1) + HANDLE, text)
    text = ADD_ME_RE.sub(lambda m: m.group(1) + HANDLE, text)
    text = PLATFORM_THEN_USERNAME_RE.sub(lambda m: m.group(1) + HANDLE, text)
    return text
