"""Matching proposals for bank statement lines (finance confirms them, possibly edited).

1. Invoice numbers found in the reference (F-2026-000012, tolerant to missing or other
   separators: F2026000012, F 2026 000012, f_2026_000012) → those invoices, if still open.
2. Else the open invoices whose open amount equals the line's amount exactly; when several,
   only those whose client's name appears in the counterparty, if that leaves exactly one.
3. Else unmatched.
"""

import re
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ...models import Invoice
from ...selectors.payments import annotated_open_amount, open_invoices_with_amounts

INVOICE_NUMBER = re.compile(r"(?<![A-Z0-9])F[\s\-_/.]?(20\d{2})[\s\-_/.]?(\d{6})(?!\d)", re.I)
REASON_NUMBER = _("invoice number in the reference")
REASON_AMOUNT = _("same amount")
REASON_AMOUNT_AND_NAME = _("same amount and client name")


def invoice_numbers_in(text: str) -> list[str]:
    """Invoice numbers in a free text, normalised to F-YYYY-NNNNNN, in order, once each."""
    found: list[str] = []
    for year, number in INVOICE_NUMBER.findall(text or ""):
        normalised = f"F-{year}-{number}"
        if normalised not in found:
            found.append(normalised)
    return found


def _name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


class Matcher:
    """Loads the open invoices once, then proposes for each line without more queries."""

    def __init__(self):
        self.invoices = list(open_invoices_with_amounts())
        self.by_number = {invoice.number: invoice for invoice in self.invoices}
        self.by_amount: dict[Decimal, list[Invoice]] = {}
        for invoice in self.invoices:
            invoice.open_amount = annotated_open_amount(invoice)
            if invoice.open_amount > 0:
                self.by_amount.setdefault(invoice.open_amount, []).append(invoice)

    def propose(self, *, amount: Decimal, counterparty: str, reference: str):
        """(invoices, reason) — an empty list when nothing matches."""
        numbered = [
            self.by_number[number]
            for number in invoice_numbers_in(reference)
            if number in self.by_number and self.by_number[number].open_amount > 0
        ]
        if numbered:
            return numbered, REASON_NUMBER
        same_amount = self.by_amount.get(amount, [])
        if len(same_amount) == 1:
            return same_amount, REASON_AMOUNT
        payer = _name(counterparty)
        if payer and same_amount:
            named = [inv for inv in same_amount if _name(inv.client.legal_name) in payer]
            if len(named) == 1:
                return named, REASON_AMOUNT_AND_NAME
        return [], ""
