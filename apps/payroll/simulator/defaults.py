"""What the simulator forms and the API prefill for the user who asks."""

from __future__ import annotations

from ..engine import ContractType, Status


def simulation_defaults_for_user(user) -> dict:
    """Prefill of the simulator: a consultant's own terms, else the company's defaults.

    Keys: management_fee_rate, status, headcount, contract_type, classification_level,
    pas_rate (the consultant's personalised income tax rate; None: the neutral grid).
    A consultant's current (signed or active) employment contract gives the contract
    type, the level and, when set, the fee rate; their profile gives the status.
    """
    from apps.accounts.roles import user_is_consultant
    from apps.consultants.rules import management_fee_bounds
    from apps.core.selectors import company_profile_get

    profile = company_profile_get()
    defaults = {
        "management_fee_rate": management_fee_bounds()["default"],
        "status": Status.CADRE,
        "headcount": profile.headcount if profile else 20,
        "contract_type": ContractType.CDI,
        "classification_level": None,
        "pas_rate": None,
    }
    if user is None or not user.is_authenticated or not user_is_consultant(user):
        return defaults
    from apps.consultants.selectors import consultant_get_for_user
    from apps.employment_contracts.models import EmploymentContract
    from apps.employment_contracts.selectors import employment_contracts_for_consultant

    consultant = consultant_get_for_user(user)
    if consultant is None:
        return defaults
    defaults["status"] = (
        Status.NON_CADRE if consultant.status_cadre == "non_cadre" else Status.CADRE
    )
    if consultant.management_fee_rate is not None:
        defaults["management_fee_rate"] = consultant.management_fee_rate
    defaults["pas_rate"] = consultant.income_tax_rate
    current = (
        employment_contracts_for_consultant(consultant)
        .filter(status__in=[EmploymentContract.Status.SIGNED, EmploymentContract.Status.ACTIVE])
        .order_by("-start_date")
        .first()
    )
    if current is not None:
        defaults["contract_type"] = ContractType(current.kind.upper())
        defaults["classification_level"] = current.classification
        if current.management_fee_rate is not None:
            defaults["management_fee_rate"] = current.management_fee_rate
    return defaults
