"""Reading Authentication-Results as a careful receiver: only our MTA's header, only a proof for the From domain."""

import pytest

from mailer.authentication import aligned, sender_proof

OURS = "mx.provider.test"


@pytest.mark.parametrize(("headers", "sender", "proven", "reason"), [
    ([f"{OURS}; dmarc=pass header.from=acme.nl"], "billing@acme.nl", True, "dmarc=pass for acme.nl"),
    ([f"{OURS}; dmarc=pass header.from=other.nl"], "billing@acme.nl", False, "sender not authenticated: dmarc=pass"),
    ([f"{OURS}; dmarc=fail (p=reject) header.from=acme.nl"], "billing@acme.nl", False,
     "sender not authenticated: dmarc=fail"),
    ([f"{OURS}; dkim=pass header.d=acme.nl"], "billing@acme.nl", True, "dkim=pass d=acme.nl"),
    ([f"{OURS}; dkim=pass header.d=mail.acme.nl"], "billing@acme.nl", True, "dkim=pass d=mail.acme.nl"),
    ([f"{OURS}; dkim=pass header.i=@acme.nl"], "billing@acme.nl", True, "dkim=pass d=acme.nl"),
    ([f"{OURS}; dkim=pass header.d=sendgrid.net"], "billing@acme.nl", False, "sender not authenticated: dkim=pass"),
    ([f"{OURS}; dkim=fail header.d=acme.nl"], "billing@acme.nl", False, "sender not authenticated: dkim=fail"),
    ([f"{OURS}; spf=pass smtp.mailfrom=acme.nl"], "billing@acme.nl", False, "no proof of origin: mx.provider.test"),
    (["mx.attacker.test; dmarc=pass header.from=acme.nl"], "billing@acme.nl", False,
     "no proof of origin: no Authentication-Results from"),
    ([f"{OURS}; dmarc=fail header.from=acme.nl", f"{OURS}; dmarc=pass header.from=acme.nl"], "billing@acme.nl",
     False, "sender not authenticated: dmarc=fail"),  # the topmost is the receiving MTA's own
    (["garbage ;;; ==", f"{OURS.upper()}; dmarc=pass header.from=acme.nl"], "billing@acme.nl", True, "dmarc=pass"),
    ([], "billing@acme.nl", False, "no proof of origin"),
    ([f"{OURS}; dmarc=pass header.from=acme.nl"], None, False, "no proof of origin: the message has no From"),
])
def test_sender_proof(headers, sender, proven, reason):
    proof = sender_proof(headers, OURS, sender)
    assert proof.proven is proven
    assert proof.reason.startswith(reason)


def test_nothing_is_trusted_without_an_authserv_id():
    proof = sender_proof([f"{OURS}; dmarc=pass header.from=acme.nl"], None, "billing@acme.nl")
    assert not proof.proven and "DUNNING_AUTHSERV_ID" in proof.reason


@pytest.mark.parametrize(("signer", "sender", "expected"), [
    ("acme.nl", "acme.nl", True), ("acme.nl", "mail.acme.nl", True), ("mail.acme.nl", "acme.nl", True),
    ("notacme.nl", "acme.nl", False), ("mail.acme.nl", "billing.acme.nl", False), ("nl", "acme.nl", False),
])
def test_alignment(signer, sender, expected):
    assert aligned(signer, sender) is expected
