"""Reads of payslips, scoped to who asks (DESIGN.md §3.10)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from apps.accounts.roles import user_is_back_office, user_is_consultant

from .models import Payslip, PayslipKind, PayslipLine

ZERO = Decimal("0.00")


def payslip_list() -> QuerySet[Payslip]:
    """Every payslip with its consultant and contract joined (lists need no extra query)."""
    return Payslip.objects.select_related("consultant", "employment_contract", "corrects")


def payslips_for_user(user) -> QuerySet[Payslip]:
    """Back-office: all; a consultant: only their own payslips; anyone else: nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Payslip.objects.none()
    if user_is_back_office(user):
        return payslip_list()
    if user_is_consultant(user):
        return payslip_list().filter(consultant__user=user)
    return Payslip.objects.none()


def payslip_get_for_user(*, user, pk: int) -> Payslip | None:
    """The payslip with its lines if this user may see it, else None (answer 404)."""
    return (
        payslips_for_user(user)
        .prefetch_related(Prefetch("lines", queryset=PayslipLine.objects.order_by("position")))
        .filter(pk=pk)
        .first()
    )


def payslip_lines(payslip: Payslip) -> QuerySet[PayslipLine]:
    return PayslipLine.objects.filter(payslip=payslip).order_by("position")


YTD_FIELDS = ("ytd_gross", "ytd_smic", "ytd_rgdu", "ytd_net_taxable", "ytd_employer_cost")


def payslips_ytd_by_contract(*, contract_ids, period) -> dict[int, dict[str, Decimal]]:
    """Year-to-date figures before `period`, per employment contract, for a whole batch in
    one query: those of the contract's latest payslip of the year (each payslip stores its
    cumulative figures, a corrective payslip the figures after the correction).

    The RGDU is regularised on the cumulative gross and SMIC (CSS D241-7): the engine needs
    these to compute this month's reduction.
    """
    rows = (
        Payslip.objects.filter(
            employment_contract_id__in=list(contract_ids),
            period__year=period.year,
            period__lt=period,
        )
        .order_by("employment_contract_id", "period", "sequence_number")
        .values_list("employment_contract_id", *YTD_FIELDS)
    )
    latest: dict[int, dict[str, Decimal]] = {}
    for contract_id, *values in rows:
        latest[contract_id] = dict(zip(YTD_FIELDS, values, strict=True))
    return latest


def regular_payslip_of(*, contract_ref: OuterRef, period) -> Subquery:
    """The regular payslip of a contract (given as an OuterRef) for a period, as a
    subquery: lets a caller link many rows to their payslips in one UPDATE."""
    return Subquery(
        Payslip.objects.filter(
            employment_contract=contract_ref, period=period, kind=PayslipKind.REGULAR
        ).values("pk")[:1]
    )
