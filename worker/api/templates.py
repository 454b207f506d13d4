"""Letter template endpoints: list, download, upload (checked), revert and preview staff's Word letters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from letter_templates.library import LANGUAGES, builtin_names
from letter_templates.package_check import MAX_PACKAGE_BYTES
from letter_templates.pdf import PdfConversionError, PdfUnavailable
from letter_templates.problems import TemplateError, TemplateProblem
from letter_templates.render import render_letter
from letter_templates.vocabulary import sample_context
from worker.adapters.letters import letter_context
from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.invoices import own_invoice
from worker.api.pagination import DEFAULT_LIMIT, PAGE_HEADERS, Cursor, Limit, decode, lead_on
from worker.db.models import Business, Debtor
from worker.db.template_models import LetterTemplate
from worker.usecases.letter_check import step_for
from worker.usecases.letter_facts import letter_facts
from worker.usecases.templates import (
    TemplateRejected,
    UnknownDebtor,
    UnknownTemplate,
    check_debtor,
    effective_template,
    revert_template,
    upload_template,
)

router = APIRouter(prefix="/templates", tags=["templates"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class VersionOut(BaseModel):
    version: int
    debtor_id: int | None
    uploaded_at: datetime
    uploaded_by: str
    active: bool


class TemplateOut(BaseModel):
    name: str
    language: str
    source: str  # where the business's letter comes from now: business or builtin
    versions: list[VersionOut]


def _problems(problems: list[TemplateProblem]) -> list[dict[str, Any]]:
    return [{"code": p.code, "message": p.message, "placeholder": p.placeholder, "location": p.location,
             "suggestion": p.suggestion} for p in problems]


def _refused(problems: list[TemplateProblem], what: str) -> HTTPException:
    # 413 when the file itself is too large; 422 for everything else (a zip bomb's file is small: it is the content).
    status = 413 if any(p.code == "too_large" for p in problems) else 422
    return HTTPException(status, {"message": f"{what}: {len(problems)} problem(s); nothing was changed",
                               "problems": _problems(problems)})


def _lookup(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Run a use case, turning its refusals into HTTP answers a clerk can act on."""
    try:
        return call(*args, **kwargs)
    except (UnknownTemplate, UnknownDebtor, LookupError) as exc:
        raise HTTPException(404, str(exc)) from exc


def _order(name: str, language: str) -> tuple[int, int, str, int]:
    """The list's order, computable from the key alone: built-in letters first as the library lists them, then the
    business's own names alphabetically; languages as the library lists them."""
    builtins = builtin_names()
    spot = (0, builtins.index(name), "") if name in builtins else (1, 0, name)
    return (*spot, LANGUAGES.index(language) if language in LANGUAGES else len(LANGUAGES))


@router.get("", response_model=list[TemplateOut], responses=PAGE_HEADERS)
def list_letters(request: Request, response: Response, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                 business: Business = Depends(current_business), session: Session = TRANSACTION):
    """Every letter and language with its uploaded versions (the business's and its debtors'), a page at a time."""
    start = _order(*decode("templates", cursor, (str, str))) if cursor else None
    own = session.scalars(select(LetterTemplate.name).where(LetterTemplate.business_id == business.id).distinct())
    names = list(builtin_names()) + sorted(set(own) - set(builtin_names()))
    keys = sorted(((n, lang) for n in names for lang in LANGUAGES), key=lambda k: _order(*k))
    keys = [k for k in keys if start is None or _order(*k) > start]
    page, more = keys[:limit], len(keys) > limit
    # The versions of this page's letters only, without their .docx (read when one is downloaded).
    rows = session.execute(select(LetterTemplate.name, LetterTemplate.language, LetterTemplate.version,
                                  LetterTemplate.debtor_id, LetterTemplate.uploaded_at, LetterTemplate.uploaded_by,
                                  LetterTemplate.active).where(
        LetterTemplate.business_id == business.id, LetterTemplate.name.in_({n for n, _ in page})).order_by(
        LetterTemplate.name, LetterTemplate.language, LetterTemplate.debtor_id,
        LetterTemplate.version.desc())).all() if page else []
    out = []
    for name, language in page:
        versions = [r for r in rows if r.name == name and r.language == language]
        own_active = any(r.active and r.debtor_id is None for r in versions)
        out.append(TemplateOut(name=name, language=language, source="business" if own_active else "builtin",
                               versions=[VersionOut.model_validate(v, from_attributes=True) for v in versions]))
    lead_on(request, response, "templates", page[-1] if more else None, limit)
    return out


