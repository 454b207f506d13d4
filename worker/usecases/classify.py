"""Classify one inbound e-mail: bounce, auto-reply, remittance, invoice, other or a human reply (with intent)."""

from __future__ import annotations

import re
from datetime import date
from email import policy
from email.message import Message
from email.parser import BytesParser
from typing import Any

from mailer.auto_reply import auto_reply_reason
from mailer.bounce import detect_bounce
from mailer.message import InboundMessage, parse_message
from parsers.remittance import UnreadableRemittance, invoice_numbers_in, looks_like_remittance, remittance_lines
from parsers.reply import reply_intent, strip_reply
from worker.adapters.contained_documents import read_invoice_attachments, read_remittance_lines

_REPLY_SUBJECT = re.compile(r"^\s*(re|aw|antw|sv|vs|rif|odp|ynt)\s*(\[\d+\])?\s*:", re.I)
_READ_RECEIPT = re.compile(
    r"^\s*(read|gelezen|gelesen|lu|leído|letto)\s*:|read receipt|return receipt|leesbevestiging|lesebestätigung|"
    r"confirmation de lecture|delivered:|delivery notification: delivered|successful delivery|zugestellt:",
    re.I,
)
_NO_REPLY_SENDER = re.compile(r"^(no-?reply|do-?not-?reply|noreply|notifications?|newsletter|news|mailer|"
                              r"marketing|info-?mail)[^@]*@", re.I)
_SPAM_SUBJECT = re.compile(r"\*+\s*spam\s*\*+|^\s*\[?spam\]?\s*:|^\s*adv\s*:", re.I)
# Marketing wording that a debtor answering about an invoice does not write.
_BULK_BODY = re.compile(
    r"to be removed|to unsubscribe|unsubscribe (here|from|link)|click here to (unsubscribe|be removed|opt.?out)|"
    r"you are receiving this (e-?mail|message) because|afmelden voor (deze|onze) nieuwsbrief|"
    r"uitschrijven|abmelden|se désabonner|se desinscrire|this mailing is done by",
    re.I,
)
_DOCUMENT = re.compile(r"\.(pdf|xml)$", re.I)
_REMITTANCE_FILE = re.compile(r"\.(pdf|csv|xlsx|xlsm|txt)$", re.I)


def _mime(raw: bytes) -> Message:
    return BytesParser(policy=policy.compat32).parsebytes(raw)


def _report_types(message: Message) -> set[str]:
    types = set()
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "multipart/report":
            types.add(str(part.get_param("report-type") or "").lower())
        elif ctype in ("message/feedback-report", "message/disposition-notification",
                       "message/delivery-status", "message/global-delivery-status"):
            types.add(ctype.split("/", 1)[1])
    return types


def _other_reason(mail: InboundMessage, message: Message) -> str | None:
    """Why a message is neither a bounce, an auto-reply nor a human reply; None when it may be a reply."""
    types = _report_types(message)
    if types & {"feedback-report"}:
        return "feedback-loop report"
    if types & {"disposition-notification"} or _READ_RECEIPT.search(mail.subject):
        return "read receipt"
    if types & {"delivery-status", "global-delivery-status"}:
        return "delivery notice without a failure"  # detect_bounce found no failed or delayed recipient
    if mail.header("x-spam-flag") and mail.header("x-spam-flag").strip().lower() == "yes":  # type: ignore[union-attr]
        return "marked as spam"
    if _SPAM_SUBJECT.search(mail.subject):
        return "spam subject"
    answering = bool(_REPLY_SUBJECT.match(mail.subject) or mail.in_reply_to)
    if answering:
        return None
    precedence = (mail.header("precedence") or "").lower()
    if mail.header("list-id") or mail.header("list-unsubscribe") or precedence in ("bulk", "list", "junk"):
        return "mailing list or bulk mail"
    if _NO_REPLY_SENDER.match(mail.from_address or ""):
        return "machine notification (no-reply sender)"
    if _BULK_BODY.search(mail.text or ""):
        return "bulk mail"
    return None


def _invoice_numbers(mail: InboundMessage, body: str) -> list[str]:
    names = " ".join(a.filename for a in mail.attachments)
    return invoice_numbers_in(f"{mail.subject}\n{body}\n{names}")


def _result(kind: str, confidence: float, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "kind": kind, "intent": None, "promised_date": None, "invoice_numbers": [], "failed_recipients": [],
        "remittance_lines": [], "reply_text": None, "confidence": confidence,
    }
    result.update(fields)
    return result


def classify_message(raw: bytes, today: date) -> dict[str, Any]:
    """The `dunning classify-message` JSON for one raw message; `today` resolves relative promise dates."""
    bounce = detect_bounce(raw)  # first: Exim and Postfix mark their DSNs Auto-Submitted as well
    mail = parse_message(raw)
    if bounce is not None:
        return _result("bounce", 0.99 if bounce.method == "dsn" else 0.85,
                       failed_recipients=list(bounce.failed_recipients),
                       invoice_numbers=_invoice_numbers(mail, mail.text))
    if auto_reply_reason(mail):
        return _result("auto_reply", 0.9, invoice_numbers=_invoice_numbers(mail, mail.text))
    names = [a.filename for a in mail.attachments]
    if looks_like_remittance(mail.subject, mail.text, names):
        files = [(a.filename, a.data) for a in mail.attachments if _REMITTANCE_FILE.search(a.filename)]
        try:
            lines = read_remittance_lines(mail.text, files)
        except UnreadableRemittance:
            lines = remittance_lines(mail.text)
        return _result("remittance", 0.9 if lines else 0.6, invoice_numbers=_invoice_numbers(mail, mail.text),
                       remittance_lines=[line.to_json() for line in lines])
    answering = bool(_REPLY_SUBJECT.match(mail.subject) or mail.in_reply_to)
    documents = [(a.filename, a.content_type, a.data) for a in mail.attachments if _DOCUMENT.search(a.filename)
                 or a.content_type in ("application/pdf", "application/xml", "text/xml")]
    if documents and not answering:
        found = read_invoice_attachments(documents)
        numbers = [i.invoice_number for i in found.invoices if i.invoice_number]
        if numbers:
            return _result("invoice", 0.9, invoice_numbers=list(dict.fromkeys(numbers)))
    if _other_reason(mail, _mime(raw)):
        return _result("other", 0.8, invoice_numbers=_invoice_numbers(mail, mail.text))
    text = strip_reply(mail.text, mail.html)
    intent = reply_intent(text, today)
    lines = remittance_lines(text) if intent.kind == "paid" else []
    return _result(
        "reply", intent.confidence,
        intent=intent.kind,
        promised_date=intent.promised_date.isoformat() if intent.promised_date else None,
        invoice_numbers=_invoice_numbers(mail, mail.text),
        remittance_lines=[line.to_json() for line in lines],
        reply_text=text,
    )
