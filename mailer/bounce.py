"""Recognise delivery failure reports (bounces, delay warnings) and the recipients that failed."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from flufl.bounce import all_failures

from mailer.message import InboundMessage
from mailer.mime_limits import refusal

__all__ = ["BounceReport", "detect_bounce"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BounceReport:
    """`failed_recipients` failed for good; a delay warning has none and `permanent` False."""

    failed_recipients: list[str]
    permanent: bool
    delayed_recipients: list[str] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # recipient -> DSN status code, e.g. "5.1.1"
    method: str = "dsn"  # "dsn" (RFC 3464 report) or "heuristic" (flufl.bounce / subject and sender cues)


# Senders that only ever send reports; the local part decides, whatever the domain.
_DAEMON_SENDER = re.compile(
    r"^(mailer-daemon|mailer_daemon|maildaemon|postmaster|post_master|mail-daemon|mdaemon|"
    r"mail\.delivery\.system|mail_delivery_system|mailerdaemon|double-bounce|bounce|bounces|"
    r"nobody-bounce|returned-mail|deliverystatusnotification|smtp\.mailer|mailadmin)(@|$)",
    re.I,
)
_DAEMON_NAME = re.compile(r"mail delivery (subsystem|system|service)|mailer.?daemon|postmaster", re.I)
# Subjects of non-standard failure and delay reports, in the languages we serve and the usual MTA wording.
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (status notification|failure|failed|problem|report|has failed|delayed|warning)|"
    r"mail delivery failed|returned mail|return(ed)? to sender|failure notice|could not send|not delivered|"
    r"delivery notification|message not delivered|mail system error|nondeliverable|non.?delivery|"
    r"permanent (error|failure)|delayed mail|warning: could not|unzustellbar|nicht zustellbar|"
    r"onbestelbaar|niet (afgeleverd|bezorgd)|non remis|non distribu|échec de (la )?(remise|distribution)|"
    r"retour à l'expéditeur|mail could not be delivered|message you sent .* could not|"
    r"delivery to the following recipient|rejected|bounce|mailbox (is )?full|mailbox quota|quota exceeded|"
    r"over quota|postfach (ist )?voll|mailbox (is )?vol|boîte (aux lettres |de réception |mail )?(est )?pleine",
    re.I,
)
# A report that something *was* delivered or read is not a failure.
_NOT_A_FAILURE_SUBJECT = re.compile(r"^(read|gelesen|gelezen|lu)\s*:|delivered:|relayed:|successful", re.I)


def _as_message(msg: InboundMessage | Message | bytes | str) -> Message:
    if isinstance(msg, Message):
        return msg
    if isinstance(msg, InboundMessage):
        raise TypeError("detect_bounce needs the raw message (bytes) or an email.message.Message")
    data = msg.encode("utf-8", "surrogateescape") if isinstance(msg, str) else msg
    return BytesParser(policy=policy.compat32).parsebytes(data)


def _dsn_parts(msg: Message) -> list[Message]:
    parts = []
    for part in msg.walk():
        if part.get_content_type() in ("message/delivery-status", "message/global-delivery-status"):
            parts.append(part)
    return parts


_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$")


def _dsn_groups(part: Message) -> list[dict[str, str]]:
    """Field groups of a delivery-status part, read line by line.

    Real MTAs write unindented continuation lines (`550-...`) that end a strict header parse early, so a
    group ends only at a blank line followed by another field line, and other lines are skipped.
    """
    payload = part.get_payload()
    if isinstance(payload, list):
        text = "\n".join(p.as_string() for p in payload if isinstance(p, Message))
    elif part.get("Content-Transfer-Encoding", "").lower() in ("base64", "quoted-printable"):
        data = part.get_payload(decode=True)
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else ""
    else:
        text = str(payload or "")
    groups: list[dict[str, str]] = [{}]
    blank = False
    for line in text.splitlines():
        if not line.strip():
            blank = True
            continue
        field = _FIELD.match(line)
        if field is None or line[:1] in " \t":
            continue
        if blank and groups[-1]:
            groups.append({})
        blank = False
        groups[-1].setdefault(field.group(1).lower(), field.group(2).strip())
    return [g for g in groups if g]


def _address(value: str | None) -> str | None:
    if not value:
        return None
    # "rfc822; user@example.com" (address type first, RFC 3464 section 2.3.2)
    value = value.split(";", 1)[1] if ";" in value else value
    addr = parseaddr(value.strip())[1] or value.strip().strip("<>")
    local, at, domain = addr.rpartition("@")
    return addr if at and local and domain else None


_SUCCESS = object()  # a DSN whose recipients were all delivered, relayed or expanded


def _from_dsn(msg: Message) -> BounceReport | object | None:
    failed: list[str] = []
    delayed: list[str] = []
    status: dict[str, str] = {}
    seen_any = False
    for part in _dsn_parts(msg):
        for group in _dsn_groups(part):
            recipient = _address(group.get("final-recipient"))
            original = _address(group.get("original-recipient"))
            if original and (recipient is None or original.lower() != recipient.lower()):
                # Original-Recipient is the address we wrote to; Final-Recipient may be an alias it expanded to.
                recipient = original
            if recipient is None:
                continue
            seen_any = True
            action = group.get("action", "").lower()
            code = group.get("status", "").split()[0] if group.get("status") else ""
            if code:
                status[recipient] = code
            if action.startswith("failed") or (not action and code.startswith("5")):
                if recipient.lower() not in (r.lower() for r in failed):
                    failed.append(recipient)
            elif action.startswith("delayed") or (not action and code.startswith("4")):
                if recipient.lower() not in (r.lower() for r in delayed):
                    delayed.append(recipient)
    if not seen_any:
        return None
    if not failed and not delayed:
        return _SUCCESS
    return BounceReport(failed, bool(failed), delayed, status, "dsn")


_REPLY_PREFIX = re.compile(r"^\s*(re|aw|antw|sv|vs|fw|fwd|wg|tr|rif)\s*(\[\d+\])?\s*:", re.I)


def _subject(msg: Message) -> str:
    try:
        return " ".join(str(make_header(decode_header(str(msg.get("Subject", ""))))).split())
    except Exception:  # undecodable encoded-words: the raw text still carries the cue
        return " ".join(str(msg.get("Subject", "")).split())


def _looks_like_report(msg: Message) -> bool:
    """A daemon sender, or a failure subject that is not a person's reply ("Re: undeliverable ...")."""
    name, sender = parseaddr(str(msg.get("From", "")))
    subject = _subject(msg)
    if _NOT_A_FAILURE_SUBJECT.search(subject):
        return False
    if _DAEMON_SENDER.match(sender) or _DAEMON_NAME.search(name or ""):
        return True
    if _BOUNCE_SUBJECT.search(subject) and not _REPLY_PREFIX.match(subject):
        return True
    return _opens_with_failure(msg)


