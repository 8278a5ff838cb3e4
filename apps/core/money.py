"""Money helpers. Money is always Decimal, rounded half-up to the cent (DESIGN.md §3.3)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Convert to Decimal, refusing floats: a float has already lost the cents."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a Decimal, an int or a string.")
    return value if isinstance(value, Decimal) else Decimal(value)


def quantize_eur(value: Decimal | int | str) -> Decimal:
    """Round an amount to the cent, half-up (the French payroll and invoicing convention)."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def sum_to_cent(total: Decimal | None) -> Decimal:
    """A database SUM of amounts, to the cent: SQLite adds decimals in floating point (0.02
    came back as 0.0199999999998681), PostgreSQL exactly; None (no row) is 0.00."""
    return quantize_eur(total if total is not None else 0)


def percent_of(amount: Decimal, rate_percent: Decimal) -> Decimal:
    """`rate_percent` % of `amount`, rounded to the cent."""
    return quantize_eur(to_decimal(amount) * to_decimal(rate_percent) / Decimal(100))
