"""Payment terms: legal maxima as dated parameters, and the due-date computation.

Code de commerce L441-10 I (numbered L441-6 before ordonnance 2019-359 of 24 April 2019):
- without an agreement, payment is due 30 days after the service is performed;
- an agreed term may not exceed 60 days from the invoice date, or 45 days end of month.

The maxima live in a dated table, not in code: if the law changes, add a row with its
`valid_from` (the rules in force on a date are the last row starting on or before it).
"""

import calendar
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentTermsKind(models.TextChoices):
    NET = "net", _("days net from the invoice date")
    END_OF_MONTH = "end_of_month", _("days end of month")


PAYMENT_TERMS_RULES: list[dict] = [
    {
        # Loi 2008-776 (LME) of 4 August 2008 set both caps; contracts signed from
        # 1 January 2009 had to comply. Renumbered L441-10 in 2019 without change.
        "valid_from": date(2008, 8, 4),
        "max_days": {PaymentTermsKind.NET: 60, PaymentTermsKind.END_OF_MONTH: 45},
        "default_kind": PaymentTermsKind.NET,
        "default_days": 30,
        "source": "Code de commerce L441-10 I",
    },
]

# Defaults for a new client: the latest row's (30 days, the legal term without agreement).
DEFAULT_PAYMENT_TERMS_KIND = PAYMENT_TERMS_RULES[-1]["default_kind"]
DEFAULT_PAYMENT_TERMS_DAYS = PAYMENT_TERMS_RULES[-1]["default_days"]


def payment_terms_rules_on(day: date) -> dict:
    """The row of PAYMENT_TERMS_RULES in force on `day`."""
    in_force = [row for row in PAYMENT_TERMS_RULES if row["valid_from"] <= day]
    if not in_force:
        raise LookupError(f"No payment terms rule in force on {day.isoformat()}.")
    return max(in_force, key=lambda row: row["valid_from"])


def payment_terms_max_days(kind: str, *, on: date) -> int:
    return payment_terms_rules_on(on)["max_days"][kind]


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def due_date(*, issue_date: date, kind: str, days: int) -> date:
    """Due date of an invoice issued on `issue_date` under the given terms.

    - net: issue date + N days;
    - end of month: last day of the issue month, then + N days.

    For "45 days end of month" practice admits two readings: end of the issue month then
    + 45 days, or + 45 days then end of that month (invoicing.md §4). We apply the first one
    everywhere, so one client's invoices are all computed the same way, and invoices print
    the resulting due date explicitly (L441-9), so the client never has to guess.
    """
    if kind == PaymentTermsKind.NET:
        return issue_date + timedelta(days=days)
    if kind == PaymentTermsKind.END_OF_MONTH:
        return end_of_month(issue_date) + timedelta(days=days)
    raise ValueError(f"Unknown payment terms kind: {kind!r}")