# Opening sentences of failure notices whose sender and subject say nothing (or say "RE:").
_FAILURE_OPENING = re.compile(
    r"could not be delivered to|couldn't be delivered to|was not delivered to|undeliverable to|"
    r"delivery to the following recipients? (has )?failed|error: invalid user address|"
    r"n'a pas pu (ê|e)tre (d(é|e)livr|remis|distribu)|konnte nicht zugestellt werden|"
    r"kon niet (worden )?(afgeleverd|bezorgd)|mailbox (is )?full|(exceeded|over) (the |its |their )?"
    r"(storage |mailbox )?quota|postfach (ist )?voll|boîte (aux lettres |de réception )?(est )?pleine",
    re.I,
)


def _opens_with_failure(msg: Message) -> bool:
    """The report text starts (first lines) with a failure sentence and names an address right after it."""
    lines = [line for line in _report_text(msg).splitlines() if line.strip()][:8]
    for index, line in enumerate(lines):
        if _FAILURE_OPENING.search(line):
            window = " ".join(lines[index:index + 3])
            return bool(_BARE_ADDRESS.search(window) or re.search(r"user address|recipient", window, re.I))
    return False


_ANGLE_ADDRESS = re.compile(r"<([^<>@\s]+@[^<>@\s]+\.[A-Za-z]{2,})>")
_BARE_ADDRESS = re.compile(r"(?<![\w.+-])([\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})")
_RECIPIENT_CUE = re.compile(
    r"rcpt to|recipient|user unknown|unknown user|no such|does not exist|not exist|mailbox|invalid|"
    r"rejected|undeliver|failed|could not be delivered|unable to deliver|delivery to|address|550|554|553|"
    r"not found|unrouteable|quota|onbekend|unbekannt|inconnu",
    re.I,
)
_ORIGINAL_MARK = re.compile(
    r"^\s*(-+ ?(original message|this is a copy|below this line|the (original|returned) message|"
    r"undelivered message|message header|unsent message)|original message:?\s*$|received:|return-path:|message-id:)",
    re.I,
)


