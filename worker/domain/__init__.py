"""Pure domain: invoices, ladder, timeline decisions. Standard library only."""
