"""Bytes to facts: invoices, replies, amounts and dates. Pure and deterministic."""