def _report_text(msg: Message) -> str:
    """The explanatory text of the report, without the returned original message."""
    texts = []
    for part in msg.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            break
        if part.get_content_maintype() == "text":
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                try:
                    texts.append(data.decode(part.get_content_charset() or "utf-8", "replace"))
                except LookupError:  # a charset Python does not know: the ASCII words still carry the cues
                    texts.append(data.decode("latin-1"))
        elif part.is_multipart() is False and part.get_content_maintype() == "multipart":
            # A multipart whose boundary never appears: its body is the report text itself.
            texts.append(str(part.get_payload()))
    lines = []
    for line in "\n".join(texts).splitlines():
        if _ORIGINAL_MARK.match(line):
            break
        lines.append(line)
    return "\n".join(lines)


def _recipients_from_text(msg: Message, sender_addresses: set[str]) -> list[str]:
    """Fallback for reports no detector understood: addresses on lines that talk about the failure."""
    found: list[str] = []
    report = _report_text(msg)
    # A transcript that names the envelope recipient ("RCPT TO: x@y") says exactly who failed.
    envelope = [_clean_address(a) for a in re.findall(r"rcpt to\s*:\s*<?([^\s<>]+@[^\s<>]+)>?", report, re.I)]
    if envelope:
        return list(dict.fromkeys(envelope))
    lines = report.splitlines()
    for index, line in enumerate(lines):
        window = " ".join(lines[max(0, index - 1) : index + 2])
        if not _RECIPIENT_CUE.search(window):
            continue
        for addr in _ANGLE_ADDRESS.findall(line) or _BARE_ADDRESS.findall(line):
            addr = _clean_address(addr)
            low = addr.lower()
            if low in sender_addresses or _DAEMON_SENDER.match(low) or low in (f.lower() for f in found):
                continue
            found.append(addr)
    return found


def _clean_address(text: str) -> str:
    text = text.strip().strip("<>").strip(".")
    return text[7:] if text.lower().startswith("mailto:") else text


def _decode(addresses: frozenset) -> list[str]:
    out: list[str] = []
    for a in addresses:
        text = a.decode("utf-8", "replace") if isinstance(a, bytes) else str(a)
        text = _clean_address(text)
        if "@" in text and text.lower() not in (o.lower() for o in out):
            out.append(text)
    return sorted(out, key=str.lower)


