"""Decimal helpers: every amount is rounded half-up to the cent, per line (DESIGN §3.3)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def to_decimal(value: object, name: str) -> Decimal:
    """Accept Decimal or int; refuse float (binary rounding) and anything else."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal (got {type(value).__name__}: {value!r})")
    return Decimal(value)


def round_cent(amount: Decimal) -> Decimal:
    """Round to the cent, half up (0.005 -> 0.01), as payslips do."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, rate_pct: Decimal) -> Decimal:
    """base x rate %, rounded to the cent: the amount of one payslip line."""
    return round_cent(base * rate_pct / HUNDRED)


def cents(amount: Decimal) -> int:
    """Amount in whole cents (the amount must already be rounded to the cent)."""
    return int(amount * 100)


def from_cents(value: int) -> Decimal:
    return Decimal(value) / 100
