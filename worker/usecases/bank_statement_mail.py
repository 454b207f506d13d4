"""A bank statement the business mailed to its ingest address: imported like an upload."""

from datetime import datetime

from sqlalchemy.orm import Session

from mailer.message import InboundMessage as ParsedMail
from parsers.bank import StatementUnreadable
from parsers.bank.detect import is_statement
from worker.adapters.letters import LetterSettings
from worker.db.models import Business, InboundMessage
from worker.usecases.bank_statements import import_statement
from worker.usecases.quarantine import Quarantined

KIND = "bank_statement"


def has_statement(mail: ParsedMail) -> bool:
    """Whether an attachment is a statement, judged by its content (a bank names its files as it likes)."""
    return any(is_statement(a.data) for a in mail.attachments)


def import_mailed_statements(session: Session, business: Business, row: InboundMessage, mail: ParsedMail, *,
                             now: datetime, letters: LetterSettings) -> str:
    """Import every statement attached; call only for mail proven to be the business's own (DESIGN.md §4)."""
    for attachment in mail.attachments:
        if not is_statement(attachment.data):
            continue
        try:
            import_statement(session, business, attachment.data, filename=attachment.filename, source="email",
                             now=now, letters=letters, inbound_message_id=row.id)
        except StatementUnreadable as exc:
            raise Quarantined(f"bank statement {attachment.filename}: {exc}", business.id) from exc
    return KIND
