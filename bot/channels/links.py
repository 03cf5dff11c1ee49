"""Link buttons ("Call Childline", "Website"): which links a channel may show.

A button is either a payload button (``{"title", "payload"}``, sent back to Rasa when
pressed) or a link button (``{"title", "url"}``, opened by the phone or browser). Links
come from Waypoint's own directory, and are still checked here: only ``https:``, and
``tel:`` and ``sms:`` with nothing but a number (and an ``sms:`` message body).
"""

from __future__ import annotations

import re
from typing import Any

HTTPS = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"']*)?")
TEL = re.compile(r"tel:\+?[0-9]{3,15}")
SMS = re.compile(r"sms:\+?[0-9]{3,15}(?:\?&?body=[A-Za-z0-9%]{1,40})?")
MAX_URL_CHARS = 500


def safe_link(url: Any, *, schemes: tuple[str, ...] = ("https", "tel", "sms")) -> str | None:
    """Return ``url`` if it is a link Waypoint may show, else None."""
    if not isinstance(url, str) or len(url) > MAX_URL_CHARS:
        return None
    checks = {"https": HTTPS, "tel": TEL, "sms": SMS}
    if any(checks[scheme].fullmatch(url) for scheme in schemes):
        return url
    return None


def tel_link(number: str) -> str:
    """``tel:`` link for a number as written in the directory ("0800 1111")."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def sms_link(number: str, keyword: str | None) -> str:
    """``sms:`` link that opens a text to ``number``, with ``keyword`` typed in if given."""
    link = "sms:" + re.sub(r"[^0-9+]", "", number)
    if keyword and re.fullmatch(r"[A-Za-z0-9]{1,40}", keyword):
        link += f"?&body={keyword}"
    return link
