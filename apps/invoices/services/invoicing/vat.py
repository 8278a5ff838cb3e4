"""VAT regime of an invoice and its totals per rate (invoicing.md §1 IV-10/IV-11, §3).

EN 16931 computes the VAT of each rate on the sum of the line totals at that rate (BR-CO-17:
VAT = base × rate, rounded), never line by line; the invoice totals are sums of the rounded
figures, so the PDF, the XML and the ledger agree to the cent.
"""

from dataclasses import dataclass
from decimal import Decimal

from apps.clients.countries import FRANCE, is_eu
from apps.core.money import quantize_eur

from ...models import Invoice, VatRegime

ZERO = Decimal("0.00")
STANDARD_RATE = Decimal("20.00")  # CGI 278


@dataclass(frozen=True)
class RegimeRule:
    default_rate: Decimal
    # UNCL5305 VAT category code of EN 16931 (BT-118 / BT-151).
    category: str
    # Legal wording printed when no VAT is charged (CGI 242 nonies A 13°), and the VATEX
    # code of the CEF list that goes with it in the XML (BT-121).
    exemption_reason: str
    exemption_reason_code: str


REGIME_RULES: dict[str, RegimeRule] = {
    VatRegime.DOMESTIC: RegimeRule(STANDARD_RATE, "S", "", ""),
    VatRegime.EU_REVERSE_CHARGE: RegimeRule(
        ZERO,
        "AE",
        "Autoliquidation — article 283-2 du CGI / article 196 de la directive 2006/112/CE",
        "VATEX-EU-AE",
    ),
    # Category G ("export outside the EU") rather than O ("outside the scope"): BR-O-02
    # forbids the seller's VAT number on an O invoice, yet CGI 242 nonies A requires it;
    # see docs/invoicing.md, "VAT regimes".
    VatRegime.EXPORT: RegimeRule(
        ZERO,
        "G",
        "Exonération de TVA — article 259-1 du CGI (prestation de services à un preneur"
        " établi hors de l'UE)",
        "VATEX-EU-G",
    ),
}


def vat_regime_for_client(client) -> str:
    """French client → French VAT; a business established in another EU state that gave its
    VAT number → reverse charge; outside the EU → no French VAT (CGI 259-1). An EU client
    without a VAT number is not identified as a taxable person: French VAT applies."""
    if client.country == FRANCE:
        return VatRegime.DOMESTIC
    if is_eu(client.country):
        return VatRegime.EU_REVERSE_CHARGE if client.vat_number else VatRegime.DOMESTIC
    return VatRegime.EXPORT


def regime_default_rate(regime: str) -> Decimal:
    return REGIME_RULES[regime].default_rate


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return quantize_eur(Decimal(quantity) * Decimal(unit_price))


def vat_breakdown(*, regime: str, lines) -> list[dict]:
    """One row per VAT rate, highest first: base = Σ line totals, VAT = base × rate rounded."""
    rule = REGIME_RULES[regime]
    bases: dict[Decimal, Decimal] = {}
    for line in lines:
        rate = Decimal(line.vat_rate).quantize(Decimal("0.01"))
        bases[rate] = bases.get(rate, ZERO) + Decimal(line.total_excl_tax)
    rows = []
    for rate in sorted(bases, reverse=True):
        base = quantize_eur(bases[rate])
        rows.append(
            {
                "rate": str(rate),
                "category": rule.category,
                "base": str(base),
                "vat": str(quantize_eur(base * rate / Decimal(100))),
                "exemption_reason": rule.exemption_reason,
                "exemption_reason_code": rule.exemption_reason_code,
            }
        )
    return rows


def invoice_totals_recompute(*, invoice: Invoice) -> Invoice:
    """Recompute a draft's breakdown and totals from its lines and save them."""
    lines = list(invoice.lines.all())
    breakdown = vat_breakdown(regime=invoice.vat_regime, lines=lines)
    invoice.vat_breakdown = breakdown
    invoice.total_excl_tax = quantize_eur(sum((Decimal(r["base"]) for r in breakdown), ZERO))
    invoice.total_vat = quantize_eur(sum((Decimal(r["vat"]) for r in breakdown), ZERO))
    invoice.total_incl_tax = invoice.total_excl_tax + invoice.total_vat
    invoice.save(
        update_fields=[
            "vat_breakdown",
            "total_excl_tax",
            "total_vat",
            "total_incl_tax",
            "updated_at",
        ]
    )
    return invoice
