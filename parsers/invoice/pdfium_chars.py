"""The characters of a pypdfium2 page with pdfminer's geometry (origin, advance width, font size and descent)."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.invoice.char_layout import Char

_P, _INT, _DOUBLE, _FLOAT = ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_float


def _call(name: str, restype, *argtypes):
    """pdfium's function with plain-int handles: the per-character loop makes ~3 calls per glyph, and
    pypdfium2's typed pointers would cost more than the calls themselves."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(getattr(pdfium_c, name), _P).value or 0)


_get_text = _call("FPDFText_GetText", _INT, _P, _INT, _INT, ctypes.c_char_p)
_is_generated = _call("FPDFText_IsGenerated", _INT, _P, _INT)
_text_object = _call("FPDFText_GetTextObject", _P, _P, _INT)
_char_origin = _call("FPDFText_GetCharOrigin", _INT, _P, _INT, ctypes.POINTER(_DOUBLE), ctypes.POINTER(_DOUBLE))
_char_matrix = _call("FPDFText_GetMatrix", _INT, _P, _INT, ctypes.POINTER(pdfium_c.FS_MATRIX))
_loose_box = _call("FPDFText_GetLooseCharBox", _INT, _P, _INT, ctypes.POINTER(pdfium_c.FS_RECTF))
_object_font = _call("FPDFTextObj_GetFont", _P, _P)
_object_font_size = _call("FPDFTextObj_GetFontSize", _INT, _P, ctypes.POINTER(_FLOAT))
_glyph_width = _call("FPDFFont_GetGlyphWidth", _INT, _P, ctypes.c_uint32, _FLOAT, ctypes.POINTER(_FLOAT))
_font_descent = _call("FPDFFont_GetDescent", _INT, _P, _FLOAT, ctypes.POINTER(_FLOAT))

# pdfium marks a hyphen that ends a line with U+FFFE; pdfminer keeps the hyphen.
_HYPHEN_MARK = 0xFFFE


class _Reader:
    """Per-page state: the text page handle and caches per text object and per glyph."""

    def __init__(self, textpage: int) -> None:
        self.textpage = textpage
        self.objects: dict[int, tuple[float, float, float, float, float, int, float]] = {}
        self.widths: dict[tuple[int, int], float] = {}
        self.x, self.y = _DOUBLE(), _DOUBLE()
        self.number = _FLOAT()
        self.matrix = pdfium_c.FS_MATRIX()
        self.rect = pdfium_c.FS_RECTF()

    def object_info(self, index: int, obj: int) -> tuple[float, float, float, float, float, int, float]:
        """Char matrix (a, b, c, d), font size, font handle and descent (per 1 pt) of a text object."""
        info = self.objects.get(obj)
        if info is None:
            _char_matrix(self.textpage, index, self.matrix)
            _object_font_size(obj, self.number)
            size = self.number.value
            font = _object_font(obj)
            # pdfminer's descent comes from the font descriptor, as FPDFFont_GetDescent's does
            descent = self.number.value / 1000 if _font_descent(font, 1000.0, self.number) else 0.0
            m = self.matrix
            info = self.objects[obj] = (m.a, m.b, m.c, m.d, size, font or 0, descent)
        return info

    def loose_right(self, index: int) -> float:
        _loose_box(self.textpage, index, self.rect)
        return self.rect.right

    def advance(self, index: int, font: int, code: int, origin_x: float, a: float) -> float:
        """Advance width per 1 pt of font size, from the font's /Widths (what pdfminer uses).

        pdfium looks the glyph up by Unicode; where that lookup fails (no reverse mapping) the width comes back 0,
        so the loose box (advance or ink, whichever is wider) stands in."""
        width = self.widths.get((font, code))
        if width is None:
            width = self.number.value / 1000 if font and _glyph_width(font, code, 1000.0, self.number) else 0.0
            if width <= 0 and a:
                width = max(0.0, (self.loose_right(index) - origin_x) / a)
            self.widths[(font, code)] = width
        return width


def page_chars(page: pdfium.PdfPage, page_top: float) -> list[Char]:
    """The page's glyphs in pdfplumber's coordinates; `page_top` is what pdfplumber subtracts y from."""
    textpage = page.get_textpage()
    try:
        handle = ctypes.cast(textpage.raw, _P).value or 0
        return _chars(handle, pdfium_c.FPDFText_CountChars(textpage.raw), page_top)
    finally:
        textpage.close()


