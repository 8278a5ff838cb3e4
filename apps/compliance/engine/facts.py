"""The facts the contract apps give the engine (plain values, no ORM)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

PRICING_KINDS = ("daily_rate", "fixed_price")
CONTRACT_KINDS = ("cdi", "cdd")
TERM_TYPES = ("precise", "imprecise")
WORKING_TIME_MODES = ("days", "hours")


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed} (got {value!r})")


@dataclass(frozen=True)
class CommercialContractFacts:
    on_date: date
    client_is_company: bool
    client_identifier_ok: bool  # French client with valid SIREN, or foreign company id
    activity_code: str
    occasional_task_justification: str
    not_replacing_striker: bool | None  # None = not declared
    dangerous_work: bool
    start_date: date
    end_date: date | None
    # calendar days of all prestations of this consultant with this client incl. this one,
    # all amendments, overlaps counted once
    cumulated_days_with_client: int
    first_start_with_client: date
    pricing_kind: str  # "daily_rate" | "fixed_price"
    daily_rate: Decimal | None
    fixed_price: Decimal | None
    estimated_days_per_month: Decimal | None
    management_fee_rate: Decimal
    consultant_status_cadre: str
    consultant_classification: int | None  # 1..4
    client_share_12m: Decimal | None  # 0..100 %
    consultant_eligible: bool
    consultant_eligibility_complete: bool
    consultant_eligibility_message: str

    def __post_init__(self) -> None:
        _check_choice("pricing_kind", self.pricing_kind, PRICING_KINDS)


@dataclass(frozen=True)
class EmploymentContractFacts:
    on_date: date
    kind: str  # "cdi" | "cdd"
    start_date: date
    end_date: date | None  # current planned end incl. renewals, WITHOUT the prospection extension
    term_type: str  # "precise" | "imprecise"
    minimum_duration_months: int | None
    renewal_count: int  # renewals signed, plus the one being checked if any
    prospection_extension_days: int  # PR-13 postponement beyond end_date (0 = none)
    cdd_reason: str
    end_of_contract_indemnity_rate: Decimal | None
    linked_commercial_contracts: int
    classification: int
    months_at_level_1: int
    working_time_mode: str  # "days" | "hours"
    days_per_year: int | None
    consultant_eligible: bool
    consultant_eligibility_complete: bool
    consultant_eligibility_message: str
    expected_daily_rate: Decimal | None
    expected_days_per_month: Decimal | None
    management_fee_rate: Decimal
    status_cadre: str

    def __post_init__(self) -> None:
        _check_choice("kind", self.kind, CONTRACT_KINDS)
        _check_choice("term_type", self.term_type, TERM_TYPES)
        _check_choice("working_time_mode", self.working_time_mode, WORKING_TIME_MODES)
