"""Build the e-mails of a story: a business's BCC'd invoice, a debtor's reply, an out-of-office."""

from datetime import UTC, date, datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests.factories.invoice_pdf import make_invoice_pdf


def invoice_mail(*, seller_name: str, seller_email: str, to: str, bcc: str, number: str, issue: date, due: date,
                 amount: str, buyer_name: str, general_email: str | None = None, language: str = "nl",
                 pdf: bytes | None = None) -> bytes:
    """What a business's mail client sends: To the customer, BCC the service, the invoice PDF attached."""
    msg = EmailMessage()
    msg["From"] = f"{seller_name} <{seller_email}>"
    msg["To"] = to
    msg["Subject"] = f"Factuur {number}" if language == "nl" else f"Invoice {number}"
    msg["Date"] = format_datetime(datetime(issue.year, issue.month, issue.day, 9, tzinfo=UTC))
    msg["Message-ID"] = make_msgid(domain=seller_email.split("@")[1])
    msg["Delivered-To"] = bcc  # what the receiving MTA adds for the BCC copy
    msg.set_content("Beste klant,\n\nIn de bijlage vindt u onze factuur.\n\nMet vriendelijke groet,\n" + seller_name)
    if pdf is None:
        pdf = make_invoice_pdf(number=number, issue_date=issue, due_date=due, amount_due=Decimal(amount),
                               seller_name=seller_name, seller_email=seller_email, buyer_name=buyer_name,
                               buyer_email=to, buyer_general_email=general_email, language=language,
                               seller_vat_id="NL000099998B57", seller_kvk="12345678",
                               seller_iban="NL91ABNA0417164300")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"factuur-{number}.pdf")
    return msg.as_bytes()


def reply_mail(*, sender: str, to: str, in_reply_to: str | None, subject: str, body: str,
               headers: dict[str, str] | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=sender.split("@")[1].rstrip(">"))
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()
