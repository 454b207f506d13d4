"""Recognise automatic replies (out-of-office, vacation, acknowledgements) so they never count as replies."""

from __future__ import annotations

import re
import tomllib
from email import policy
from email.message import Message
from importlib import resources

from mailer.bounce import detect_bounce
from mailer.message import InboundMessage, parse_message

__all__ = ["auto_reply_reason"]

# Subject cues of generated answers. Dutch, English, German, French first (our debtors), then the usual
# vendor prefixes; each alternative is a phrase a person replying about an invoice would not write.
_SUBJECT = re.compile(
    r"out of (the )?office|\bOOO\b|\bOOF\b|auto(matic|mated)?[ -]?(reply|response|answer|responder)|"
    r"autoreply|away from (the )?office|on (vacation|holiday|leave)|vacation (reply|notice|message)|"
    r"afwezig|automatisch(e)? (antwoord|beantwoording|bericht)|niet aanwezig|met vakantie|"
    r"abwesenheit|abwesend|automatische antwort|automatische rückantwort|nicht im büro|im urlaub|"
    r"réponse automatique|reponse automatique|absence du bureau|absent du bureau|en congés?|"
    r"message d'absence|risposta automatica|fuori sede|respuesta automática|fuera de la oficina|"
    r"automatyczna odpowied|autosvar|automaattinen vastaus|^\s*auto:|^\s*\[?auto\]?\s*:|"
    r"thank you for (your|contacting)|thanks for (your|contacting)|we have received your (e-?mail|message)|"
    r"bedankt voor uw (e-?mail|bericht)|ontvangstbevestiging|eingangsbestätigung|accusé de réception|"
    r"(new|changed) (e-?mail )?address|no longer (with|working)|niet meer (werkzaam|in dienst)",
    re.I,
)
# Bodies of auto-responders that only say "thank you, we received it" or "I am away" (checked on the
# first lines only, so a person quoting such a message further down is not caught).
_BODY = re.compile(
    r"i am (currently )?(out of (the )?office|away|on (vacation|holiday|leave))|"
    r"i('m| am) (currently )?out of (the )?office|i will be (out|away|back)|"
    r"ik ben (momenteel |tot en met |t/m )?(afwezig|niet aanwezig|met vakantie)|"
    r"ich bin (derzeit |bis )?(nicht im büro|abwesend|im urlaub)|"
    r"je suis (actuellement )?absent|this is an automat(ic|ed) (reply|response|message)|"
    r"dit is een automatisch|dies ist eine automatische|ceci est une réponse automatique|"
    r"gracias por (contactar|su mensaje)|automatically generated",
    re.I,
)
# The same cues in every language of auto_reply_phrases.toml (Outlook's localised "Automatic reply:" and so on).
_PHRASES = tomllib.loads(resources.files("mailer").joinpath("auto_reply_phrases.toml").read_text("utf-8"))


def _listed(kind: str) -> str:
    found = sorted({p.lower() for entry in _PHRASES.values() for p in entry.get(kind, ())}, key=len, reverse=True)
    return "|".join(re.escape(p) for p in found)


_LISTED_SUBJECT = re.compile(r"(?<!\w)(" + _listed("subjects") + r")(?!\w)", re.I)
_LISTED_BODY = re.compile(_listed("bodies"), re.I)
# Challenge-response filters hold a message until the sender proves to be a person: an automatic answer.
_CHALLENGE = re.compile(
    r"verify (that )?you are (a )?(human|real person)|confirm (that )?you are (a )?(human|real person)|"
    r"(please )?(verify|confirm) your (e-?mail|address|message)|sender verification|"
    r"(approved|verified) senders? list|your message (is|has been) (held|pending|quarantined)|"
    r"awaiting (your )?(verification|confirmation)|boxbe|spamarrest|spam arrest|challenge.?response|"
    r"bevestig (dat u|uw e-?mail)|bestätigen sie (ihre|dass)|confirmez (votre|que vous)",
    re.I,
)
_CHALLENGE_HEADERS = ("x-boxbe-pending", "x-boxbe-status", "x-spamarrest-noauth", "x-challenge")
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|antw|sv|vs|rif)\s*:", re.I)


