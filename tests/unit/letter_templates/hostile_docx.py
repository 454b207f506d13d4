"""Hostile .docx packages built in tests from a valid template: zip bombs, macros, external links, entity attacks."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable

from .docx_factory import reminder_docx

Edit = bytes | Callable[[bytes], bytes] | None  # new content, a change to the old content, or None to delete


def rewrite(docx: bytes, parts: dict[str, Edit]) -> bytes:
    """A copy of `docx` with parts replaced, changed, added or (None) removed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = [i.filename for i in source.infolist()]
        for name in names + [n for n in parts if n not in names]:
            edit = parts.get(name, source.read(name) if name in names else None)
            if callable(edit):
                edit = edit(source.read(name))
            if edit is not None:
                target.writestr(name, edit)
    return out.getvalue()


def add_rel(xml: bytes, rel: str) -> bytes:
    return xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def add_content_type(xml: bytes, entry: str) -> bytes:
    return xml.replace(b"</Types>", entry.encode() + b"</Types>")


def in_body(paragraph_xml: str) -> Callable[[bytes], bytes]:
    """An edit adding raw WordprocessingML at the start of the body."""
    return lambda xml: xml.replace(b"<w:body>", b"<w:body>" + paragraph_xml.encode(), 1)


def with_doctype(doctype: str, text: str) -> Callable[[bytes], bytes]:
    """An edit putting a DOCTYPE before document.xml's root and `text` (e.g. an entity reference) in the body."""
    def edit(xml: bytes) -> bytes:
        declaration, _, rest = xml.partition(b"?>")
        body = in_body(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")(rest)
        return declaration + b"?>" + doctype.encode() + body
    return edit


def zip_bomb(unpacked_mb: int) -> bytes:
    """A reminder whose document.xml inflates to `unpacked_mb` MB (one paragraph of 'a'); ~1/230 of that packed."""
    original = zipfile.ZipFile(io.BytesIO(reminder_docx()))
    head, _, tail = original.read("word/document.xml").partition(b"<w:body>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in original.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, original.read(info.filename))
        entry = zipfile.ZipInfo("word/document.xml")
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry._compresslevel = 1  # type: ignore[attr-defined]  # fast; still ~230 to 1 on one repeated letter
        with target.open(entry, "w") as stream:
            stream.write(head + b"<w:body><w:p><w:r><w:t>")
            chunk = b"a" * (1 << 20)
            for _ in range(unpacked_mb):
                stream.write(chunk)
            stream.write(b"</w:t></w:r></w:p>" + tail)
    return out.getvalue()


def lie_about_size(docx: bytes, name: str, size: int) -> bytes:
    """The same zip, but its local header and central directory claim `name` unpacks to only `size` bytes."""
    data = bytearray(docx)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        offset = archive.getinfo(name).header_offset
    struct.pack_into("<I", data, offset + 22, size)  # local file header: uncompressed size
    encoded = name.encode()
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:  # central directory entries
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if bytes(data[start + 46:start + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, start + 24, size)
        start += 4
    return bytes(data)

