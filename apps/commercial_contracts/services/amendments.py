"""Amendments (avenants): a new dated version of the terms, never a rewrite of the old ones."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError

from ..models import CommercialContract, CommercialContractVersion, ContractStatus, PricingKind
from ..selectors import commercial_contract_latest_terms
from ._common import STRUCTURAL_RULES, lock, raise_if_blocked, schedule_pdf, set_history_user
from .checks import commercial_contract_check

AMENDABLE = frozenset({ContractStatus.SIGNED, ContractStatus.ACTIVE})


def _validate(
    contract: CommercialContract,
    previous: CommercialContractVersion,
    *,
    effective_from: date,
    end_date: date | None,
    daily_rate,
    fixed_price,
    estimated_days,
    reason: str,
) -> None:
    errors: dict[str, object] = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the amendment.")
    if end_date is None and daily_rate is None and fixed_price is None and estimated_days is None:
        errors["__all__"] = _(
            "An amendment must change the end date, the price or the estimated days."
        )
    if previous.pricing_kind == PricingKind.DAILY_RATE and fixed_price is not None:
        errors["fixed_price"] = _("This contract is priced per day: change the daily rate.")
    if previous.pricing_kind == PricingKind.FIXED_PRICE and daily_rate is not None:
        errors["daily_rate"] = _("This contract has a fixed price: change the fixed price.")
    if effective_from is None:
        errors["effective_from"] = _("Give the date the amendment takes effect.")
    elif effective_from <= previous.effective_from:
        errors["effective_from"] = _(
            "Overlapping amendment: it must take effect after %(previous)s, when the terms of"
            " %(version)s took effect (%(date)s given)."
        ) % {
            "previous": previous.effective_from.isoformat(),
            "version": previous,
            "date": effective_from.isoformat(),
        }
    elif effective_from > contract.end_date:
        errors["effective_from"] = _(
            "The amendment must take effect within the contract period (%(start)s to"
            " %(end)s); %(date)s given."
        ) % {
            "start": contract.start_date.isoformat(),
            "end": contract.end_date.isoformat(),
            "date": effective_from.isoformat(),
        }
    if end_date is not None and effective_from is not None and end_date < effective_from:
        errors["end_date"] = _(
            "The new end date (%(end)s) cannot be before the amendment takes effect (%(date)s)."
        ) % {"end": end_date.isoformat(), "date": effective_from.isoformat()}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def commercial_contract_amend(
    *,
    contract: CommercialContract,
    by,
    effective_from: date,
    end_date: date | None = None,
    daily_rate: Decimal | None = None,
    fixed_price: Decimal | None = None,
    estimated_days: Decimal | None = None,
    reason: str,
) -> CommercialContractVersion:
    """Add amendment n° N+1 to a signed or active contract: terms left out are carried over
    from the latest version. PR-05 is re-checked with the new end date: a blocking finding
    refuses the amendment (nothing saved)."""
    locked = lock(contract)
    if locked.status not in AMENDABLE:
        if locked.status in CommercialContract.CLOSED:
            message = _("Contract %(reference)s is “%(status)s”: it can no longer be amended.")
        else:
            message = _(
                "Contract %(reference)s is “%(status)s”: only a signed or active contract can"
                " be amended; change the draft instead."
            )
        raise DomainError(
            message % {"reference": locked.reference, "status": locked.get_status_display()},
            code="contract_not_amendable",
        )
    previous = commercial_contract_latest_terms(locked)
    _validate(
        locked,
        previous,
        effective_from=effective_from,
        end_date=end_date,
        daily_rate=daily_rate,
        fixed_price=fixed_price,
        estimated_days=estimated_days,
        reason=reason,
    )
    version = CommercialContractVersion(
        contract=locked,
        number=previous.number + 1,
        effective_from=effective_from,
        start_date=previous.start_date,
        end_date=end_date or previous.end_date,
        pricing_kind=previous.pricing_kind,
        daily_rate=daily_rate if daily_rate is not None else previous.daily_rate,
        fixed_price=fixed_price if fixed_price is not None else previous.fixed_price,
        estimated_days=estimated_days if estimated_days is not None else previous.estimated_days,
        reason=reason.strip(),
        created_by=by,
    )
    version.full_clean()
    version.save()
    if version.end_date != locked.end_date:
        locked.end_date = version.end_date
        set_history_user(locked, by)
        locked.full_clean()
        locked.save(update_fields=["end_date", "updated_at"])
    findings = commercial_contract_check(contract=locked, on_date=effective_from)
    raise_if_blocked(findings, STRUCTURAL_RULES)
    version.findings = findings
    schedule_pdf(locked)
    return version
