"""Demo commercial contracts for `seed_demo`: one in every status, one amended, one close to
the 36-month limit (PR-05). Idempotent: each demo contract is found again by its purchase
order reference (DEMO-CC-nn) and created only when missing, through the services.

Needs the demo company profile, consultants and clients (seeded before) and the activity
categories of the compliance data migration. Dates are relative to today so that the demo
always shows running contracts.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.clients.selectors import clients_list
from apps.compliance.models import ActivityCategory
from apps.compliance.periods import add_months, period_last_day
from apps.consultants.rules import consultant_eligibility
from apps.consultants.selectors import consultant_list

from . import services
from .models import CommercialContract, ContractStatus, PricingKind

DEMO_STAFF_EMAIL = "staff@demo.portage.test"


@dataclass(frozen=True)
class DemoContract:
    key: str
    consultant: int  # index among the eligible active demo consultants
    client: int  # index among the French demo clients
    target: str
    start: int  # months from today (negative: in the past)
    months: int  # planned duration in months
    pricing: str = PricingKind.DAILY_RATE
    price: Decimal = Decimal("600.00")
    description: str = "Conseil et accompagnement"
    category: str = "MGMT-CONSULTING"  # code loaded by the compliance data migration
    amend: bool = False


SCENARIOS = [
    DemoContract("DEMO-CC-01", 1, 0, ContractStatus.DRAFT, 1, 6, price=Decimal("550.00"),
                 description="Audit de l'architecture du système d'information",
                 category="IT-CONSULTING"),
    DemoContract("DEMO-CC-02", 2, 1, ContractStatus.SENT_FOR_SIGNATURE, 1, 4,
                 price=Decimal("620.00"), description="Pilotage du projet de migration ERP",
                 category="PROJECT-MGMT"),
    DemoContract("DEMO-CC-03", 3, 2, ContractStatus.SIGNED, 1, 6, PricingKind.FIXED_PRICE,
                 Decimal("24000.00"), "Conception d'un programme de formation des managers",
                 category="TRAINING"),
    DemoContract("DEMO-CC-04", 0, 3, ContractStatus.ACTIVE, -3, 12, price=Decimal("600.00"),
                 description="Accompagnement de la transformation des processus achats",
                 category="PURCHASING-LOGISTICS"),
    DemoContract("DEMO-CC-05", 4, 4, ContractStatus.ACTIVE, -8, 9, price=Decimal("580.00"),
                 description="Expertise en cybersécurité : audit et plan de remédiation",
                 category="IT-INFRA", amend=True),
    DemoContract("DEMO-CC-06", 5, 5, ContractStatus.ACTIVE, -35, 36, price=Decimal("700.00"),
                 description="Direction de programme de conformité réglementaire",
                 category="LEGAL-COMPLIANCE"),
    DemoContract("DEMO-CC-07", 0, 6, ContractStatus.ENDED, -14, 12, price=Decimal("560.00"),
                 description="Étude de marché et stratégie de lancement produit",
                 category="MARKETING"),
    DemoContract("DEMO-CC-08", 6, 7, ContractStatus.TERMINATED, -5, 12, price=Decimal("640.00"),
                 description="Refonte du contrôle de gestion", category="FINANCE"),
]  # fmt: skip


def _blank_pdf() -> bytes:
    """A one-page PDF standing for the scan signed by the client."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _staff_user():
    User = get_user_model()
    return (
        User.objects.filter(email=DEMO_STAFF_EMAIL).first()
        or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    )


def _moment(day: date) -> datetime:
    """A signature time on `day`, never in the future."""
    return min(timezone.now(), timezone.make_aware(datetime.combine(day, time(10, 0))))


