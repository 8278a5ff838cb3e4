"""Pure-Python payroll engine (no Django, no ORM): see docs/payroll.md.

Typed dataclasses in and out, Decimal amounts rounded half-up to the cent, parameters
read per pay period from apps/payroll/rates/<year>.toml.
"""

from .inversion import InversionError, gross_from_employer_cost, gross_from_net
from .labels import GROUP_LABELS, LINE_LABELS, group_label
from .pas import compute_income_tax
from .payslip import compute_payslip
from .portage import (
    MinimumCheck,
    PortageComposition,
    ProvisionKind,
    check_minimum_salary,
    compose_at_base_salary,
    compose_portage_salary,
    salary_components,
)
from .rates import (
    Rates,
    RatesError,
    RatesFileError,
    RatesNotFound,
    clear_rates_cache,
    load_rates,
)
from .rgdu import compute_rgdu, rgdu_coefficient
from .types import (
    ContractType,
    Group,
    IncomeTax,
    IncomeTaxKind,
    PayslipInput,
    PayslipLine,
    PayslipResult,
    RgduResult,
    Rounding,
    Status,
)

__all__ = [
    "GROUP_LABELS",
    "LINE_LABELS",
    "ContractType",
    "Group",
    "IncomeTax",
    "IncomeTaxKind",
    "InversionError",
    "MinimumCheck",
    "PayslipInput",
    "PayslipLine",
    "PayslipResult",
    "PortageComposition",
    "ProvisionKind",
    "Rates",
    "RatesError",
    "RatesFileError",
    "RatesNotFound",
    "RgduResult",
    "Rounding",
    "Status",
    "check_minimum_salary",
    "clear_rates_cache",
    "compose_at_base_salary",
    "compose_portage_salary",
    "compute_income_tax",
    "compute_payslip",
    "compute_rgdu",
    "gross_from_employer_cost",
    "gross_from_net",
    "group_label",
    "load_rates",
    "rgdu_coefficient",
    "salary_components",
]
