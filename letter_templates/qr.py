"""A QR code as PNG bytes (segno), at the error-correction level the EPC standard prescribes."""

from __future__ import annotations

import io
from functools import lru_cache

import segno

# Every mask pattern gives a valid code; letting segno score all eight costs ~14 ms, most of a letter's render
# budget, for a code printed large on white paper. Mask 2 (vertical stripes) scans fine there.
MASK = 2


@lru_cache(maxsize=1024)
def qr_png(payload: str, scale: int = 1) -> bytes:
    """PNG of `payload` at error correction M (EPC069-12), never boosted, with the standard 4-module quiet zone.

    One pixel per module: the letter scales the image to its printed size, and a small PNG keeps the docx small.
    """
    code = segno.make_qr(payload, error="m", boost_error=False, encoding="utf-8", mask=MASK)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
