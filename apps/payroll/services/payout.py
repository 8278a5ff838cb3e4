"""Pay-out requests: the consultant decides how much of the compte d'activité becomes salary
this month (IDCC 3219: the salary is paid from the amount the consultant chooses, at most what
is available). The monthly run reads the request; without one it pays out everything.

A request is checked when it is made, with the same engine and the same figures as the run:
at most the available balance, and enough to reach the conventional minimum of the contract
(unless the company tops up). The run checks again on its day, when the balance may differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.selectors import company_profile_get
from apps.ledger.selectors import add_months, ledger_available
from apps.payroll.engine import RatesNotFound
from apps.payroll.models import PayoutRequest
from apps.payroll.selectors import (
    payroll_contracts_of_consultant,
    payroll_period_paid,
)
from apps.payslips.selectors import payslips_ytd_by_contract

from .payslip_build import BelowMinimum, BuiltPayslip, PayrollError, payslip_build

ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1000000.00")


class PayoutRequestError(PayrollError):
    code = "payout_request_invalid"


@dataclass(frozen=True)
class PayoutPreview:
    """What a month would pay from `amount` (None: the whole balance), before the run."""

    period: date
    available: Decimal  # on the compte d'activité today
    requested: Decimal | None
    amount: Decimal  # what the payslip would take: min(requested, available)
    contract: object | None
    built: BuiltPayslip | None
    error: str  # why no payslip would be made (nothing available, below the minimum, ...)

    @property
    def remainder(self) -> Decimal:
        """What stays on the account after the payslip and its provisions."""
        if self.built is None:
            return self.available
        composition = self.built.composition
        return self.available - composition.employer_cost - composition.provision_loaded


def payout_period(consultant, today: date | None = None) -> date:
    """The month a request made today is for: this month, or the next one once this
    month's payslip is made."""
    today = today or timezone.localdate()
    period = today.replace(day=1)
    if payroll_period_paid(consultant_id=consultant.pk, period=period):
        period = add_months(period, 1)
    return period


def payout_preview(*, consultant, period: date, requested: Decimal | None) -> PayoutPreview:
    """The payslip a request would give, computed as the run will (no writes)."""
    available = ledger_available(consultant)
    amount = available if requested is None else min(requested, available)
    contracts = payroll_contracts_of_consultant(consultant_id=consultant.pk, period=period)
    contract = contracts[0] if contracts else None

    def preview(built=None, error="") -> PayoutPreview:
        return PayoutPreview(
            period=period,
            available=available,
            requested=requested,
            amount=amount,
            contract=contract,
            built=built,
            error=error,
        )

    if contract is None:
        return preview(error=_("No employment contract to pay in %(month)s.") % _month(period))
    if amount <= 0:
        return preview(
            error=_("Nothing available on the compte d'activité (%(amount)s €).")
            % {"amount": available}
        )
    company = company_profile_get()
    ytd = payslips_ytd_by_contract(contract_ids=[contract.pk], period=period).get(contract.pk)
    try:
        built = payslip_build(
            contract=contract,
            period=period,
            available=amount,
            headcount=company.headcount if company else 0,
            ytd=ytd,
        )
    except BelowMinimum as error:
        return preview(error=str(error))
    except RatesNotFound:
        # Early January, before the new year's parameters are published: no preview yet,
        # and no request either (payout_request_check refuses with this message).
        return preview(
            error=_(
                "The payroll parameters of %(month)s are not published yet: the preview"
                " and the request open once they are."
            )
            % _month(period)
        )
    return preview(built=built)


def _month(period: date) -> dict:
    return {"month": period.strftime("%m/%Y")}


@transaction.atomic
def payout_request_set(*, consultant, period: date, amount: Decimal, by) -> PayoutRequest:
    """Record (or change) the amount to pay out for `period`; refused with the figures when
    the month is already paid, the amount exceeds the balance or misses the minimum."""
    period = period.replace(day=1)
    payout_request_check(consultant=consultant, period=period, amount=amount)
    request, _created = PayoutRequest.objects.select_for_update().update_or_create(
        consultant=consultant,
        period=period,
        defaults={"amount": amount, "requested_by": by},
    )
    return request


def payout_request_check(*, consultant, period: date, amount: Decimal) -> PayoutPreview:
    """Raise PayoutRequestError unless `amount` can be asked for `period` (no writes)."""
    period = period.replace(day=1)
    if not isinstance(amount, Decimal):
        raise TypeError("amount must be a Decimal")
    if not ZERO < amount <= MAX_AMOUNT:
        raise PayoutRequestError(
            _("The amount must be between 0.01 € and %(max)s €.") % {"max": MAX_AMOUNT},
            fields={"amount": [_("Enter a positive amount.")]},
        )
    _check_open(consultant, period)
    preview = payout_preview(consultant=consultant, period=period, requested=amount)
    if amount > preview.available:
        raise PayoutRequestError(
            _(
                "You can ask at most the %(available)s € available on your activity account"
                " today (asked: %(amount)s €)."
            )
            % {"available": preview.available, "amount": amount},
            fields={"amount": [_("Above the available balance.")]},
        )
    if preview.error:
        raise PayoutRequestError(preview.error, fields={"amount": [preview.error]})
    return preview


@transaction.atomic
def payout_request_cancel(*, consultant, period: date, by) -> bool:
    """Back to the default (the whole balance); False when there was no request."""
    period = period.replace(day=1)
    _check_open(consultant, period)
    deleted, _rows = PayoutRequest.objects.filter(consultant=consultant, period=period).delete()
    return bool(deleted)


def _check_open(consultant, period: date) -> None:
    if payroll_period_paid(consultant_id=consultant.pk, period=period):
        raise PayoutRequestError(
            _("The payslip of %(month)s is already made: the request can no longer change.")
            % _month(period),
            code="payout_period_closed",
        )
    if period < timezone.localdate().replace(day=1):
        raise PayoutRequestError(
            _("%(month)s is over: ask for the current month or a later one.") % _month(period),
            code="payout_period_closed",
            fields={"period": [_("This month is over.")]},
        )
