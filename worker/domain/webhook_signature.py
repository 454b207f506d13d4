"""The webhook signature: HMAC-SHA256 over "timestamp.body", sent as `Dunning-Signature: t=...,v1=...` (Stripe's)."""

import hashlib
import hmac
from datetime import datetime

HEADER = "Dunning-Signature"
TOLERANCE_SECONDS = 300  # a receiver refuses older signatures: a captured request cannot be replayed later


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `{timestamp}.{body}` under the endpoint's secret."""
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: str, at: datetime, body: bytes) -> str:
    """The header value for a delivery made at `at`."""
    timestamp = int(at.timestamp())
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: datetime, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: some v1 matches in constant time, and the timestamp is within the tolerance."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts.get("t", [""])[0])
    except ValueError:
        return False
    if abs(now.timestamp() - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in parts.get("v1", []))
