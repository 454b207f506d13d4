"""Unit tests of the invoice parser, amounts and dates."""
