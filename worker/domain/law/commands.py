"""The JSON the staff commands `dunning collection-costs` and `dunning interest` print; the CLI only wires them."""

from datetime import date
from decimal import Decimal
from typing import Any

from worker.domain.law.collection_costs import collection_costs
from worker.domain.law.interest import statutory_interest
from worker.domain.money import parse_amount


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _rate(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def collection_costs_command(amount: str, consumer: bool, today: date) -> dict[str, Any]:
    """`dunning collection-costs AMOUNT [--consumer]`: the WIK costs on AMOUNT (all principals added up)."""
    result = collection_costs([parse_amount(amount)], consumer=consumer, on=today)
    return {
        "collection_costs": _money(result.amount),
        "principal": _money(result.principal),
        "consumer": consumer,
        "breakdown": [
            {
                "from": _money(t.lower),
                "to": None if t.upper is None else _money(t.upper),
                "rate": _rate(t.rate),
                "base": _money(t.base),
                "amount": _money(t.amount),
            }
            for t in result.tiers
        ],
        "minimum_applied": result.minimum_applied,
        "maximum_applied": result.maximum_applied,
        "minimum": _money(result.staffel.minimum),
        "maximum": _money(result.staffel.maximum),
        "vat_included": False,
        "notes": list(result.notes),
        "source": result.staffel.source.text,
    }


def interest_command(amount: str, start: date, end: date, consumer: bool) -> dict[str, Any]:
    """`dunning interest AMOUNT --from DATE --to DATE [--consumer]`: statutory interest with its periods."""
    result = statutory_interest(parse_amount(amount), start, end, consumer=consumer)
    return {
        "interest": _money(result.amount),
        "principal": _money(result.principal),
        "total": _money(result.principal + result.amount),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "consumer": consumer,
        "kind": "consumer (art. 6:119 BW)" if consumer else "commercial (art. 6:119a BW)",
        "day_count": result.day_count,
        "compounding": "yearly, at each anniversary of the start date",
        "periods": [
            {
                "from": p.start.isoformat(),
                "to": p.end.isoformat(),
                "days": p.days,
                "rate": _rate(p.rate),
                "base": _money(p.base),
                "interest": _money(p.amount),
                "verify": p.verify,
            }
            for p in result.periods
        ],
        "verify": any(p.verify for p in result.periods),
        "table_version": result.table_version,
    }
