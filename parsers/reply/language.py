"""`reply_language`: the language a debtor wrote a reply in (nl, en, de, fr), from the reply's own text only."""

from __future__ import annotations

from parsers.reply.strip import strip_reply
from parsers.text_language import decide_language, language_scores

# A reply is short ("Thanks, we will pay next week."): two clear words decide, where an invoice needs three.
_MINIMUM = 2


def reply_language(text: str) -> str | None:
    """nl, en, de or fr when the reply's own words (quoted history, signature and client footer removed) clearly
    favour one language; None when they don't, so a debtor's recorded language is kept."""
    return decide_language(language_scores(strip_reply(text)), _MINIMUM)
