"""Factories and helpers for commercial contracts.

`contract_create(...)` goes through the service (reference, version 0, checks): use it to
test behaviour. `CommercialContractFactory` writes rows directly in any status (with their
version 0) for tests of other apps that only need a contract to exist.
`company_profile_replaced(**overrides)` swaps the conftest's complete company profile for one
with some fields changed (e.g. `financial_guarantor_name=""` for a missing mention).
"""

import io
from datetime import date
from decimal import Decimal

import factory
from pypdf import PdfWriter

from apps.commercial_contracts.models import (
    CommercialContract,
    CommercialContractVersion,
    ContractStatus,
    PricingKind,
)
from apps.commercial_contracts.services import commercial_contract_create
from apps.compliance.models import ActivityCategory
from apps.core.models import CompanyProfile
from tests.clients.factories import ClientCompanyFactory
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory

START = date(2026, 3, 2)
END = date(2026, 8, 31)


def company_profile_replaced(**overrides) -> CompanyProfile:
    """The one company profile, now complete except for `overrides` (the contracts read the
    first profile row, so the conftest's one is removed first)."""
    CompanyProfile.objects.all().delete()
    return make_company_profile(**overrides)


def allowed_category(code: str = "IT-CONSULTING") -> ActivityCategory:
    """A category portage may serve (loaded by the compliance data migration)."""
    category, _created = ActivityCategory.objects.get_or_create(
        code=code,
        defaults={"label": "IT consulting and software development", "source": "test"},
    )
    return category


def excluded_category(code: str = "SAP-06") -> ActivityCategory:
    """Housekeeping (services à la personne, D7231-1 II 1°): PR-02 refuses it."""
    category, _created = ActivityCategory.objects.get_or_create(
        code=code,
        defaults={
            "label": "Housekeeping and household work",
            "excluded": True,
            "exclusion_rule": "PR-02",
            "source": "Code du travail L1254-5 -> L7231-1 -> D7231-1 (D7231-1 II 1°)",
        },
    )
    return category


def pdf_bytes() -> bytes:
    """A real one-page PDF made by pypdf (stands for the client's signed scan)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def contract_fields(**overrides) -> dict:
    """Valid keyword arguments of commercial_contract_create (a complete draft)."""
    fields = {
        "client": overrides.pop("client", None) or ClientCompanyFactory(),
        "consultant": overrides.pop("consultant", None) or ConsultantFactory(),
        "description": "Audit de l'architecture applicative et plan de modernisation.",
        "activity_category": overrides.pop("activity_category", None) or allowed_category(),
        "start_date": START,
        "end_date": END,
        "pricing_kind": PricingKind.DAILY_RATE,
        "daily_rate": Decimal("600.00"),
        "estimated_days": Decimal("110"),
        "created_by": None,
        "consultant_expertise": "Architecte logiciel, 12 ans d'expérience, ingénieur (Bac+5).",
        "occasional_task_justification": "Expertise ponctuelle dont le client ne dispose pas.",
        "not_replacing_striker": True,
        "place_of_work": "10 rue de la Paix, 75002 Paris",
    }
    fields.update(overrides)
    return fields


def contract_create(**overrides) -> CommercialContract:
    return commercial_contract_create(**contract_fields(**overrides))


class CommercialContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommercialContract
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CC-2099-{n + 1:06d}")
    client = factory.SubFactory(ClientCompanyFactory)
    consultant = factory.SubFactory(ConsultantFactory)
    description = "Conseil en organisation"
    consultant_expertise = "Consultant senior en organisation."
    activity_category = factory.LazyFunction(allowed_category)
    occasional_task_justification = "Expertise ponctuelle."
    not_replacing_striker = True
    place_of_work = "Paris"
    start_date = START
    end_date = END
    status = ContractStatus.DRAFT

    @factory.post_generation
    def terms(obj, create, extracted, **kwargs):
        if not create:
            return
        values = {
            "pricing_kind": PricingKind.DAILY_RATE,
            "daily_rate": Decimal("600.00"),
            "estimated_days": Decimal("110"),
            **kwargs,
        }
        CommercialContractVersion.objects.create(
            contract=obj,
            number=0,
            effective_from=obj.start_date,
            start_date=obj.start_date,
            end_date=obj.end_date,
            **values,
        )