def _text_of(units: memoryview, k: int, count: int) -> tuple[str, int]:
    """The character at text index k (joining a surrogate pair) and how many units it took."""
    unit = units[k]
    if 0xD800 <= unit < 0xDC00 and k + 1 < count and 0xDC00 <= units[k + 1] < 0xE000:
        return chr(0x10000 + ((unit - 0xD800) << 10) + (units[k + 1] - 0xDC00)), 2
    if 0xD800 <= unit < 0xE000:
        return "", 1  # a lone surrogate (broken ToUnicode): pdfminer gives an empty glyph
    if unit == _HYPHEN_MARK:
        return "-", 1
    return chr(unit), 1


def _chars(textpage: int, count: int, page_top: float) -> list[Char]:
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    _get_text(textpage, 0, count, buffer)
    units = memoryview(buffer.raw[:2 * count]).cast("H")  # one UTF-16 unit per character index
    reader = _Reader(textpage)
    objects, widths, x_out, y_out = reader.objects, reader.widths, reader.x, reader.y
    chars: list[Char] = []
    last: tuple[int, float, float, int] | None = None  # text object, origin and index of the previous glyph
    skip = False
    # The hot loop of the fast path (~1,000 glyphs a page): lookups are inlined, the cases below are rare.
    for index in range(count):
        if skip:
            skip = False
            continue
        unit = units[index]
        if 0xD800 <= unit < 0xE000 or unit == _HYPHEN_MARK:
            text, used = _text_of(units, index, count)
            skip = used == 2
        elif unit == 32:
            # pdfium's own spaces are not in the PDF; pdfminer only sees the drawn glyphs
            if _is_generated(textpage, index):
                continue
            text = " "
        elif unit == 13 or unit == 10:
            continue
        else:
            text = chr(unit)
        obj = _text_object(textpage, index) or 0
        _char_origin(textpage, index, x_out, y_out)
        x, y = x_out.value, y_out.value
        a, b, c, d, size, font, descent = objects.get(obj) or reader.object_info(index, obj)
        code = ord(text) if text else 0
        if last is not None and last[0] == obj and last[1] == x and last[2] == y and chars:
            # pdfium splits a ligature glyph ("ﬃ" → f, f, i) into characters at one origin; pdfminer keeps one
            # glyph whose width is the ligature's (the loose box of its first character).
            prev = chars[-1]
            right = prev.x1
            if a > 0 and not (b or c):
                right = max(right, x + reader.advance(index, font, code, x, a) * size * a, reader.loose_right(last[3]))
            chars[-1] = prev._replace(text=prev.text + text, x1=right)
            continue
        last = (obj, x, y, index)
        width = widths.get((font, code))
        if width is None:
            width = reader.advance(index, font, code, x, a)
        width *= size
        if a > 0 and d > 0 and not (b or c):  # plain horizontal text: pdfminer's box without the corner search
            y0, y1 = y + descent * size * d, y + (descent + 1) * size * d
            chars.append(Char(text, x, x + width * a, page_top - y1, page_top - y0, True, y1 - y0))
        else:
            chars.append(_box(text, x, y, width, descent * size, size, (a, b, c, d), page_top))
    return chars


def _box(text: str, x: float, y: float, width: float, descent: float, size: float,
         matrix: tuple[float, float, float, float], page_top: float) -> Char:
    """pdfminer's glyph box: (0, descent) to (advance, descent + size) through the char matrix, at the origin."""
    a, b, c, d = matrix
    if not (b or c) and a > 0 and d > 0:  # plain horizontal text: no min/max over the corners needed
        x0, x1, y0, y1 = x, x + width * a, y + descent * d, y + (descent + size) * d
    else:
        xs = [descent * c, width * a + descent * c, (descent + size) * c, width * a + (descent + size) * c]
        ys = [descent * d, width * b + descent * d, (descent + size) * d, width * b + (descent + size) * d]
        x0, x1, y0, y1 = x + min(xs), x + max(xs), y + min(ys), y + max(ys)
    upright = a * d > 0 and b * c <= 0
    # pdfminer's size is the box height for horizontal fonts, rotated or not
    return Char(text, x0, x1, page_top - y1, page_top - y0, upright, y1 - y0)
