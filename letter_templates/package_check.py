"""Check an uploaded .docx as a zip package before anything unzips or parses it: size, zip bombs, macros, embedded
objects, external links and DTDs. Every refusal says what was found and what a letter template may contain."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urlsplit

from lxml import etree

from letter_templates.problems import TemplateProblem

MiB = 1024 * 1024
# A letter with a logo is well under 1 MB; 5 MB leaves room for a large scanned signature.
MAX_PACKAGE_BYTES = 5 * MiB
# Word writes 15-30 parts for a letter, plus one per image; thousands of entries is a zip made to exhaust us.
MAX_PARTS = 300
# What all parts may unpack to. A letter's document.xml is 50-500 KB; images are stored already compressed.
MAX_UNPACKED_BYTES = 50 * MiB
# Word's XML deflates 5-20x, a long repetitive table up to ~60x; zip bombs reach 1000x. Parts smaller than
# RATIO_FLOOR are exempt: a tiny part may compress well and cannot hurt.
MAX_RATIO = 100
RATIO_FLOOR = 1 * MiB
_CHUNK = 64 * 1024

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
# Seen before parsing too: libxml2 itself refuses some entity bombs as malformed, and staff should read why.
_DTD_MARKS = tuple(mark.encode(codec) for mark in ("<!DOCTYPE", "<!ENTITY") for codec in ("ascii", "utf-16-le",
                                                                                             "utf-16-be"))
# Word fields that fetch or run something when the document is opened or its fields are updated.
_FETCHING_FIELD = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata")
_OBJECT_TYPES = ("activex", "oleobject")  # embedded packages (an .xlsx) are found by their folder
# A letter may contain ordinary links: a payment link, the business's website, an e-mail address. They open
# only when the reader clicks them. Every other external target (a linked image, an attached template, a
# subdocument, an OLE link) is fetched by Word when the letter is opened, telling a third party who read it.
_LINK_SCHEMES = ("http", "https", "mailto")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024 / 1024:.1f} GB" if n >= 1024 * MiB else f"{n / MiB:.1f} MB"


def _problem(code: str, message: str, part: str | None = None) -> TemplateProblem:
    return TemplateProblem(code, message, location=part)


def check_package(data: bytes, filename: str | None = None) -> list[TemplateProblem]:
    """What makes `data` unsafe to open as a letter template; empty when the package may be opened."""
    if filename and filename.lower().endswith((".docm", ".dotm")):
        return [_problem("macros", f"{filename} is a macro-enabled Word file; save the letter as a plain Word "
                                   "document (.docx) without macros")]
    if len(data) > MAX_PACKAGE_BYTES:
        return [_problem("too_large", f"the file is larger than {_size(MAX_PACKAGE_BYTES)}, the most a letter "
                                      "template may be; use smaller or fewer images")]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        return [_problem("not_a_docx", f"this file is not a Word .docx document ({exc}); save it as .docx")]
    with archive:
        problems = _directory_problems(archive.infolist())
        if problems:
            return problems
        parts, problems = _read_parts(archive)
    if problems:
        return problems
    return _content_problems(parts)


def _directory_problems(infos: list[zipfile.ZipInfo]) -> list[TemplateProblem]:
    """What the zip's own directory already shows, before a byte is inflated."""
    if len(infos) > MAX_PARTS:
        return [_problem("too_many_parts", f"the file holds {len(infos):,} parts; a letter template may hold at "
                                           f"most {MAX_PARTS}")]
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNPACKED_BYTES:
        return [_problem("unpacks_too_large", f"the file unpacks to {_size(declared)}; a letter template may "
                                              f"unpack to at most {_size(MAX_UNPACKED_BYTES)}")]
    problems = []
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problems.append(_problem("unpacks_too_large", f"{info.filename} is compressed "
                                     f"{info.file_size // max(info.compress_size, 1):,} to 1, as zip bombs are; "
                                     f"a letter's parts compress at most {MAX_RATIO} to 1", info.filename))
        if info.flag_bits & 0x1:
            problems.append(_problem("not_a_docx", f"{info.filename} is encrypted; save the letter without a "
                                                   "password", info.filename))
        problems += _name_problems(info.filename)
    return problems


