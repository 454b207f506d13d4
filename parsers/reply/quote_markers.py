"""Recognise where quoted history starts: attribution lines, original-message separators, header blocks."""

from __future__ import annotations

import re

from parsers.reply.mail_phrases import alternation, phrases

# Verbs mail clients put in an attribution line ("On ... X wrote:"), per language from mail_phrases.toml.
# The line must also end like an attribution and name a date or an address (see `attribution_at`).
# CJK verbs follow a name without a word boundary, so they stand outside the `\b`.
_WROTE = re.compile(r"\b(" + alternation("wrote") + r")|写道|寫道|のメッセージ", re.I)
_ENDS_LIKE_ATTRIBUTION = re.compile(r"(:|：|-{2,}|wrote|schrieb|skrev)\s*$", re.I)
# "30.09.2017, 18.30, "Name" <a@b.c>:" — clients that write no verb at all end the line with the address.
_ADDRESS_THEN_COLON = re.compile(r"(<?\s*[^<>\s]+@[^<>\s]+\.\w+\s*>?\)?|&gt;)\s*:\s*$")
_DATE_OR_ADDRESS = re.compile(r"\d|@")
_SENTENCE_END = re.compile(r"[.!?]\s*$")
_ATTRIBUTION_OPENING = re.compile(
    r"^(\d|-{2,}|(" + alternation("attribution_open") + r"|kl|el día|le \w+)\b|.*[@<])", re.I
)
# "Am 12.03.2024 um 10:15 schrieb Max <max@example.de>": Apple Mail and others write no colon after the address.
_OPENS_WITH_DATE = re.compile(r"^(" + alternation("attribution_open") + r")\s+\S*\d", re.I)
_ENDS_WITH_ADDRESS = re.compile(r"[^<>\s]+@[^<>\s]+\.\w+>?\s*$")

_SEPARATOR = re.compile(
    r"^\s*(-{2,}|={2,}|_{2,}|\*{2,})\s*[\w\s'’().-]{3,60}?\s*(-{2,}|={2,}|_{2,}|\*{2,})?\s*:?\s*$"
)
_SEPARATOR_WORDS = re.compile(
    alternation("original") + "|" + alternation("forward_intro")
    + r"|original|message|nachricht|bericht|besked|mensaje|messaggio|mensagem|meddelande|viesti|wiadomo|"
    r"forward|doorgestuurd|weitergeleitet|transféré|réexpédié|reenviado|inoltrato|videresendt|vidarebefordrat",
    re.I,
)
_RULE = re.compile(r"^\s*(_{8,}|-{8,}|={4,}|\*{8,}|—{3,})\s*$")
_FORWARD_INTRO = re.compile(
    r"^\s*(" + alternation("forward_intro") + r")\s*:?\s*$", re.I
)

_FROM_LABELS = tuple(dict.fromkeys(phrases("from_labels") + ("from", "van", "von", "de", "da", "från", "fra", "od",
                                                             "от", "lähettäjä", "afzender", "absender")))
_OTHER_LABELS = (
    "sent", "date", "to", "cc", "subject", "reply-to", "verzonden", "datum", "aan", "onderwerp", "gesendet", "an",
    "betreff", "envoyé", "envoyé le", "à", "a", "objet", "inviato", "data", "oggetto", "risposta", "skickat",
    "till", "ämne", "enviado", "enviado el", "para", "asunto", "fecha", "sendt", "til", "emne", "dato", "wysłano",
    "do", "temat", "отправлено", "кому", "тема", "дата", "copie à", "sujet", "kopie", "lähetetty", "vastaanottaja",
    "aihe", "enviada", "assunto", "cco", "bcc", "kp", "dw",
) + tuple(p for p in phrases("header_labels") if p not in _FROM_LABELS)
_LABEL = re.compile(
    r"^\s*[>*\s]*(?P<label>" + "|".join(sorted((re.escape(x) for x in _FROM_LABELS + _OTHER_LABELS),
                                                 key=len, reverse=True))
    + r")\s*\*?\s*[:：]\s*\*?",
    re.I,
)


def header_label(line: str) -> str | None:
    """The header name a line of a quoted header block starts with ("from", "verzonden", ...), else None."""
    found = _LABEL.match(line)
    return found.group("label").lower() if found else None


def is_separator(line: str) -> bool:
    """"-----Original Message-----", "________", "---- Doorgestuurd bericht ----", "Begin forwarded message:"."""
    if _RULE.match(line) or _FORWARD_INTRO.match(line):
        return True
    found = _SEPARATOR.match(line)
    return bool(found and (found.group(2) or line.strip().endswith(":")) and _SEPARATOR_WORDS.search(line))


def attribution_at(lines: list[str], index: int) -> int:
    """How many lines (1-3) starting at `index` form an attribution line ("Op ... schreef ...:"); 0 if none."""
    for span in (1, 2, 3):
        if index + span > len(lines):
            break
        parts = [line.strip().lstrip(">").strip() for line in lines[index:index + span]]
        if span > 1 and not parts[-1]:
            break
        joined = " ".join(parts)
        if not joined or len(joined) > 300:
            break
        if not _DATE_OR_ADDRESS.search(joined):
            continue
        if (_WROTE.search(joined) and (_ENDS_LIKE_ATTRIBUTION.search(joined) or (
                _OPENS_WITH_DATE.match(joined) and _ENDS_WITH_ADDRESS.search(joined)))) or (
                _ADDRESS_THEN_COLON.search(joined) and len(joined) < 200):
            # A wrapped attribution must begin like one, so the sentence above it is not swallowed.
            if span > 1 and not (_ATTRIBUTION_OPENING.match(parts[0])
                                 or (_DATE_OR_ADDRESS.search(parts[0]) and not _SENTENCE_END.search(parts[0]))):
                return 0
            return span
    return 0


def header_block_at(lines: list[str], index: int) -> bool:
    """A quoted message's header block starts here: a From/Date/Sent label followed closely by another label."""
    first = header_label(lines[index])
    if first is None or first not in _FROM_LABELS + ("sent", "date", "subject", "datum", "verzonden", "gesendet",
                                                     "envoyé", "envoyé le", "data", "fecha", "dato"):
        return False
    seen = {first}
    for line in lines[index + 1:index + 7]:
        label = header_label(line)
        if label is not None and label not in seen:
            seen.add(label)
            if len(seen) >= 2 and (seen & set(_FROM_LABELS) or len(seen) >= 3):
                return True
    return False


_BARE_ATTRIBUTION = re.compile(r"\d.*<[^<>\s]+@[^<>\s]+>\s*$|<[^<>\s]+@[^<>\s]+>.*\d")


def bare_attribution(line: str) -> bool:
    """A line right above a `>` quote naming a date and an address, without verb or colon ("2013/7/20 sam <s@x>")."""
    text = line.strip()
    return len(text) < 200 and bool(_BARE_ATTRIBUTION.search(text))
