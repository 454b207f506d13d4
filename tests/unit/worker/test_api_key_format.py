"""API key format: the public prefix shown in listings, and the stored hash."""

import hashlib

from worker.usecases.api_keys import hash_api_key, public_prefix


def test_the_prefix_is_the_first_eight_characters_after_dk():
    key = "dk_Ab3-_xyZ" + "q" * 35
    assert public_prefix(key) == "Ab3-_xyZ"


def test_strings_that_are_not_our_keys_have_no_prefix():
    assert public_prefix("Ab3-_xyZqqqqqqqqqqqqqq") is None  # no dk_
    assert public_prefix("dk_short") is None
    assert public_prefix("") is None


def test_only_a_sha256_is_stored():
    assert hash_api_key("dk_secret") == hashlib.sha256(b"dk_secret").hexdigest()
