"""The consultant's compte d'activité page in the portal (routed by the portal at
/portal/ledger/, name "portal:ledger").

One month at a time (?month=YYYY-MM, default: the current month in Europe/Paris): the
balance today, the month's opening and closing balances, every movement with its source
document and the month's subtotals (PR-23: the consultant is informed monthly).
"""

import re
from datetime import date

from django.shortcuts import render
from django.utils import timezone

from apps.portal.views import consultant_required

from .selectors import (
    add_months,
    ledger_available,
    ledger_reserve_balance,
    ledger_statement,
    month_end,
    month_start,
)

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str | None) -> date | None:
    """'2026-03' -> date(2026, 3, 1); anything else (or an absurd year) -> None."""
    match = MONTH_RE.match((value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


@consultant_required
def ledger_page(request):
    consultant = request.consultant
    today = timezone.localdate()
    current = month_start(today)
    month = parse_month(request.GET.get("month")) or current
    statement = ledger_statement(consultant, start=month, end=month_end(month))
    next_month = add_months(month, 1)
    return render(
        request,
        "portal/ledger.html",
        {
            "consultant": consultant,
            "nav_active": "ledger",
            "statement": statement,
            "month": statement.months[0],
            "month_value": month.strftime("%Y-%m"),
            "previous_month": add_months(month, -1).strftime("%Y-%m"),
            # Nothing to see in the future (except entries dated ahead, reachable by ?month=).
            "next_month": next_month.strftime("%Y-%m") if next_month <= current else "",
            "current_month": current.strftime("%Y-%m"),
            "is_current_month": month == current,
            "available": ledger_available(consultant, at=today),
            "reserve": ledger_reserve_balance(consultant, at=today),
            "today": today,
        },
    )
