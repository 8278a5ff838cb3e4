"""The consultant's payslips in the portal: the list by year and the PDF download.

Only the consultant's own payslips are reachable: someone else's id is a 404 (nothing leaks).
"""

from decimal import Decimal
from itertools import groupby

from django.http import FileResponse, Http404
from django.shortcuts import render

from apps.portal.views import consultant_required

from .access import payslip_pdf_response, payslips_for_user

YEAR_TOTALS = ("gross", "net_paid", "employer_cost")


def _years(payslips) -> list[dict]:
    years = []
    for year, members in groupby(payslips, key=lambda payslip: payslip.period.year):
        members = list(members)
        totals = {
            name: sum((getattr(payslip, name) for payslip in members), Decimal("0.00"))
            for name in YEAR_TOTALS
        }
        years.append({"year": year, "payslips": members, "totals": totals})
    return years


@consultant_required
def payslips(request):
    """Every payslip of the consultant, newest first, grouped by year with yearly totals."""
    rows = (
        payslips_for_user(request.user)
        .select_related(None)
        .only(
            "pk",
            "number",
            "kind",
            "period",
            "gross",
            "net_paid",
            "employer_cost",
            "pdf_file",
            "consultant_id",
        )
    )
    return render(
        request,
        "portal/payslips.html",
        {"years": _years(rows.order_by("-period", "-number")), "nav_active": "payslips"},
    )


@consultant_required
def payslip_pdf(request, pk: int) -> FileResponse:
    payslip = payslips_for_user(request.user).filter(pk=pk).first()
    if payslip is None:
        raise Http404
    return payslip_pdf_response(payslip, as_attachment=True)
