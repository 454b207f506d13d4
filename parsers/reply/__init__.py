"""Human replies: the new text without quotes and signatures (`strip_reply`) and what it means (`reply_intent`)."""

from parsers.reply.intent import Intent, reply_intent
from parsers.reply.strip import strip_reply

__all__ = ["Intent", "reply_intent", "strip_reply"]
