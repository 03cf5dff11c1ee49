"""A printable A4 poster for one venue: two QR codes (Telegram, web chat) and the 999 line.

One layout, drawn once with matplotlib (already a Rasa dependency), saved twice: a PDF
with real text (fonts embedded) and a 300 dpi PNG (2480 x 3508 pixels). QR codes come
from segno (error correction level Q, so a scuffed or folded poster still scans).
The words follow VOICE.md: short, plain, no labels, and honest about what happens.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno

A4_MM = (210.0, 297.0)
MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH
PNG_DPI = 300
INK = "#14213d"  # dark navy on white: contrast over 15:1
DANGER = "#a4001d"  # white on this red: contrast over 7:1
QUIET_ZONE = 4  # modules of white around each QR code, as the standard asks

TITLE = "Waypoint"
SENTENCE = (
    "Waypoint is a free chat for young people who feel unsafe, have lost someone, "
    "or are worried about knives."
)
PROMISES = ("You don't need to give your name.", "You can stop any time.")
SCAN = "Scan with your phone's camera:"
TELEGRAM_LABEL = "Chat on Telegram"
WEB_LABEL = "Chat in your browser"
DANGER_LINES = ("In danger right now?", "Call 999.")
FOOTER = (
    "Poster code {code}. It counts how many chats start from here each day, "
    "and nothing about who."
)

# Fonts embedded as TrueType (real, searchable text in the PDF); each QR code its own
# image (matplotlib would otherwise merge both, with the gap between, into one).
RC = {"pdf.fonttype": 42, "font.family": "DejaVu Sans", "image.composite_image": False}
USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


class PosterConfigError(RuntimeError):
    """A setting the poster needs is missing or malformed (the message says which)."""


@dataclass(frozen=True)
class PosterLinks:
    """Where the two QR codes lead for one venue."""

    telegram: str
    web: str


def links_for(code: str, env: dict[str, str] | None = None) -> PosterLinks:
    """Build the Telegram deep link and web chat URL for ``code`` from the environment."""
    env = dict(os.environ) if env is None else env
    public = env.get("WAYPOINT_PUBLIC_URL", "").strip().rstrip("/")
    username = env.get("WAYPOINT_TELEGRAM_USERNAME", "").strip().lstrip("@")
    problems = []
    if not public:
        problems.append(
            "WAYPOINT_PUBLIC_URL is not set: the address where people reach Waypoint's "
            "web chat, e.g. https://waypoint.example.org"
        )
    elif not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", public):
        problems.append(f"WAYPOINT_PUBLIC_URL is not a web address: {public!r}")
    if not username:
        problems.append(
            "WAYPOINT_TELEGRAM_USERNAME is not set: the bot's username from BotFather, "
            "e.g. waypoint_help_bot"
        )
    elif not USERNAME.fullmatch(username):
        problems.append(f"WAYPOINT_TELEGRAM_USERNAME is not a Telegram username: {username!r}")
    if problems:
        raise PosterConfigError("\n".join(problems))
    return PosterLinks(
        telegram=f"https://t.me/{username}?start={code}",
        web=f"{public}/webhooks/webchat/?v={code}",
    )


def qr_matrix(data: str) -> list[list[int]]:
    """Return the QR code for ``data`` as rows of 0/1 (1 = dark), quiet zone included."""
    qr = segno.make(data, error="q", micro=False)
    return [list(row) for row in qr.matrix_iter(scale=1, border=QUIET_ZONE)]


# -- layout ---------------------------------------------------------------------------


def _up(y_from_top: float) -> float:
    """Turn a distance from the top of the page (mm) into matplotlib's upward y.

    The axes keep matplotlib's usual upward y: with an inverted axis the PDF backend
    stores images upside down behind a flipping transform, which some tools misread.
    """
    return A4_MM[1] - y_from_top


def _wrap(text: str, size_pt: float, width_mm: float, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width_mm`` at ``size_pt`` (DejaVu Sans)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    prop.set_size(size_pt)
    measure = TextToPath()

    def width(line: str) -> float:
        return measure.get_text_width_height_descent(line, prop, ismath=False)[0] / PT_PER_MM

    lines: list[str] = []
    for word in text.split():
        if lines and width(f"{lines[-1]} {word}") <= width_mm:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _wrap_url(url: str, size_pt: float, width_mm: float) -> list[str]:
    """Break a URL (which has no spaces) after "/" or before "?" to fit ``width_mm``."""
    pieces = re.findall(r"[^/?]+/?|/|\?[^/?]*", url)
    lines = _wrap(" ".join(pieces), size_pt, width_mm)
    return [line.replace(" ", "") for line in lines]


def _text(ax: Any, x: float, y: float, lines: list[str], size: float, **style: Any) -> float:
    """Draw ``lines`` centred on ``x`` from top ``y`` (mm); return the y below them."""
    step = size / PT_PER_MM * 1.25
    for line in lines:
        ax.text(x, _up(y), line, fontsize=size, ha="center", va="top", color=INK, **style)
        y += step
    return y


def _qr(ax: Any, x: float, y: float, size: float, data: str) -> None:
    """Draw the QR code for ``data`` as a ``size`` mm square with its top-left at (x, y)."""
    matrix = qr_matrix(data)
    ax.imshow(
        matrix,
        cmap="Greys",
        vmin=0,
        vmax=1,
        interpolation="nearest",
        extent=(x, x + size, _up(y + size), _up(y)),
    )


def draw(code: str, links: PosterLinks) -> Any:
    """Return the poster as a matplotlib Figure (A4 portrait, millimetre coordinates)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    width, height = A4_MM
    figure = Figure(figsize=(width / MM_PER_INCH, height / MM_PER_INCH))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)  # the layout measures from the top: see _up()
    ax.set_axis_off()
    centre, text_width = width / 2, width - 36

    y = _text(ax, centre, 14, [TITLE], 54, weight="bold")
    y = _text(ax, centre, y + 4, _wrap(SENTENCE, 24, text_width, bold=True), 24, weight="bold")
    y = _text(ax, centre, y + 3, list(PROMISES), 18)
    y = _text(ax, centre, y + 5, [SCAN], 16)

    qr_size, gap = 74.0, 16.0
    left = centre - gap / 2 - qr_size
    columns = ((left, TELEGRAM_LABEL, links.telegram), (centre + gap / 2, WEB_LABEL, links.web))
    top, bottom = y + 3, y
    for x, label, url in columns:
        middle = x + qr_size / 2
        below = _text(ax, middle, top, [label], 17, weight="bold")
        _qr(ax, x, below + 1, qr_size, url)
        shown = _wrap_url(url.removeprefix("https://"), 10, qr_size)
        bottom = max(bottom, _text(ax, middle, below + qr_size + 3, shown, 10))

    banner_top, banner_height = height - 68, 38.0
    if bottom > banner_top - 3:
        raise RuntimeError("the poster's QR codes and links run into the 999 banner")
    ax.add_patch(
        FancyBboxPatch(
            (14, _up(banner_top + banner_height)),
            width - 28,
            banner_height,
            boxstyle="round,pad=0,rounding_size=4",
            facecolor=DANGER,
            edgecolor="none",
        )
    )
    for line, offset in zip(DANGER_LINES, (-0.25, 0.25), strict=True):
        ax.text(
            centre,
            _up(banner_top + banner_height * (0.5 + offset)),
            line,
            fontsize=32,
            weight="bold",
            color="white",
            ha="center",
            va="center",
        )
    footer = _wrap(FOOTER.format(code=code), 9, text_width)
    _text(ax, centre, height - 22, footer, 9)
    return figure


def write_poster(code: str, out_dir: Path, links: PosterLinks) -> tuple[Path, Path]:
    """Write ``waypoint-poster-CODE.pdf`` and ``.png`` into ``out_dir``; return both paths."""
    import matplotlib

    out_dir.mkdir(parents=True, exist_ok=True)
    pdf, png = (out_dir / f"waypoint-poster-{code}.{kind}" for kind in ("pdf", "png"))
    with matplotlib.rc_context(RC):
        figure = draw(code, links)
        metadata = {"Title": f"Waypoint poster {code}", "Creator": "Waypoint"}
        figure.savefig(pdf, format="pdf", dpi=PNG_DPI, metadata=metadata)
        figure.savefig(png, format="png", dpi=PNG_DPI, facecolor="white")
    return pdf, png