def _advance(contract: CommercialContract, scenario: DemoContract, user, today: date):
    target = scenario.target
    if target == ContractStatus.DRAFT:
        return contract
    contract = services.commercial_contract_send_for_signature(contract=contract, by=user)
    if target == ContractStatus.SENT_FOR_SIGNATURE:
        return contract
    contract = services.commercial_contract_sign(
        contract=contract,
        by=user,
        signed_pdf=_blank_pdf(),
        signed_by_client_name="Claire Martin, directrice des achats",
        signed_at=_moment(min(today, contract.start_date - timedelta(days=3))),
        acknowledge_warnings=True,
    )
    if target == ContractStatus.SIGNED:
        return contract
    contract = services.commercial_contract_activate(contract=contract, by=user)
    if scenario.amend:
        services.commercial_contract_amend(
            contract=contract,
            by=user,
            effective_from=add_months(today, -1),
            end_date=add_months(contract.end_date, 6),
            daily_rate=scenario.price + Decimal("50.00"),
            estimated_days=Decimal("240"),
            reason="Extension de la mission et revalorisation du taux journalier",
        )
    if target == ContractStatus.ENDED:
        return services.commercial_contract_end(contract=contract, by=user)
    if target == ContractStatus.TERMINATED:
        return services.commercial_contract_terminate(
            contract=contract,
            by=user,
            terminated_on=add_months(today, -1),
            reason="Fin anticipée à la demande du client (réorganisation interne)",
        )
    return contract


def _create(scenario: DemoContract, consultant, client, category, user, today: date):
    start = add_months(today, scenario.start).replace(day=1)
    # near_limit: 36 months exactly from the start, the longest PR-05 allows.
    end = period_last_day(start, scenario.months)
    daily = scenario.pricing == PricingKind.DAILY_RATE
    months = Decimal(scenario.months)
    contract = services.commercial_contract_create(
        client=client,
        consultant=consultant,
        description=scenario.description,
        activity_category=category,
        start_date=start,
        end_date=end,
        pricing_kind=scenario.pricing,
        daily_rate=scenario.price if daily else None,
        fixed_price=None if daily else scenario.price,
        estimated_days=months * Decimal("18"),
        created_by=user,
        consultant_expertise=(
            f"{consultant.full_name} : expertise confirmée dans le domaine de la prestation, "
            "plusieurs années d'expérience et diplôme de niveau Bac+5."
        ),
        occasional_task_justification=(
            "Prestation ponctuelle nécessitant une expertise dont l'entreprise cliente ne "
            "dispose pas en interne."
        ),
        not_replacing_striker=None if scenario.target == ContractStatus.DRAFT else True,
        place_of_work=f"{client.billing_address_line1}, {client.billing_postal_code} "
        f"{client.billing_city}",
        remote_allowed=True,
        rebill_expenses=scenario.key in {"DEMO-CC-04", "DEMO-CC-06"},
        purchase_order_reference=scenario.key,
    )
    return _advance(contract, scenario, user, today)


@transaction.atomic
def seed_commercial_contracts() -> list[CommercialContract]:
    """Create the missing demo contracts; returns every demo contract (found or created)."""
    today = timezone.localdate()
    consultants = [
        consultant
        for consultant in consultant_list().filter(status="active").order_by("pk")
        if consultant_eligibility(consultant).eligible
    ]
    clients = list(clients_list().filter(is_active=True, country="FR").order_by("pk"))
    categories = {
        category.code: category
        for category in ActivityCategory.objects.filter(excluded=False, is_active=True)
    }
    if not consultants or not clients or not categories:
        return []
    fallback = [categories[code] for code in sorted(categories)]
    user = _staff_user()
    contracts = []
    for index, scenario in enumerate(SCENARIOS):
        existing = CommercialContract.objects.filter(purchase_order_reference=scenario.key).first()
        if existing is None:
            existing = _create(
                scenario,
                consultants[scenario.consultant % len(consultants)],
                clients[scenario.client % len(clients)],
                categories.get(scenario.category) or fallback[index % len(fallback)],
                user,
                today,
            )
        contracts.append(existing)
    return contracts
