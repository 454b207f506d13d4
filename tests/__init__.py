"""Test suite of the invoice follow-up service."""
