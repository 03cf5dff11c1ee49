"""Read the QR images back out of a poster PDF, as a PDF viewer would draw them.

pypdf 7.1 decodes 1-bit images stored with PNG predictors (what matplotlib writes for a
two-colour image) wrongly, so this undoes the predictor itself, following the PNG spec.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pypdf
from PIL import Image, ImageOps


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unpredict(data: bytes, stride: int, height: int) -> bytes:
    """Undo PNG row filters (predictor 10-15) for rows of ``stride`` bytes, 1 byte/pixel."""
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = data[start], bytearray(data[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = row[i - 1] if i else 0
            b, c = previous[i], previous[i - 1] if i else 0
            row[i] = (row[i] + (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]) & 0xFF
        rows.append(bytes(row))
        previous = row
    return b"".join(rows)


def qr_images(pdf: Path) -> list[Image.Image]:
    """Return the page's two-colour images, dark modules black, as greyscale pictures."""
    page = pypdf.PdfReader(pdf).pages[0]
    images = []
    for ref in page["/Resources"]["/XObject"].values():
        image = ref.get_object()
        if image["/Subtype"] != "/Image" or image["/BitsPerComponent"] != 1:
            continue
        width, height = int(image["/Width"]), int(image["/Height"])
        stride = (width + 7) // 8
        bits = unpredict(zlib.decompress(image._data), stride, height)
        palette = image["/ColorSpace"][3]  # /Indexed /DeviceRGB 1 <lookup>
        picture = Image.frombytes("1", (width, height), bits).convert("L")
        if palette[:3] == b"\xff\xff\xff":  # index 0 is white: PIL's 0 is black
            picture = ImageOps.invert(picture)
        images.append(picture)
    return images
