"""What must never reach a log line or an operator endpoint: secrets by key name and passwords inside URLs."""

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"
# Keys whose values are secrets or message content (a body or raw message may carry personal data).
_SECRET_KEY = re.compile(r"pass(word|wd)?$|passphrase|api[_-]?key|authorization|secret|token|cookie|"
                         r"^body$|^raw$|_body$|_raw$|^content$|credential", re.IGNORECASE)
# scheme://user:password@host -> scheme://user:***@host (same result as mailer.urls.redact_url)
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*:)[^\s@/]*(?P<at>@)")
# Our own API keys (worker.usecases.api_keys.KEY_START) wherever they appear in free text.
_API_KEY = re.compile(r"\bdk_[A-Za-z0-9_-]{8,}")


def secret_key(name: str) -> bool:
    return bool(_SECRET_KEY.search(name))


def mask_text(text: str) -> str:
    """Passwords in URLs and our API keys replaced, the rest of the text kept."""
    return _API_KEY.sub("dk_***", _URL_PASSWORD.sub(r"\g<head>***\g<at>", text))


def scrub(value: Any) -> Any:
    """`value` with secret keys redacted and URL passwords masked, through nested dicts, lists and tuples."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: REDACTED if isinstance(k, str) and secret_key(k) else scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(v) for v in value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value
