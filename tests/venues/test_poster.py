"""The A4 poster: both QR codes scan to the right places, with the words a young person needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image

from bot.venues.poster import (
    DANGER_LINES,
    PROMISES,
    SENTENCE,
    PosterConfigError,
    links_for,
    write_poster,
)
from tests.venues.pdf_images import qr_images

CODE = "abcdefgh23"
ENV = {
    "WAYPOINT_PUBLIC_URL": "https://waypoint.example.org/",
    "WAYPOINT_TELEGRAM_USERNAME": "@waypoint_help_bot",
}
TELEGRAM = f"https://t.me/waypoint_help_bot?start={CODE}"
WEB = f"https://waypoint.example.org/webhooks/webchat/?v={CODE}"
A4_PT = (595.28, 841.89)


@pytest.fixture(scope="module")
def poster(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_poster(CODE, tmp_path_factory.mktemp("poster"), links_for(CODE, ENV))


def decoded(image: Image.Image) -> list[str]:
    return sorted(result.text for result in zxingcpp.read_barcodes(image))


def test_links_lead_to_the_deep_link_and_the_web_chat_with_the_venue_code() -> None:
    links = links_for(CODE, ENV)
    assert (links.telegram, links.web) == (TELEGRAM, WEB)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, ["WAYPOINT_PUBLIC_URL", "WAYPOINT_TELEGRAM_USERNAME"]),
        ({**ENV, "WAYPOINT_PUBLIC_URL": ""}, ["WAYPOINT_PUBLIC_URL"]),
        ({**ENV, "WAYPOINT_PUBLIC_URL": "waypoint.example.org"}, ["WAYPOINT_PUBLIC_URL"]),
        ({**ENV, "WAYPOINT_TELEGRAM_USERNAME": "no spaces bot"}, ["WAYPOINT_TELEGRAM_USERNAME"]),
    ],
)
def test_missing_or_malformed_settings_are_named(env: dict[str, str], named: list[str]) -> None:
    with pytest.raises(PosterConfigError) as raised:
        links_for(CODE, env)
    for name in named:
        assert name in str(raised.value)


def test_the_png_is_a4_at_print_resolution_and_both_codes_scan(poster: tuple[Path, Path]) -> None:
    image = Image.open(poster[1])
    assert image.size[0] == 2480 and abs(image.size[1] - 3508) <= 1  # A4 at 300 dpi
    assert round(image.info["dpi"][0]) == 300
    assert decoded(image) == sorted([TELEGRAM, WEB])


def test_the_pdf_is_one_a4_page_with_the_words_and_both_codes(poster: tuple[Path, Path]) -> None:
    reader = pypdf.PdfReader(poster[0])
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_PT, abs=0.1)
    text = " ".join(reader.pages[0].extract_text().split())
    for words in (
        SENTENCE,
        *PROMISES,
        " ".join(DANGER_LINES),
        "Chat on Telegram",
        "Chat in your browser",
    ):
        assert words in text
    assert "Call 999." in text
    assert sorted(code for image in qr_images(poster[0]) for code in decoded(image)) == sorted(
        [TELEGRAM, WEB]
    )


def waypoint(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "venue", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_cli_adds_a_venue_in_a_real_area_and_prints_its_poster(tmp_path: Path) -> None:
    env = {**os.environ, "WAYPOINT_DATA_DIR": str(tmp_path / "data"), **ENV}
    env.pop("WAYPOINT_DB_URL", None)
    unknown = waypoint("add", "Somewhere", "--area", "Atlantis", env=env)
    assert unknown.returncode == 2 and "Atlantis" in unknown.stderr
    added = waypoint("add", "Yiewsley youth centre", "--area", "UB7", env=env)
    assert added.returncode == 0, added.stderr
    code = added.stdout.split()[0]
    assert "(Hillingdon)" in added.stdout
    listed = waypoint("list", env=env)
    assert f"{code}  hillingdon" in listed.stdout and "Yiewsley youth centre" in listed.stdout
    assert waypoint("poster", "nosuchcode", env=env).returncode == 2
    no_url = waypoint("poster", code, env={**env, "WAYPOINT_PUBLIC_URL": ""})
    assert no_url.returncode == 2 and "WAYPOINT_PUBLIC_URL is not set" in no_url.stderr
    printed = waypoint("poster", code, "--out", str(tmp_path / "out"), env=env)
    assert printed.returncode == 0, printed.stderr
    png = tmp_path / "out" / f"waypoint-poster-{code}.png"
    assert (tmp_path / "out" / f"waypoint-poster-{code}.pdf").is_file()
    assert decoded(Image.open(png)) == sorted(
        [
            f"https://t.me/waypoint_help_bot?start={code}",
            f"https://waypoint.example.org/webhooks/webchat/?v={code}",
        ]
    )
    counts = waypoint("counts", env=env)
    assert counts.returncode == 0 and "No chats started" in counts.stdout
