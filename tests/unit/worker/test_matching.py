"""Matching inbound mail to invoices: the strongest evidence wins, and several businesses means review."""

from worker.domain.matching import Candidate, Match, Unmatched, match_message


def test_token_beats_weaker_evidence():
    found = match_message({"reply_token": [Candidate(1, 10)], "sender_address": [Candidate(2, 10)]})
    assert found == Match((1,), "reply_token", 10)


def test_falls_through_to_the_first_rule_with_candidates():
    found = match_message({"reply_token": [], "in_reply_to": [], "invoice_number": [Candidate(5, 3), Candidate(4, 3)]})
    assert found == Match((4, 5), "invoice_number", 3)


def test_two_businesses_are_never_guessed_between():
    found = match_message({"invoice_number": [Candidate(1, 1), Candidate(2, 2)]})
    assert isinstance(found, Unmatched) and "2 businesses" in found.reason


def test_no_evidence_is_unmatched():
    assert isinstance(match_message({}), Unmatched)
