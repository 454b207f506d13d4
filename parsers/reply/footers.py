"""Client footers ("Sent from my iPhone", "Verzonden vanaf mijn iPhone"), gateway banners and `--` delimiters."""

from __future__ import annotations

import re

from parsers.reply.mail_phrases import alternation

# The footer mobile and desktop clients append; everything after it is history or signature.
_CLIENT_FOOTER = re.compile(
    r"^\s*(sent from (my|the|mail for|yahoo|outlook|samsung)\b.*|sent (via|with|using) .{2,40}|"
    r"(\w+ )?outlook (for|pour|für|voor|para|per|na) (ios|android)\b.*|"
    r"(verzonden|verstuurd) (vanaf|met|via|van) (mijn|de|outlook|yahoo).*|"
    r"gesendet (von|mit|vom) (meinem|outlook|yahoo|mobil).*|von meinem .{2,40} gesendet.*|"
    r"envoyé (de|depuis) (mon|ma|outlook|yahoo).*|"
    r"enviado (desde|de|do) (mi|meu|o|outlook).*|inviato da .{2,40}|"
    r"sendt fra min .{2,40}|skickat från min .{2,40}|lähetetty .{2,30}(iphone|ipad|android|mobiili).*|"
    r"wysłane z .{2,40}|отправлено с .{2,40}|"
    r"diese nachricht wurde von meinem .{2,60} gesendet\.?)\s*$",
    re.I,
)
# The same footers in every language of mail_phrases.toml: a short line that starts with one and is no sentence.
_LISTED_FOOTER = re.compile(r"^(" + alternation("footers") + r")\b[^.!?]{0,60}$", re.I)
# A virus scanner's line ("This email has been checked for viruses by Avast antivirus software.").
_SCANNED = re.compile(r"^(" + alternation("scanned") + r")\b.{0,120}$", re.I)
_SIGNATURE_DELIMITER = re.compile(r"^(-- ?|—|__)\s*$")
# Warnings a mail gateway puts at the start of a paragraph ("CAUTION: This email originated from outside ...").
_BANNER = re.compile(r"^\W*?([^\W\d]+(\s+[^\W\d]+){0,2}\s*:\s*)?(" + alternation("banners") + ")", re.I)


def is_client_footer(line: str) -> bool:
    """A line a mail client added on its own ("Sent from my iPhone", "Get Outlook for iOS")."""
    text = line.strip().strip("<>")
    return len(line) < 200 and bool(_CLIENT_FOOTER.match(text) or _LISTED_FOOTER.match(text) or _SCANNED.match(text))


def is_banner(paragraph: str) -> bool:
    """A paragraph an organisation's mail gateway inserted: an external-sender warning, not the sender's words."""
    return len(paragraph) < 500 and bool(_BANNER.match(paragraph.strip()))


def is_signature_delimiter(line: str) -> bool:
    """The `-- ` line (RFC 3676) that opens a signature block."""
    return bool(_SIGNATURE_DELIMITER.match(line.rstrip("\r")))
