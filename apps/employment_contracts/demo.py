"""Demo employment contracts for `seed_demo`: CDD and CDI in every status, a renewed CDD, CDIs
linked to the demo commercial contracts. Runs after `seed_commercial_contracts()`.

Idempotent: a CDD is found again by its demo commercial contract (one CDD per prestation,
PR-15), a CDI by its consultant (one demo CDI per consultant); only missing ones are created,
through the services. Dates are relative to today so the demo always shows running contracts.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.commercial_contracts.models import CommercialContract
from apps.commercial_contracts.selectors import commercial_contract_versions
from apps.compliance.periods import add_months, period_last_day
from apps.consultants.rules import consultant_eligibility
from apps.consultants.selectors import consultant_list

from . import services
from .models import EmploymentContract

S = EmploymentContract.Status
DEMO_STAFF_EMAIL = "staff@demo.portage.test"


@dataclass(frozen=True)
class DemoCDD:
    commercial: str  # purchase order reference of the demo commercial contract
    target: str
    classification: int
    renew_to_current_end: bool = False


@dataclass(frozen=True)
class DemoCDI:
    target: str
    classification: int
    commercial: str = ""  # linked demo commercial contract, if any
    consultant: int = 0  # index among the eligible active consultants (when not linked)
    start: int = 0  # months from today
    level_1_months: int = 0  # months already spent at level 1 (PR-27 demo)


CDDS = [
    DemoCDD("DEMO-CC-01", S.DRAFT, 2),
    DemoCDD("DEMO-CC-02", S.SENT_FOR_SIGNATURE, 3),
    DemoCDD("DEMO-CC-03", S.SIGNED, 3),
    DemoCDD("DEMO-CC-05", S.ACTIVE, 4, renew_to_current_end=True),
    DemoCDD("DEMO-CC-07", S.ENDED, 2),
    DemoCDD("DEMO-CC-08", S.TERMINATED, 3),
]
CDIS = [
    DemoCDI(S.ACTIVE, 3, commercial="DEMO-CC-04"),
    DemoCDI(S.ACTIVE, 4, commercial="DEMO-CC-06"),
    DemoCDI(S.DRAFT, 2, consultant=7, start=1),
    DemoCDI(S.SENT_FOR_SIGNATURE, 3, consultant=8, start=1),
    DemoCDI(S.SIGNED, 2, consultant=9, start=1),
    DemoCDI(S.ACTIVE, 1, consultant=10, start=-6, level_1_months=23),
    DemoCDI(S.ENDED, 3, consultant=11, start=-20),
    DemoCDI(S.TERMINATED, 2, consultant=12, start=-4),
]


def _staff_user():
    User = get_user_model()
    return (
        User.objects.filter(email=DEMO_STAFF_EMAIL).first()
        or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    )


def _moment(day: date) -> datetime:
    """A signature time on `day`, never in the future."""
    return min(timezone.now(), timezone.make_aware(datetime.combine(day, time(10, 0))))


def _expertise(consultant) -> str:
    return (
        f"{consultant.full_name} : expertise confirmée dans son domaine, plusieurs années "
        "d'expérience, diplôme de niveau Bac+5 ; autonomie dans la recherche de clients et la "
        "négociation du prix des prestations."
    )


def _advance(contract: EmploymentContract, target: str, user, today: date, *, end=None):
    if target == S.DRAFT:
        return contract
    contract = services.employment_contract_send_for_signature(contract=contract, by=user)
    if target == S.SENT_FOR_SIGNATURE:
        return contract
    contract = services.employment_contract_sign(
        contract=contract,
        by=user,
        signed_at=_moment(min(today, contract.start_date - timedelta(days=3))),
        acknowledge_warnings=True,
    )
    if target == S.SIGNED:
        return contract
    contract = services.employment_contract_activate(contract=contract, by=user)
    if target == S.ENDED:
        return services.employment_contract_end(contract=contract, by=user, ended_on=end)
    if target == S.TERMINATED:
        return services.employment_contract_terminate(
            contract=contract,
            by=user,
            terminated_on=add_months(today, -1),
            reason="Rupture anticipée d'un commun accord à la demande du salarié porté",
        )
    return contract


def _seed_cdd(scenario: DemoCDD, user, today: date) -> EmploymentContract | None:
    commercial = CommercialContract.objects.filter(
        purchase_order_reference=scenario.commercial
    ).first()
    if commercial is None:
        return None
    existing = EmploymentContract.objects.filter(
        kind=EmploymentContract.Kind.CDD, commercial_contracts=commercial
    ).first()
    if existing:
        return existing
    original_end = commercial_contract_versions(commercial)[0].end_date
    contract = services.employment_contract_create(
        consultant=commercial.consultant,
        kind=EmploymentContract.Kind.CDD,
        start_date=commercial.start_date,
        created_by=user,
        commercial_contracts=[commercial],
        cdd_reason=f"Réalisation de la prestation « {commercial.description} » chez "
        f"{commercial.client.legal_name} (contrat commercial {commercial.reference}).",
        term_type=EmploymentContract.TermType.PRECISE,
        initial_end_date=original_end,
        classification=scenario.classification,
        consultant_expertise=_expertise(commercial.consultant),
    )
    # The terminated and ended prestations are closed already: the CDD runs to its own end.
    target = scenario.target
    if target in (S.ENDED, S.TERMINATED):
        contract = _advance(contract, S.ACTIVE, user, today)
        if target == S.ENDED:
            return services.employment_contract_end(contract=contract, by=user)
        return _advance_terminate(contract, commercial, user, today)
    contract = _advance(contract, target, user, today)
    if scenario.renew_to_current_end and commercial.end_date > original_end:
        contract = services.employment_contract_renew(
            contract=contract,
            by=user,
            new_end_date=commercial.end_date,
            signed_on=min(today, original_end),
            reason="Prolongation de la prestation par avenant au contrat commercial",
        )
    return contract


def _advance_terminate(contract, commercial, user, today):
    terminated_on = commercial.terminated_on or add_months(today, -1)
    return services.employment_contract_terminate(
        contract=contract,
        by=user,
        terminated_on=min(terminated_on, contract.effective_end_date),
        reason="Fin anticipée de la prestation à la demande de l'entreprise cliente",
    )


def _seed_cdi(scenario: DemoCDI, consultants: list, user, today: date):
    commercial = None
    if scenario.commercial:
        commercial = CommercialContract.objects.filter(
            purchase_order_reference=scenario.commercial
        ).first()
        if commercial is None:
            return None
        consultant = commercial.consultant
        start = commercial.start_date
    else:
        consultant = consultants[scenario.consultant % len(consultants)]
        start = add_months(today, scenario.start).replace(day=1)
    existing = EmploymentContract.objects.filter(
        kind=EmploymentContract.Kind.CDI, consultant=consultant
    ).first()
    if existing:
        return existing
    level_1_since = None
    if scenario.level_1_months:
        level_1_since = add_months(today, -scenario.level_1_months)
        start = max(start, level_1_since)
    contract = services.employment_contract_create(
        consultant=consultant,
        kind=EmploymentContract.Kind.CDI,
        start_date=start,
        created_by=user,
        commercial_contracts=[commercial] if commercial else [],
        classification=scenario.classification,
        level_1_since=level_1_since,
        trial_period_end=period_last_day(start, 3),
        consultant_expertise=_expertise(consultant),
    )
    end = add_months(today, -2) if scenario.target == S.ENDED else None
    return _advance(contract, scenario.target, user, today, end=end)


@transaction.atomic
def seed_employment_contracts() -> list[EmploymentContract]:
    """Create the missing demo employment contracts; returns every one (found or created)."""
    today = timezone.localdate()
    consultants = [
        consultant
        for consultant in consultant_list().filter(status="active").order_by("pk")
        if consultant_eligibility(consultant).eligible
    ]
    if not consultants:
        return []
    user = _staff_user()
    contracts = [_seed_cdd(scenario, user, today) for scenario in CDDS]
    contracts += [_seed_cdi(scenario, consultants, user, today) for scenario in CDIS]
    return [contract for contract in contracts if contract is not None]
