"""Unit tests for the letter templates: rendering, lint, filters, built-ins and PDF conversion."""