def _headers(msg: InboundMessage) -> dict[str, str]:
    return {k: " ".join(v).strip() for k, v in msg.headers.items()}


def auto_reply_reason(msg: InboundMessage | Message | bytes) -> str | None:
    """Why this message is an automatic reply (e.g. "auto-submitted: auto-replied"), or None.

    Bounces return None: Exim and Postfix mark their DSNs `Auto-Submitted: auto-replied`, so with raw bytes
    or a Message the bounce check runs first. Given only an `InboundMessage`, call `detect_bounce` on the raw
    bytes before this (the worker's order); a daemon sender is still recognised here.
    """
    if isinstance(msg, (bytes, Message)):
        if detect_bounce(msg) is not None:
            return None
        raw = msg if isinstance(msg, bytes) else msg.as_bytes(policy=policy.compat32)
        msg = parse_message(raw)
    h = _headers(msg)
    sender = (msg.from_address or "").lower()
    if re.match(r"^(mailer-daemon|postmaster)@", sender):
        return None  # a delivery report, not an auto-reply

    auto_submitted = h.get("auto-submitted", "").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"auto-submitted: {auto_submitted.split(';')[0].strip()}"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply"):
        if name in h and h[name].strip().lower() not in ("no", "false", "0"):
            return name
    suppress = h.get("x-auto-response-suppress", "").lower()
    if re.search(r"\b(oof|all)\b", suppress) and ("autoreply" in suppress or "oof" in suppress):
        # Exchange puts this on its own OOF answers; alone on a normal mail it is too weak, so pair it.
        if _SUBJECT.search(msg.subject) or "x-ms-exchange-inbox-rules-loop" in h:
            return "x-auto-response-suppress: oof"
    if "x-ms-exchange-generated-message-source" in h or "x-ms-exchange-inbox-rules-loop" in h:
        return "microsoft exchange generated"
    if h.get("x-apple-action", "").lower().startswith("vacation") or "x-apple-auto-reply" in h:
        return "apple vacation"
    if "x-vacation" in h or "x-gmx-antispam-autoreply" in h or h.get("x-mailer", "").lower().startswith(
        ("vacation", "autoresponder")
    ):
        return "vacation header"
    if h.get("x-lotus-notes-autoreply") or "$autoreply" in " ".join(h.keys()):
        return "lotus notes auto-reply"
    precedence = h.get("precedence", "").lower()
    if precedence in ("auto_reply", "auto-reply"):
        return f"precedence: {precedence}"
    subject = msg.subject or ""
    if any(name in h for name in _CHALLENGE_HEADERS) or (
            _CHALLENGE.search(subject) and _CHALLENGE.search(msg.text or "")):
        return "challenge-response"
    subject_cue = _SUBJECT.search(subject) or _LISTED_SUBJECT.search(subject)
    if subject_cue and not _REPLY_PREFIX.match(subject):
        return f"subject: {subject_cue.group(0).strip().lower()}"
    head = "\n".join((msg.text or "").strip().splitlines()[:6])
    # vacation(1) and many responders mark their answers bulk; a newsletter is bulk too, but answers nothing.
    answering = msg.in_reply_to or "references" in h or _REPLY_PREFIX.match(subject)
    if precedence in ("bulk", "junk") and "list-id" not in h and "list-unsubscribe" not in h and answering:
        return f"precedence: {precedence}"
    automatic_opening = _BODY.search(head) or _LISTED_BODY.search(head)
    if automatic_opening and (msg.in_reply_to or precedence or _REPLY_PREFIX.match(subject)):
        return "body: automatic answer"
    return None
