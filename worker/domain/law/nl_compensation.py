"""The Dutch minimum compensation for collection costs between businesses (art. 6:96 lid 4 BW), as data."""

from decimal import Decimal

from worker.domain.law.source import Source

# domain.md: "Businesses (B2B): at least EUR 40 is due without a reminder from the day after the due date
# (6:96 lid 4)". Claimed once per unpaid invoice, as Directive 2011/7/EU art. 6 (which lid 4 implements) reads.
B2B_MINIMUM = Decimal("40")
B2B_SOURCE = Source("art. 6:96 lid 4 BW (Directive 2011/7/EU art. 6); shared/domain.md")
