"""Generators of test documents (invoice PDFs)."""