@router.get("/{name}/{language}", response_class=Response,
            responses={200: {"content": {DOCX: {}}, "description": "the .docx in effect"}})
def download(name: str, language: str, debtor_id: int | None = None,
             business: Business = Depends(current_business), session: Session = TRANSACTION):
    """The .docx that serves this letter now (for the debtor when given): edit it in Word and upload it again."""
    _lookup(check_debtor, session, business.id, debtor_id)
    docx, source, row = _lookup(effective_template, session, business.id, debtor_id, name, language)
    version = f".v{row.version}" if row is not None else ""
    return Response(docx, media_type=DOCX, headers={
        "Content-Disposition": f'attachment; filename="{name}.{language}{version}.docx"',
        "X-Template-Source": source})


@router.put("/{name}/{language}", response_model=VersionOut)
def upload(name: str, language: str, file: Annotated[UploadFile, File(description="the .docx letter")],
           uploaded_by: Annotated[str, Form(description="who uploaded it, for the version list")] = "api",
           debtor_id: int | None = None, business: Business = Depends(current_business),
           session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """Upload a new version; it is checked first and refused when it would fail or could hurt the service: 413 when
    the file is too large, 422 for anything else (every problem listed). A refused upload changes nothing."""
    # A plain def: FastAPI runs it in a worker thread, so checking the template does not block the event loop.
    data = file.file.read(MAX_PACKAGE_BYTES + 1)  # never more than one byte past the cap into memory
    try:
        row = _lookup(upload_template, session, business_id=business.id, debtor_id=debtor_id, name=name,
                      language=language, docx=data, uploaded_by=uploaded_by[:200], now=now,
                      filename=file.filename)
    except TemplateRejected as exc:
        raise _refused(exc.problems, f"{file.filename or 'the upload'} was refused") from exc
    return row


@router.post("/{name}/{language}/revert", response_model=VersionOut | None)
def revert(name: str, language: str, version: int | None = None, debtor_id: int | None = None,
           business: Business = Depends(current_business), session: Session = TRANSACTION):
    """Make the previous (or the given) version active again; null means the built-in letter is back."""
    return _lookup(revert_template, session, business_id=business.id, debtor_id=debtor_id, name=name,
                   language=language, version=version)


@router.post("/{name}/{language}/preview", response_class=Response,
             responses={200: {"content": {DOCX: {}, "application/pdf": {}}}})
def preview(request: Request, name: str, language: str, format: Literal["pdf", "docx"] = Query("pdf"),
            invoice_id: int | None = None, debtor_id: int | None = None,
            business: Business = Depends(current_business), session: Session = TRANSACTION,
            now: datetime = Depends(request_now)):
    """Render the letter in effect with sample data, or with a chosen invoice's real data."""
    invoice = own_invoice(invoice_id, business, session) if invoice_id is not None else None
    debtor_id = invoice.debtor_id if invoice is not None and debtor_id is None else debtor_id
    _lookup(check_debtor, session, business.id, debtor_id)
    docx, _, _ = _lookup(effective_template, session, business.id, debtor_id, name, language)
    letter_name = name.partition(".")[0]
    if invoice is None:
        context = sample_context(letter_name)
    else:  # the invoice's real letter, from the one builder the tick uses (history and all)
        step, plan = step_for(letter_name)
        context = letter_context(business, session.get_one(Debtor, invoice.debtor_id), [invoice], step, now,
                                 plan=plan, facts=letter_facts(session, [invoice]))
    try:
        letter = render_letter(docx, context, language)
    except TemplateError as exc:
        raise _refused(exc.problems, "the letter cannot be rendered") from exc
    if format == "docx":
        return Response(letter.docx, media_type=DOCX, headers={"X-Letter-Subject": _header(letter.subject)})
    converter = request.app.state.container.pdf_converter()
    if converter is None:
        raise HTTPException(503, "PDF preview needs LibreOffice on the server; ask for format=docx instead")
    try:
        pdf = converter.convert(letter.docx)
    except (PdfUnavailable, PdfConversionError) as exc:
        raise HTTPException(503, f"PDF preview failed: {exc}") from exc
    return Response(pdf, media_type="application/pdf", headers={"X-Letter-Subject": _header(letter.subject)})


def _header(text: str) -> str:
    # HTTP headers are Latin-1; the subject's euro signs and dashes travel percent-free as '?' rather than fail.
    return text.encode("latin-1", "replace").decode("latin-1")