def detect_bounce(msg: InboundMessage | Message | bytes | str) -> BounceReport | None:
    """A `BounceReport` for a failure or delay report, else None (replies, auto-replies, ARF, receipts).

    RFC 3464 reports are read field by field; anything else must look like a report (daemon sender, or a
    failure subject with a null sender or the returned message) before flufl.bounce's MTA-specific
    heuristics are asked for the recipients, so an ordinary e-mail is never mistaken for a bounce.
    """
    if isinstance(msg, (bytes, str)) and refusal(msg.encode("utf-8", "surrogateescape") if isinstance(msg, str)
                                                 else msg):
        return None  # hostile structure: parse_message quarantines it with the reason
    message = _as_message(msg)
    report_type = str(message.get_param("report-type") or "").lower() if message.get_content_type() == (
        "multipart/report"
    ) else ""
    if report_type == "feedback-report" or (
            report_type == "disposition-notification" and not _looks_like_report(message)):
        return None
    dsn = _from_dsn(message)
    if dsn is _SUCCESS:
        return None
    if isinstance(dsn, BounceReport):
        return dsn
    is_dsn = report_type == "delivery-status"
    if not is_dsn and not _looks_like_report(message):
        return None
    subject = _subject(message)
    is_delay = bool(_DELAY_SUBJECT.search(subject))
    report = _report_text(message)
    ours = {a.lower() for _, a in getaddresses(
        message.get_all("From", []) + message.get_all("To", []) + message.get_all("Delivered-To", []))}
    failed = _text_dsn_recipients(report)
    if failed:
        return BounceReport(failed, True, [], {}, "heuristic")
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # a detector tripping over odd MIME must not stop ingest
        log.warning("flufl.bounce failed on a report", exc_info=True)
        temporary, permanent = frozenset(), frozenset()
    failed = _named_in_report(_decode(permanent), report)
    delayed = [a for a in _decode(temporary) if a.lower() not in {f.lower() for f in failed}]
    if not failed and not delayed:
        failed = _failed_header(message)
    if not failed and not delayed:
        found = _recipients_from_text(message, ours)
        if is_delay:
            delayed = found
        else:
            failed = found or _returned_recipients(message, ours)
    return BounceReport(failed, bool(failed), delayed, {}, "heuristic")


_TEXT_DSN_RECIPIENT = re.compile(r"^\s*(original|final)-recipient\s*:\s*(?:rfc822\s*;)?\s*<?([^\s<>;]+@[^\s<>;]+)>?",
                                 re.I | re.M)


def _text_dsn_recipients(report: str) -> list[str]:
    """Recipients of RFC 3464 fields pasted into the text part (Amazon WorkMail and others), failed only."""
    if not re.search(r"^\s*action\s*:\s*failed", report, re.I | re.M):
        return []
    pairs = _TEXT_DSN_RECIPIENT.findall(report)
    # The address we wrote to (Original-Recipient) wins over the alias it expanded to.
    chosen = [a for kind, a in pairs if kind.lower() == "original"] or [a for _, a in pairs]
    return list({a.lower(): a for a in chosen}.values())


def _named_in_report(addresses: list[str], report: str) -> list[str]:
    """flufl.bounce's addresses; when the report text names some of them, only those (not Message-IDs or
    the returned message's sender)."""
    named = [a for a in addresses if a.lower() in report.lower()]
    return named or addresses


def _returned_recipients(msg: Message, ours: set[str]) -> list[str]:
    """Last resort for a failure report naming no address: the To of the message it returns."""
    headers: list[str] = []
    for part in msg.walk():
        payload = part.get_payload()
        if part.get_content_type() == "message/rfc822" and isinstance(payload, list) and payload:
            inner = payload[0]
            if isinstance(inner, Message) and inner.get("List-Id") is None:  # a list post's To names the list
                headers.extend(inner.get_all("To", []) + inner.get_all("Cc", []))
        elif part.get_content_type() == "text/rfc822-headers" or part.get_content_maintype() == "text":
            data = part.get_payload(decode=True)
            text = data.decode("utf-8", "replace") if isinstance(data, bytes) else ""
            if re.search(r"^list-id\s*:", text, re.I | re.M):
                continue
            marker = re.search(r"^.*(original message|unsent message|returned message).*$", text, re.I | re.M)
            if marker:
                headers.extend(re.findall(r"^(?:to|cc)\s*:\s*(.+)$", text[marker.end():], re.I | re.M))
    return [a for _, a in getaddresses(headers) if "@" in a and a.lower() not in ours]


_DELAY_SUBJECT = re.compile(
    r"delay|warning|verzögert|vertraagd|retard|not (yet )?been delivered|will retry|still trying", re.I
)


def _failed_header(msg: Message) -> list[str]:
    """Addresses an MTA names in `X-Failed-Recipients` (Exim)."""
    return [a for _, a in getaddresses(msg.get_all("X-Failed-Recipients", [])) if "@" in a]
