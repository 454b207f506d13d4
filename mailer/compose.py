"""Build outgoing reminder e-mails (MIME) with deterministic Message-IDs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from mailer.message import Attachment

__all__ = ["make_message_id", "build_message"]

# RFC 5322 dot-atom text minus characters that confuse log greps and IMAP searches.
_UNSAFE = re.compile(r"[^A-Za-z0-9._=-]+")
# Line breaks and other controls in a display name or subject (a debtor or business name from an invoice
# or the API) would end the header; the stdlib refuses them, which would stop the letter, so fold them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(value: str) -> str:
    """`value` safe as one header line: every run of control characters (CR, LF, TAB, NUL) is one space."""
    return " ".join(_CONTROL.sub(" ", value).split())


def make_message_id(key: str, domain: str) -> str:
    """`<key@domain>`; the same key always gives the same id, so a resend after a crash is recognisable.

    Characters outside a safe set are replaced; a short hash of the original key is then appended so two
    keys that differ only in such characters never share an id.
    """
    if not key or not domain:
        raise ValueError("make_message_id needs a non-empty key and domain")
    clean = _UNSAFE.sub("-", key).strip(".-")
    clean = re.sub(r"\.{2,}", ".", clean)
    if clean != key or not clean:
        clean = f"{clean}.{hashlib.sha256(key.encode()).hexdigest()[:10]}".lstrip(".")
    domain = _UNSAFE.sub("-", domain.strip().lower()).strip(".-")
    return f"<{clean}@{domain}>"


def _address_list(value: str | Sequence[str] | None) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def build_message(
    *,
    from_address: str,
    from_name: str | None,
    to: str | Sequence[str],
    subject: str,
    text: str,
    message_id: str,
    date: datetime,
    cc: str | Sequence[str] | None = None,
    reply_to: str | Sequence[str] | None = None,
    attachments: Iterable[Attachment | tuple[str, str, bytes]] = (),
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A text/plain reminder with attachments; `date` comes from the caller's clock, never the system's.

    We deliberately set no `Auto-Submitted: auto-generated`: although the reminder is machine-sent, it is a
    letter from the business to a person, and accounts-payable ticket systems and some filters drop or hide
    auto-submitted mail, so the debtor might never see it. It would also not stop replies reaching us (RFC
    3834 only restrains automatic responders), but loops are already prevented on our side: we never answer
    inbound mail automatically, and `auto_reply_reason` keeps out-of-office answers from counting as replies.
    """
    if date.tzinfo is None:
        raise ValueError("build_message needs a timezone-aware date")
    to_list = _address_list(to)
    if not to_list:
        raise ValueError("build_message needs at least one To address")
    msg = EmailMessage()
    msg["From"] = Address(display_name=one_line(from_name or ""), addr_spec=from_address)
    msg["To"] = ", ".join(to_list)
    cc_list = _address_list(cc)
    if cc_list:
        msg["Cc"] = ", ".join(cc_list)
    reply_list = _address_list(reply_to)
    if reply_list:
        msg["Reply-To"] = ", ".join(reply_list)
    msg["Subject"] = one_line(subject)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        del msg[name]
        msg[name] = one_line(value)
    # Quoted-printable keeps accented Dutch/German text 7-bit clean for servers without 8BITMIME.
    msg.set_content(text, cte="quoted-printable")
    for item in attachments:
        att = item if isinstance(item, Attachment) else Attachment(*item)
        maintype, _, subtype = att.content_type.partition("/")
        msg.add_attachment(
            att.data, maintype=maintype or "application", subtype=subtype or "octet-stream",
            filename=one_line(att.filename),
        )
    return msg
