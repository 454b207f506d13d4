"""The webhook signature as a receiver checks it: HMAC-SHA256 over "t.body", within five minutes."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from worker.domain.webhook_signature import sign, verify

AT = datetime(2027, 2, 1, 9, tzinfo=UTC)
BODY = b'{"type":"payment.recorded"}'


def test_the_header_is_the_hmac_of_timestamp_dot_body_as_stripe_writes_it():
    header = sign("whsec_x", AT, BODY)
    t = int(AT.timestamp())
    expected = hmac.new(b"whsec_x", f"{t}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={t},v1={expected}"


def test_a_receiver_accepts_it_within_the_tolerance_only():
    header = sign("whsec_x", AT, BODY)
    assert verify("whsec_x", header, BODY, AT + timedelta(seconds=299))
    assert not verify("whsec_x", header, BODY, AT + timedelta(seconds=301))  # a replay later
    assert not verify("whsec_x", header, BODY + b" ", AT)
    assert not verify("whsec_y", header, BODY, AT)
    assert not verify("whsec_x", "t=abc,v1=00", BODY, AT)
    assert not verify("whsec_x", "", BODY, AT)


def test_a_rotated_secret_can_send_several_v1_values():
    t = int(AT.timestamp())
    header = f"t={t},v1=deadbeef,{sign('whsec_x', AT, BODY).split(',')[1]}"
    assert verify("whsec_x", header, BODY, AT)
