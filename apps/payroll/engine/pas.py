"""Prélèvement à la source (income tax withheld by the employer), CGI 204 A and 204 H."""

from decimal import Decimal

from .money import ZERO, percent_of
from .rates import PasGrid
from .types import IncomeTax, IncomeTaxKind


def compute_income_tax(
    net_taxable: Decimal,
    *,
    grid: PasGrid,
    pas_rate: Decimal | None = None,
    short_contract: bool = False,
) -> IncomeTax:
    """PAS of the month on the net taxable (CGI 204 F).

    A personalised rate (DSN "CRM" return) takes precedence. Otherwise the neutral
    grid of the period applies to the whole base (CGI 204 H III), after the
    short-contract abatement (half a net-taxable SMIC) for contracts <= 2 months.
    """
    base = max(net_taxable, ZERO)
    if pas_rate is not None:
        return IncomeTax(
            kind=IncomeTaxKind.PERSONALISED,
            base=base,
            rate=pas_rate,
            amount=percent_of(base, pas_rate),
            source="personalised rate (DSN CRM return), CGI 204 H I",
        )
    if short_contract:
        base = max(base - grid.short_contract_abatement, ZERO)
    rate = grid.rate_for(base)
    return IncomeTax(
        kind=IncomeTaxKind.NEUTRAL,
        base=base,
        rate=rate,
        amount=percent_of(base, rate),
        source=f"neutral grid {grid.name} (from {grid.valid_from:%Y-%m-%d}): {grid.source}",
    )
