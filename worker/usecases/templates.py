"""Letter templates as staff data: the search path (debtor → business → built-in), upload with lint, revert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from letter_templates.library import LANGUAGES, TONES, builtin_names, builtin_template
from letter_templates.problems import TemplateProblem
from letter_templates.upload_check import check_upload
from worker.db.models import Debtor
from worker.db.template_models import LetterTemplate
from worker.usecases.letter_check import check_template_for_step


class TemplateRejected(Exception):
    """An upload failed the checks; `problems` says what to fix, each with its placeholder and paragraph."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class UnknownTemplate(ValueError):
    """No such letter name, tone or language (the message lists what exists)."""


class UnknownDebtor(LookupError):
    """The debtor does not exist or belongs to another business."""


@dataclass(frozen=True)
class TemplateKey:
    """Which letter: `name` is `reminder` or, for one tone, `reminder.informal`."""

    name: str
    language: str

    @property
    def letter(self) -> str:
        return self.name.partition(".")[0]

    @property
    def tone(self) -> str | None:
        return self.name.partition(".")[2] or None


def template_key(name: str, language: str) -> TemplateKey:
    """Check a letter name (with an optional `.tone`) and a language against the built-in library."""
    key = TemplateKey(name, language)
    if key.letter not in builtin_names():
        raise UnknownTemplate(f"no letter {key.letter!r}; there are: {', '.join(builtin_names())}")
    if key.tone is not None and key.tone not in TONES:
        raise UnknownTemplate(f"no tone {key.tone!r}; write NAME.TONE with a tone from: {', '.join(TONES)}")
    if language not in LANGUAGES:
        raise UnknownTemplate(f"no language {language!r}; there are: {', '.join(LANGUAGES)}")
    return key


def _active(session: Session, business_id: int, debtor_id: int | None, name: str,
            language: str) -> LetterTemplate | None:
    return session.scalars(select(LetterTemplate).where(
        LetterTemplate.business_id == business_id, LetterTemplate.name == name,
        LetterTemplate.language == language, LetterTemplate.active.is_(True),
        LetterTemplate.debtor_id.is_(None) if debtor_id is None else LetterTemplate.debtor_id == debtor_id,
    ).order_by(LetterTemplate.version.desc()).limit(1)).first()


def effective_template(session: Session, business_id: int, debtor_id: int | None, name: str,
                       language: str, tone: str | None = None) -> tuple[bytes, str, LetterTemplate | None]:
    """The template that serves this letter, where it came from (`debtor`, `business`, `builtin`) and its row.

    With a tone, each owner's own tone version comes before its plain one: a debtor's `reminder` beats the
    business's `reminder.informal`, because the closer owner knows that debtor best.
    """
    key = template_key(name, language)
    tone = tone or key.tone
    names = [f"{key.letter}.{tone}", key.letter] if tone else [key.letter]
    owners = [("debtor", debtor_id)] if debtor_id is not None else []
    for source, owner in [*owners, ("business", None)]:
        for candidate in names:
            row = _active(session, business_id, owner, candidate, language)
            if row is not None:
                return row.docx, source, row
    return builtin_template(key.letter, language, tone), "builtin", None


def resolve_template(session: Session, business_id: int, debtor_id: int | None, name: str, language: str,
                     tone: str | None = None) -> bytes:
    """The .docx to render `name` with: the debtor's own, else the business's, else the built-in letter."""
    return effective_template(session, business_id, debtor_id, name, language, tone)[0]


def check_debtor(session: Session, business_id: int, debtor_id: int | None) -> None:
    if debtor_id is None:
        return
    debtor = session.get(Debtor, debtor_id)
    if debtor is None or debtor.business_id != business_id:
        raise UnknownDebtor(f"no debtor {debtor_id}")


def upload_template(session: Session, *, business_id: int, debtor_id: int | None, name: str, language: str,
                    docx: bytes, uploaded_by: str, now: datetime, filename: str | None = None) -> LetterTemplate:
    """Store `docx` as the new active version once it passes every upload check; TemplateRejected otherwise.

    The checks (letter_templates.upload_check): a safe package, the lint under the letter's name, and the sample
    letter rendered in a child process under a deadline and memory cap. A refused upload changes nothing: the
    active version (or the built-in letter) keeps serving. Earlier versions stay (inactive) so an upload can be
    reverted.
    """
    key = template_key(name, language)
    check_debtor(session, business_id, debtor_id)
    # The package, lint and a contained trial render first; then the letter in every situation the tick
    # renders it in (consumer or business, NL or BE, with and without history), so a placeholder that only
    # some ladders fill is refused now and not when a final notice is due.
    problems = check_upload(docx, key.letter, language, filename) or check_template_for_step(docx, name, language)
    if problems:
        raise TemplateRejected(problems)
    scope = _scope(business_id, debtor_id, name, language)
    latest = session.scalar(select(func.max(LetterTemplate.version)).where(*scope)) or 0
    session.execute(update(LetterTemplate).where(*scope).values(active=False))
    row = LetterTemplate(business_id=business_id, debtor_id=debtor_id, name=name, language=language,
                         version=latest + 1, docx=docx, uploaded_at=now, uploaded_by=uploaded_by, active=True)
    session.add(row)
    session.flush()
    return row


def revert_template(session: Session, *, business_id: int, debtor_id: int | None, name: str, language: str,
                    version: int | None = None) -> LetterTemplate | None:
    """Make `version` (default: the one before the active one) active again; None when that leaves no upload
    active, so the letter comes from the next place on the search path again. LookupError for an unknown version.
    """
    template_key(name, language)
    check_debtor(session, business_id, debtor_id)
    scope = _scope(business_id, debtor_id, name, language)
    rows = list(session.scalars(select(LetterTemplate).where(*scope).order_by(LetterTemplate.version)))
    current = next((r for r in reversed(rows) if r.active), None)
    if version is None:
        earlier = [r for r in rows if current is None or r.version < current.version]
        target = earlier[-1] if earlier and current is not None else None
    else:
        target = next((r for r in rows if r.version == version), None)
        if target is None:
            raise LookupError(f"no version {version} of {name} ({language})")
    for row in rows:
        row.active = row is target
    session.flush()
    return target


def list_templates(session: Session, business_id: int) -> list[LetterTemplate]:
    """Every uploaded version of the business (its own and its debtors'), newest first per letter."""
    return list(session.scalars(select(LetterTemplate).where(LetterTemplate.business_id == business_id).order_by(
        LetterTemplate.name, LetterTemplate.language, LetterTemplate.debtor_id, LetterTemplate.version.desc())))


def _scope(business_id: int, debtor_id: int | None, name: str, language: str) -> list:
    return [LetterTemplate.business_id == business_id, LetterTemplate.name == name,
            LetterTemplate.language == language,
            LetterTemplate.debtor_id.is_(None) if debtor_id is None else LetterTemplate.debtor_id == debtor_id]
