"""Factories and helpers for employment contracts.

`cdd_create(...)` / `cdi_create(...)` go through the service (reference, validation, checks):
use them to test behaviour. `signed(contract, user)` moves a draft to "signed" through the
services, acknowledging the warnings. `cdd_on_two_prestations()` is a CDD with one warning
to acknowledge at signature (PR-15). Commercial contracts and `company_profile_replaced` come
from A's factories.
"""

from datetime import date

from apps.employment_contracts import services
from apps.employment_contracts.models import EmploymentContract
from tests.commercial_contracts.factories import (
    CommercialContractFactory,
    company_profile_replaced,
    pdf_bytes,
)
from tests.consultants.factories import ConsultantFactory

__all__ = [
    "CommercialContractFactory",
    "ConsultantFactory",
    "cdd_create",
    "cdd_fields",
    "cdd_on_two_prestations",
    "cdi_create",
    "cdi_fields",
    "company_profile_replaced",
    "pdf_bytes",
    "signed",
]

START = date(2026, 1, 1)
END = date(2026, 6, 30)
EXPERTISE = "Architecte logiciel, ingénieur diplômé (Bac+5), 12 ans d'expérience en conseil."


def cdd_fields(**overrides) -> dict:
    """Valid keyword arguments of employment_contract_create for a CDD with a precise term,
    linked to one commercial contract of the same consultant covering the same period."""
    consultant = overrides.pop("consultant", None) or ConsultantFactory()
    start = overrides.get("start_date", START)
    end = overrides.get("initial_end_date", END)
    commercial = overrides.pop("commercial_contracts", None)
    if commercial is None:
        commercial = [
            CommercialContractFactory(
                consultant=consultant,
                start_date=start,
                end_date=max(end or start, start),
                status="signed",
            )
        ]
    fields = {
        "consultant": consultant,
        "kind": EmploymentContract.Kind.CDD,
        "start_date": start,
        "initial_end_date": end,
        "term_type": EmploymentContract.TermType.PRECISE,
        "cdd_reason": "Réalisation de la prestation d'audit chez le client.",
        "classification": EmploymentContract.Classification.LEVEL_3,
        "consultant_expertise": EXPERTISE,
        "commercial_contracts": commercial,
        "created_by": None,
    }
    fields.update(overrides)
    return fields


def cdi_fields(**overrides) -> dict:
    consultant = overrides.pop("consultant", None) or ConsultantFactory()
    fields = {
        "consultant": consultant,
        "kind": EmploymentContract.Kind.CDI,
        "start_date": START,
        "classification": EmploymentContract.Classification.LEVEL_3,
        "consultant_expertise": EXPERTISE,
        "commercial_contracts": [],
        "created_by": None,
    }
    fields.update(overrides)
    return fields


def cdd_create(**overrides) -> EmploymentContract:
    return services.employment_contract_create(**cdd_fields(**overrides))


def cdi_create(**overrides) -> EmploymentContract:
    return services.employment_contract_create(**cdi_fields(**overrides))


def cdd_on_two_prestations(**overrides) -> EmploymentContract:
    """A CDD linked to two commercial contracts of its consultant: PR-15 warns (a CDD is
    concluded for one prestation, CCN 17.1), nothing blocks."""
    consultant = overrides.pop("consultant", None) or ConsultantFactory()
    missions = [
        CommercialContractFactory(
            consultant=consultant, start_date=START, end_date=END, status="signed"
        )
        for _ in range(2)
    ]
    return cdd_create(consultant=consultant, commercial_contracts=missions, **overrides)


def signed(contract: EmploymentContract, user, *, activate: bool = False) -> EmploymentContract:
    contract = services.employment_contract_send_for_signature(contract=contract, by=user)
    contract = services.employment_contract_sign(
        contract=contract, by=user, acknowledge_warnings=True
    )
    if activate:
        contract = services.employment_contract_activate(contract=contract, by=user)
    return contract
