"""A .docx template as the Jinja source docxtpl renders, split into parts with paragraph locations."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docxtpl import DocxTemplate

from letter_templates.problems import TemplateError, TemplateProblem

_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class SourcePart:
    """One renderable part: `label` (body, header, footer, title) and its Jinja source as docxtpl sees it."""

    label: str
    source: str

    def location(self, lineno: int | None) -> str:
        """'paragraph 7 ("Geachte {{ debtor.nam }},")' for a Jinja line number in this part."""
        if self.label == "title":
            return f'document title ("{_short(self.source)}")'
        if not lineno:
            return self.label
        lines = self.source.split("\n")
        # docxtpl puts each <w:p> on its own line, so line 1 is the part's opening and line n is paragraph n-1.
        text = html.unescape(_TAG.sub("", lines[lineno - 1])) if lineno <= len(lines) else ""
        where = "paragraph" if self.label == "body" else f"{self.label} paragraph"
        return f'{where} {max(lineno - 1, 1)} ("{_short(text)}")'


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def with_paragraph_lines(xml: str) -> str:
    """The same line split docxtpl applies before rendering, so Jinja line numbers mean paragraphs."""
    return _PARAGRAPH_START.sub(r"\n<w:p\1", xml)


def open_template(template: bytes, cls: type[DocxTemplate] = DocxTemplate) -> DocxTemplate:
    """Load a template, or raise TemplateError when the bytes are not a Word document."""
    tpl = cls(io.BytesIO(template))
    try:
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError([TemplateProblem(
            code="not_a_docx",
            message=f"this file is not a Word .docx document ({exc.__class__.__name__}); save it as .docx",
        )]) from exc
    return tpl


def source_parts(tpl: DocxTemplate) -> list[SourcePart]:
    """Body, headers, footers and the title property, patched exactly as docxtpl patches them for rendering."""
    parts = [SourcePart("body", with_paragraph_lines(tpl.patch_xml(tpl.get_xml())))]
    for label, uri in (("header", tpl.HEADER_URI), ("footer", tpl.FOOTER_URI)):
        for _, part in tpl.get_headers_footers(uri):
            xml = tpl.xml_to_string(parse_xml(part.blob))
            parts.append(SourcePart(label, with_paragraph_lines(tpl.patch_xml(xml))))
    parts.append(SourcePart("title", tpl.docx.core_properties.title or ""))
    return parts