def _name_problems(name: str) -> list[TemplateProblem]:
    lower = name.lower()
    if lower.endswith(("vbaproject.bin", "vbadata.xml")):
        return [_problem("macros", "the document contains macros (VBA); save it as a plain .docx without "
                                   "macros", name)]
    if "/activex/" in lower or "/embeddings/" in lower:
        return [_problem("embedded_object", f"the document contains an embedded object or control ({name}); "
                                            "remove it and paste a picture instead", name)]
    return []


def _read_parts(archive: zipfile.ZipFile) -> tuple[dict[str, bytes], list[TemplateProblem]]:
    """Inflate the XML parts, counting real bytes: a directory that lies about sizes does not get further."""
    parts: dict[str, bytes] = {}
    total = 0
    for info in archive.infolist():
        keep = info.filename.lower().endswith((".xml", ".rels"))
        chunks = []
        size = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size or total > MAX_UNPACKED_BYTES:
                        return {}, [_problem("unpacks_too_large", f"{info.filename} unpacks to more than the file "
                                             "says it does (a zip bomb); a letter template may unpack to at most "
                                             f"{_size(MAX_UNPACKED_BYTES)}", info.filename)]
                    if keep:
                        chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            # Python's zipfile stops at the recorded size and then finds the checksum wrong: a lying header
            # usually ends here. NotImplementedError is zipfile's answer to a compression method it cannot read.
            return {}, [_problem("not_a_docx", f"{info.filename} is damaged ({exc}); save the letter again as "
                                               ".docx", info.filename)]
        if keep:
            parts[info.filename] = b"".join(chunks)
    return parts, []


def _content_problems(parts: dict[str, bytes]) -> list[TemplateProblem]:
    problems = []
    for name, data in parts.items():
        dtd = _dtd_problem(name)
        if any(mark in data for mark in _DTD_MARKS):
            problems.append(dtd)
            continue
        try:
            root = etree.fromstring(data, _XML_PARSER)
        except etree.XMLSyntaxError as exc:
            problems.append(_problem("not_a_docx", f"{name} is not well-formed XML ({exc}); save the letter "
                                                   "again as .docx", name))
            continue
        if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
            problems.append(dtd)
            continue
        if name == "[Content_Types].xml":
            problems += _content_type_problems(root)
        elif name.endswith(".rels"):
            problems += _relationship_problems(name, root)
        elif name.startswith("word/"):
            problems += _field_problems(name, root)
    return problems


def _dtd_problem(name: str) -> TemplateProblem:
    # Word never writes a DTD; one in a letter is an entity attack (XXE reading a file, billion laughs).
    return _problem("xml_entities", f"{name} declares a DOCTYPE or entities, which Word never writes; save the "
                                    "letter again from Word", name)


def _content_type_problems(root: etree._Element) -> list[TemplateProblem]:
    types = " ".join((e.get("ContentType") or "").lower() for e in root)
    if any(t in types for t in _MACRO_TYPES):
        return [_problem("macros", "the document is macro-enabled; save it as a plain Word document (.docx)",
                         "[Content_Types].xml")]
    if any(t in types for t in _OBJECT_TYPES):
        return [_problem("embedded_object", "the document contains embedded objects or controls; remove them "
                                            "and paste pictures instead", "[Content_Types].xml")]
    return []


def _relationship_problems(name: str, root: etree._Element) -> list[TemplateProblem]:
    problems = []
    for rel in root.iter(f"{_RELS}Relationship"):
        if (rel.get("TargetMode") or "").lower() != "external":
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if kind == "hyperlink" and urlsplit(target.strip()).scheme.lower() in _LINK_SCHEMES:
            continue
        problems.append(_problem("external_link", f"the document loads {target[:80]!r} from outside ({kind}) "
                                 "when it is opened; insert pictures and text into the document instead of "
                                 "linking them (ordinary web and e-mail links are fine)", name))
    return problems


def _field_problems(name: str, root: etree._Element) -> list[TemplateProblem]:
    codes = "".join(root.itertext(f"{_W}instrText")) + " ".join(
        e.get(f"{_W}instr") or "" for e in root.iter(f"{_W}fldSimple"))
    found = _FETCHING_FIELD.search(codes.upper())
    if found is None:
        return []
    return [_problem("external_link", f"the document has a {found.group(1)} field, which fetches or runs "
                                      "something when fields are updated; replace it with the text or picture "
                                      "itself", name)]
