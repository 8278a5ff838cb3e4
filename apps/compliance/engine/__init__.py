"""The compliance engine: plain facts in, findings out (pure Python, no ORM).

The contract apps build the facts from their models (commercial_contract_check,
employment_contract_check) and call check_commercial_contract / check_employment_contract.
Each finding cites its rule (portage-rules.md PR-xx, docs/contracts-law.md EC-xx), carries
the figures involved and a message translated in the language active at call time.
Thresholds come from rules.py (dated), lists from data.py. Counting rules: periods.py and
docs/compliance.md.
"""

from __future__ import annotations

from ..minimum import minimum_salary_check
from ..types import Finding, Severity
from .commercial import check_commercial_contract
from .common import duration_text, has_blocking
from .employment import check_employment_contract
from .facts import CommercialContractFacts, EmploymentContractFacts

__all__ = [
    "CommercialContractFacts",
    "EmploymentContractFacts",
    "Finding",
    "Severity",
    "check_commercial_contract",
    "check_employment_contract",
    "duration_text",
    "has_blocking",
    "minimum_salary_check",
]
