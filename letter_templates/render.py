"""Render a staff .docx template into a letter: the filled-in document, its plain text and its subject.

The subject is the document's Title property (Word: File > Info > Properties > Title; LibreOffice:
File > Properties > Description > Title), itself a template rendered with the same context as plain text,
so staff control the subject in the same file as the letter.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, UndefinedError
from jinja2.sandbox import SecurityError

from letter_templates.environment import make_environment
from letter_templates.lint import static_problems, used_placeholders
from letter_templates.payment import complete_payment, qr_payload
from letter_templates.problems import TemplateError, TemplateProblem
from letter_templates.qr import qr_png
from letter_templates.render_limits import DEFAULT_LIMITS, RenderLimitExceeded, RenderLimits, render_budget
from letter_templates.source import SourcePart, open_template, with_paragraph_lines
from letter_templates.text import letter_text
from letter_templates.vocabulary import with_defaults


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    text: str
    docx: bytes


class _PartFailed(Exception):
    """Rendering one part failed; carries the part's source so the error can name the paragraph."""

    def __init__(self, error: Exception, part: SourcePart) -> None:
        super().__init__(str(error))
        self.error = error
        self.part = part


_PATCHED: dict[str, str] = {}
_PATCHED_LIMIT = 256


class _LetterDocx(DocxTemplate):
    """docxtpl, but errors keep their part, and the title renders as plain text (it is the subject)."""

    text_env: Environment

    def patch_xml(self, src_xml: str) -> str:
        # docxtpl's dozen regex passes over the unchanged template XML cost more than rendering it; the result
        # depends on the XML alone, so each template version is patched once.
        patched = _PATCHED.get(src_xml)
        if patched is None:
            if len(_PATCHED) >= _PATCHED_LIMIT:
                _PATCHED.clear()
            patched = _PATCHED[src_xml] = super().patch_xml(src_xml)
        return patched

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except Exception as exc:
            label = "body" if part is self.docx._part else _part_label(part.content_type)
            raise _PartFailed(exc, SourcePart(label, with_paragraph_lines(src_xml))) from exc

    def render_properties(self, context: dict[str, Any], jinja_env: Environment | None = None) -> None:
        # Only the title is a template; the XML environment would escape "&" to "&amp;" in a subject line.
        title = self.docx.core_properties.title or ""
        try:
            rendered = self.text_env.from_string(title).render(context)
        except Exception as exc:
            raise _PartFailed(exc, SourcePart("title", title)) from exc
        self.docx.core_properties.title = " ".join(rendered.split())


_OPENED: dict[bytes, Any] = {}
_OPENED_LIMIT = 64


def _fresh_letter(template: bytes) -> _LetterDocx:
    """The template opened as a new document. Opening parses every part of the package; a copy of the parsed
    document, kept per template version (its bytes), costs a third of that and renders the same letter."""
    pristine = _OPENED.get(template)
    if pristine is None:
        opened = open_template(template, _LetterDocx)  # refuses bytes that are not a .docx
        if len(_OPENED) >= _OPENED_LIMIT:
            _OPENED.clear()
        pristine = _OPENED[template] = opened.docx
    letter = _LetterDocx(io.BytesIO(template))
    letter.docx = copy.deepcopy(pristine)
    letter.init_docx()  # the per-render state (picture map, ids); the document is the copy
    return letter


def _part_label(content_type: str) -> str:
    for label in ("header", "footer", "footnotes"):
        if label in content_type:
            return label
    return "document"


def _template_lineno(exc: BaseException) -> int | None:
    # Jinja rewrites tracebacks so template frames carry the template's own line numbers.
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def problem_from_failure(failure: _PartFailed) -> TemplateProblem:
    exc = failure.error
    location = failure.part.location(_template_lineno(exc))
    message = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, RenderLimitExceeded):
        return TemplateProblem("too_costly", f"refused: {message}", location=location)
    if isinstance(exc, MemoryError):
        return TemplateProblem("too_costly", "refused: rendering ran out of memory; a loop or calculation in the "
                               "template builds far more than a letter needs", location=location)
    if isinstance(exc, RecursionError):
        return TemplateProblem("too_costly", "refused: a macro calls itself without end", location=location)
    if isinstance(exc, SecurityError):
        return TemplateProblem("unsafe", f"refused: {message}", location=location)
    if isinstance(exc, UndefinedError):
        match = re.search(r"'([^']+)' is undefined|attribute '([^']+)'", message)
        name = next((g for g in match.groups() if g), None) if match else None
        return TemplateProblem("unknown_placeholder", f"placeholder not available: {message}",
                               placeholder=name, location=location)
    return TemplateProblem("render_error", f"{exc.__class__.__name__}: {message}", location=location)


QR_SIZE = Mm(30)  # EPC guidance: at least about 2 x 2 cm printed


def _with_qr(context: dict[str, Any], letter: DocxTemplate) -> dict[str, Any]:
    """The SEPA QR code as an image in this document, or left empty when the payment data cannot make one."""
    payload = qr_payload(context)
    if payload is None:
        return context
    image = InlineImage(letter, io.BytesIO(qr_png(payload)), width=QR_SIZE, height=QR_SIZE)
    return {**context, "payment": {**context["payment"], "qr": image}}


def render_letter(template: bytes, context: dict[str, Any], language: str,
                  limits: RenderLimits = DEFAULT_LIMITS) -> RenderedLetter:
    """Render `template` for `context` in `language` ("nl" or "en"); raise TemplateError on any problem.

    The whole letter (body, headers, footers, title) shares one budget of loops, output and time (`limits`):
    a template that asks for more fails this letter with a `too_costly` problem instead of stalling the worker.
    """
    try:
        xml_env, text_env = make_environment(language), make_environment(language, xml=False)
    except ValueError as exc:
        raise TemplateError([TemplateProblem("unsupported_language", str(exc))]) from exc
    problems = static_problems(template)
    if problems:
        raise TemplateError(problems)
    letter = _fresh_letter(template)
    letter.text_env = text_env
    context = with_defaults(complete_payment(context))
    if "payment.qr" in used_placeholders(template):
        context = _with_qr(context, letter)
    try:
        with render_budget(limits):
            letter.render(context, jinja_env=xml_env)
    except _PartFailed as failure:
        raise TemplateError([problem_from_failure(failure)]) from failure.error
    subject = letter.docx.core_properties.title
    if not subject:
        raise TemplateError([TemplateProblem(
            "empty_subject", "the letter has no subject: set the document Title (File > Info > Properties)",
            location="document title")])
    out = io.BytesIO()
    letter.save(out)
    return RenderedLetter(subject=subject, text=letter_text(letter.docx), docx=out.getvalue())
