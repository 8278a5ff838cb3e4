"""Dated parameters of invoicing: the half-yearly late-payment penalty rate (TOML file)."""

import logging
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

RATES_FILE = Path(__file__).with_name("late_payment_rates.toml")


@dataclass(frozen=True)
class LatePaymentRate:
    valid_from: date
    valid_to: date
    rate: Decimal
    source: str
    verified: bool
    # True when no row covers the date and the latest known value is used instead.
    fallback: bool = False


@cache
def _rows() -> tuple[LatePaymentRate, ...]:
    with RATES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    rows = [
        LatePaymentRate(
            valid_from=row["valid_from"],
            valid_to=row["valid_to"],
            rate=Decimal(row["rate"]),
            source=row["source"],
            verified=bool(row.get("verified", False)),
        )
        for row in data["rates"]
    ]
    return tuple(sorted(rows, key=lambda row: row.valid_from))


def late_payment_rate_on(day: date) -> LatePaymentRate:
    """The penalty rate for an invoice issued on `day` (L441-10 II: the rate of the
    half-year). After the last known half-year, the latest value, flagged `fallback`."""
    rows = _rows()
    for row in rows:
        if row.valid_from <= day <= row.valid_to:
            return row
    latest = rows[-1]
    if day < rows[0].valid_from:
        raise LookupError(f"No late-payment rate known for {day.isoformat()}.")
    logger.warning(
        "No late-payment rate for %s in %s: using %s %% of %s (verify).",
        day.isoformat(),
        RATES_FILE.name,
        latest.rate,
        latest.valid_from.isoformat(),
    )
    return LatePaymentRate(
        valid_from=latest.valid_from,
        valid_to=latest.valid_to,
        rate=latest.rate,
        source=latest.source,
        verified=False,
        fallback=True,
    )
