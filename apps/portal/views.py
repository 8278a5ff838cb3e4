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
    return render(
        request,
        "portal/dashboard.html",
        {"consultant": request.consultant, "nav_active": "dashboard"},
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
