"""The compliance check of a commercial contract: facts from the models, rules in
apps.compliance.engine (pure Python)."""

from datetime import date

from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren

from apps.compliance.engine import CommercialContractFacts, Finding, check_commercial_contract
from apps.compliance.periods import period_last_day
from apps.consultants.rules import consultant_eligibility

from ..models import CommercialContract
from ..selectors import (
    commercial_contract_latest_terms,
    commercial_contract_terms_at,
    consultant_client_cumulated_days,
    consultant_client_share_12m,
)


def client_identifier_ok(client) -> bool:
    """PR-01: a French client has a valid SIREN; a foreign one a registration or VAT number."""
    if client.is_french:
        try:
            stdnum_siren.validate(client.siren or "")
        except StdnumError:
            return False
        return True
    return bool(client.registration_id or client.vat_number)


def share_evaluation_date(contract: CommercialContract, on_date: date) -> date:
    """Dependence is judged on the 12 months ending at the later of `on_date` and the end of
    the contract's first year (or its planned end if shorter), so that a planned prestation
    is weighed with its own planned turnover, not only with the past."""
    first_year_end = period_last_day(contract.start_date, 12)
    return max(on_date, min(contract.end_date, first_year_end))


def commercial_contract_facts(
    *, contract: CommercialContract, on_date: date | None = None
) -> CommercialContractFacts:
    """The facts the engine checks, from the stored contract (and its other contracts with the
    same client). Terms: those in force on `on_date`, or the original terms before the start."""
    on_date = on_date or timezone.localdate()
    terms = commercial_contract_terms_at(
        contract=contract, on_date=max(on_date, contract.start_date)
    ) or commercial_contract_latest_terms(contract)
    consultant = contract.consultant
    client = contract.client
    cumulated, first_start = consultant_client_cumulated_days(consultant=consultant, client=client)
    eligibility = consultant_eligibility(consultant, on=on_date)
    return CommercialContractFacts(
        on_date=on_date,
        # ClientCompany has no "private person" legal form at all (clients.LegalForm, PR-01).
        client_is_company=bool(client.legal_form),
        client_identifier_ok=client_identifier_ok(client),
        activity_code=contract.activity_category.code,
        occasional_task_justification=contract.occasional_task_justification,
        not_replacing_striker=contract.not_replacing_striker,
        dangerous_work=contract.dangerous_work,
        start_date=contract.start_date,
        end_date=contract.end_date,
        cumulated_days_with_client=cumulated,
        first_start_with_client=first_start or contract.start_date,
        pricing_kind=terms.pricing_kind,
        daily_rate=terms.daily_rate,
        fixed_price=terms.fixed_price,
        estimated_days_per_month=terms.estimated_days_per_month,
        management_fee_rate=consultant.management_fee_rate,
        consultant_status_cadre=str(consultant.status_cadre),
        # The classification lives on the employment contract (a layer above this app).
        consultant_classification=None,
        client_share_12m=consultant_client_share_12m(
            consultant=consultant,
            client=client,
            on_date=share_evaluation_date(contract, on_date),
        ),
        consultant_eligible=eligibility.eligible,
        consultant_eligibility_complete=eligibility.complete,
        consultant_eligibility_message=eligibility.message,
    )


def commercial_contract_check(
    *, contract: CommercialContract, on_date: date | None = None
) -> list[Finding]:
    """Every finding (BLOCK and WARN) of the compliance rules on this contract."""
    return check_commercial_contract(commercial_contract_facts(contract=contract, on_date=on_date))
