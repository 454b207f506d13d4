"""Measure what a PDF's Flate streams inflate to, in bounded memory, before a PDF library opens the file."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

# An invoice's pages, fonts and images inflate to a few MB; a 0.7 MB PDF whose page stream inflates to
# 200 MB took a PDF library to 2.8 GB. Past this the file is refused before any library reads it.
MAX_INFLATED_BYTES = 64 * 1024 * 1024
# An embedded Factur-X / UBL XML is a few KB; a bigger embedded file is ignored, never loaded.
MAX_EMBEDDED_BYTES = 5 * 1024 * 1024

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_IN_CHUNK = 64 * 1024
_OUT_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StreamCensus:
    """Inflated bytes of the page data (everything but embedded files) and of the largest embedded file.

    Each figure stops growing just past its limit, so a bomb costs only the limit to measure."""

    inflated: int
    largest_embedded: int

    @property
    def too_large(self) -> bool:
        return self.inflated > MAX_INFLATED_BYTES

    @property
    def embedded_too_large(self) -> bool:
        return self.largest_embedded > MAX_EMBEDDED_BYTES


def _inflated_size(data: bytes, start: int, limit: int) -> int:
    """Bytes a zlib stream at `start` inflates to, counted without keeping them; stops past `limit`."""
    inflater = zlib.decompressobj()
    size = 0
    view = memoryview(data)
    position = start
    try:
        while position < len(data) and not inflater.eof:
            size += len(inflater.decompress(view[position:position + _IN_CHUNK], _OUT_CHUNK))
            position += _IN_CHUNK
            while inflater.unconsumed_tail and size <= limit:
                size += len(inflater.decompress(inflater.unconsumed_tail, _OUT_CHUNK))
            if size > limit:
                break
    except zlib.error:  # not Flate data (an image, another filter) or damaged: count what came out
        pass
    return size


def _is_embedded_file(data: bytes, stream_at: int) -> bool:
    obj = data.rfind(b"obj", max(0, stream_at - 4096), stream_at)
    return b"/EmbeddedFile" in data[max(obj, stream_at - 4096, 0):stream_at]


def census(data: bytes) -> StreamCensus:
    """Inflate every stream once (bounded); see `StreamCensus`."""
    inflated = largest_embedded = embedded_total = 0
    for found in _STREAM.finditer(data):
        if _is_embedded_file(data, found.start()):
            if largest_embedded > MAX_EMBEDDED_BYTES:
                continue  # embedded files are ignored already: no need to measure more of them
            size = _inflated_size(data, found.end(), MAX_EMBEDDED_BYTES)
            embedded_total += size
            # many just-small-enough files are as bad as one big one
            largest_embedded = max(largest_embedded, size, MAX_EMBEDDED_BYTES + 1
                                   if embedded_total > MAX_INFLATED_BYTES else 0)
            continue
        inflated += _inflated_size(data, found.end(), MAX_INFLATED_BYTES - inflated)
        if inflated > MAX_INFLATED_BYTES:
            break
    return StreamCensus(inflated, largest_embedded)
