"""Human replies: the new text without quotes and signatures (`strip_reply`), what it means (`reply_intent`) and
the language it is written in (`reply_language`)."""

from parsers.reply.intent import Intent, reply_intent
from parsers.reply.language import reply_language
from parsers.reply.strip import strip_reply

__all__ = ["Intent", "reply_intent", "reply_language", "strip_reply"]
