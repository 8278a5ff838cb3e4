"""Reads on employment contracts, scoped to who asks (DESIGN.md §3.10)."""

from django.db.models import Prefetch, QuerySet

from apps.accounts.roles import user_is_back_office, user_is_consultant

from .models import EmploymentContract, EmploymentContractRenewal


def employment_contract_list() -> QuerySet[EmploymentContract]:
    """Every contract with what lists and documents show, in a constant number of queries."""
    from apps.commercial_contracts.models import CommercialContract

    return EmploymentContract.objects.select_related("consultant").prefetch_related(
        Prefetch("renewals", queryset=EmploymentContractRenewal.objects.order_by("number")),
        Prefetch(
            "commercial_contracts",
            queryset=CommercialContract.objects.select_related("client").order_by("pk"),
        ),
    )


def employment_contracts_for_user(user) -> QuerySet[EmploymentContract]:
    """Back-office: all; a consultant: only their own contracts; anyone else: nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EmploymentContract.objects.none()
    if user_is_back_office(user):
        return employment_contract_list()
    if user_is_consultant(user):
        return employment_contract_list().filter(consultant__user=user)
    return EmploymentContract.objects.none()


def employment_contracts_for_consultant(consultant) -> QuerySet[EmploymentContract]:
    """One consultant's contracts, newest first (portal pages)."""
    return employment_contract_list().filter(consultant=consultant)


def employment_contract_get_for_user(*, user, pk: int) -> EmploymentContract | None:
    """The contract if this user may see it, else None (the portal answers 404)."""
    return employment_contracts_for_user(user).filter(pk=pk).first()


def employment_contracts_running_cdd() -> QuerySet[EmploymentContract]:
    """Signed or active CDDs with a precise term (daily job). Their end date lives in the
    renewals, so the caller applies its date window in Python on the prefetched rows."""
    return employment_contract_list().filter(
        kind=EmploymentContract.Kind.CDD,
        term_type=EmploymentContract.TermType.PRECISE,
        status__in=[EmploymentContract.Status.SIGNED, EmploymentContract.Status.ACTIVE],
    )


def employment_contract_renewals(contract: EmploymentContract) -> QuerySet:
    return EmploymentContractRenewal.objects.filter(contract=contract).order_by("number")
