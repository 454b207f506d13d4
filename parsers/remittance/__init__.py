"""Remittance / payment advice: invoice numbers and amounts paid, from a body text, CSV, XLSX or PDF."""

from parsers.remittance.detect import looks_like_remittance
from parsers.remittance.document import remittance_lines
from parsers.remittance.model import RemittanceLine, UnreadableRemittance
from parsers.remittance.references import invoice_numbers_in

__all__ = ["RemittanceLine", "UnreadableRemittance", "invoice_numbers_in", "looks_like_remittance",
           "remittance_lines"]
