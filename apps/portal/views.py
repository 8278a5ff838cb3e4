"""The consultant's self-service pages. Reads go through other apps' selectors only."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from apps.accounts.roles import user_is_consultant
from apps.consultants.selectors import consultant_get_for_user


def consultant_required(view):
    """Only consultants with a profile reach the portal; others get a 404 (nothing leaks)."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not user_is_consultant(request.user):
            raise Http404
        consultant = consultant_get_for_user(request.user)
        if consultant is None:
            raise Http404
        request.consultant = consultant
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@consultant_required
def dashboard(request):
    """Profile, employment terms and, at a glance, what needs the consultant: the money
    available on their compte d'activité, reports still to fill or send, claims in progress."""
    from apps.activity.models import ActivityReportStatus, ExpenseClaimStatus
    from apps.activity.selectors.expenses import expense_claims_for_user
    from apps.activity.selectors.reports import activity_reports_for_user
    from apps.ledger.selectors import ledger_available, ledger_reserve_balance

    consultant = request.consultant
    reports = activity_reports_for_user(request.user)
    claims = expense_claims_for_user(request.user)
    return render(
        request,
        "portal/dashboard.html",
        {
            "consultant": consultant,
            "nav_active": "dashboard",
            "available": ledger_available(consultant),
            "reserve": ledger_reserve_balance(consultant),
            "reports_to_send": reports.filter(status=ActivityReportStatus.DRAFT).count(),
            "reports_awaiting_client": reports.filter(
                status=ActivityReportStatus.SUBMITTED
            ).count(),
            "claims_in_progress": claims.filter(
                status__in=[ExpenseClaimStatus.SUBMITTED, ExpenseClaimStatus.APPROVED]
            ).count(),
        },
    )


@consultant_required
def contracts(request):
    """The consultant's own commercial and employment contracts, with their PDFs."""
    from apps.commercial_contracts.selectors import (
        commercial_contract_latest_terms,
        commercial_contracts_for_user,
    )
    from apps.employment_contracts.selectors import employment_contracts_for_user

    missions = [
        {"contract": contract, "terms": commercial_contract_latest_terms(contract)}
        for contract in commercial_contracts_for_user(request.user).order_by("-created_at")
    ]
    employment = employment_contracts_for_user(request.user).order_by("-start_date")
    return render(
        request,
        "portal/contracts.html",
        {"missions": missions, "employment_contracts": employment, "nav_active": "contracts"},
    )


@consultant_required
def contract_pdf(request, kind: str, pk: int):
    """Download the PDF of one of the consultant's own contracts; anyone else's is a 404."""
    from apps.commercial_contracts.selectors import commercial_contracts_for_user
    from apps.employment_contracts.selectors import employment_contracts_for_user

    selectors = {
        "commercial": commercial_contracts_for_user,
        "employment": employment_contracts_for_user,
    }
    if kind not in selectors:
        raise Http404
    contract = selectors[kind](request.user).filter(pk=pk).first()
    if contract is None or not contract.pdf_file:
        raise Http404
    return FileResponse(
        contract.pdf_file.open("rb"),
        as_attachment=True,
        filename=f"{contract.reference}.pdf",
        content_type="application/pdf",
    )
