"""CDD limits: 18 months renewals included (PR-12, L1254-12), 2 renewals (L1254-17), one
prospection postponement of 3 months at most (PR-13, L1254-13). Each limit is tested the day
before, the day of and the day after.

Counting (docs/employment_contracts.md): a CDD starting on 1 January 2026 may last 18 months,
i.e. until 30 June 2027 included (start + 18 months - 1 day); ending 1 July 2027 is refused.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import DomainError, InvalidTransition
from apps.employment_contracts import services
from apps.employment_contracts.models import EmploymentContract, EmploymentContractRenewal

from .factories import CommercialContractFactory, cdd_create, cdi_create, signed

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)
LAST_ALLOWED = date(2027, 6, 30)


def _long_mission(consultant):
    return [
        CommercialContractFactory(
            consultant=consultant, start_date=START, end_date=date(2027, 12, 31), status="active"
        )
    ]


def _cdd(**overrides):
    from .factories import ConsultantFactory

    consultant = ConsultantFactory()
    return cdd_create(
        consultant=consultant, commercial_contracts=_long_mission(consultant), **overrides
    )


@pytest.mark.parametrize(
    ("end", "allowed"),
    [(date(2027, 6, 29), True), (LAST_ALLOWED, True), (date(2027, 7, 1), False)],
    ids=["day-before", "day-of", "day-after"],
)
def test_creation_18_months_edge(end, allowed):
    if allowed:
        assert _cdd(initial_end_date=end).initial_end_date == end
        return
    with pytest.raises(DomainError) as excinfo:
        _cdd(initial_end_date=end)
    assert excinfo.value.code == "compliance_blocked"
    assert "PR-12" in str(excinfo.value) and "2027-06-30" in str(excinfo.value)
    assert not EmploymentContract.objects.exists()


@pytest.mark.parametrize(
    ("new_end", "allowed"),
    [(date(2027, 6, 29), True), (LAST_ALLOWED, True), (date(2027, 7, 1), False)],
    ids=["day-before", "day-of", "day-after"],
)
def test_renewal_18_months_edge(staff_user, new_end, allowed):
    contract = signed(_cdd(initial_end_date=date(2026, 6, 30)), staff_user, activate=True)
    if allowed:
        contract = services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=new_end,
            reason="Prolongation",
            signed_on=date(2026, 6, 1),
        )
        assert contract.planned_end_date == new_end
        assert contract.renewal_count == 1
        return
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=new_end,
            reason="Prolongation",
            signed_on=date(2026, 6, 1),
        )
    assert excinfo.value.code == "compliance_blocked"
    assert any(line.startswith("PR-12:") for line in excinfo.value.fields["findings"])
    assert not EmploymentContractRenewal.objects.exists()


def test_third_renewal_refused(staff_user):
    contract = signed(_cdd(initial_end_date=date(2026, 3, 31)), staff_user, activate=True)
    for new_end in (date(2026, 6, 30), date(2026, 9, 30)):
        contract = services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=new_end,
            reason="Prolongation",
            signed_on=date(2026, 3, 1),
        )
    assert [r.number for r in contract.renewal_list] == [1, 2]
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=date(2026, 12, 31),
            reason="Troisième",
            signed_on=date(2026, 9, 1),
        )
    assert excinfo.value.code == "compliance_blocked"
    assert excinfo.value.fields["findings"] == [
        "PR-12: The fixed-term contract would be renewed 3 times; it can be renewed at most 2 "
        "times (L1254-17, PR-12)."
    ]
    contract.refresh_from_db()
    assert contract.renewal_count == 2 and contract.planned_end_date == date(2026, 9, 30)


def test_renewal_must_move_the_end_later_and_be_agreed_before_it(staff_user):
    contract = signed(_cdd(initial_end_date=date(2026, 6, 30)), staff_user)
    with pytest.raises(ValidationError) as excinfo:
        services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=date(2026, 6, 30),
            reason="x",
            signed_on=date(2026, 6, 1),
        )
    assert "new_end_date" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=date(2026, 9, 30),
            reason="x",
            signed_on=date(2026, 7, 1),
        )
    assert "L1254-17" in excinfo.value.message_dict["signed_on"][0]


def test_renewal_refused_on_an_ended_contract(staff_user):
    contract = signed(_cdd(initial_end_date=date(2026, 6, 30)), staff_user, activate=True)
    contract = services.employment_contract_end(contract=contract, by=staff_user)
    with pytest.raises(InvalidTransition) as excinfo:
        services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=date(2026, 9, 30),
            reason="x",
            signed_on=date(2026, 6, 1),
        )
    assert excinfo.value.code == "contract_closed"


def test_renewal_refused_for_a_cdi_a_draft_and_an_imprecise_term(staff_user):
    cdi = signed(cdi_create(), staff_user)
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_renew(
            contract=cdi, by=staff_user, new_end_date=date(2026, 9, 30), reason="x"
        )
    assert excinfo.value.code == "not_a_cdd"
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_renew(
            contract=_cdd(), by=staff_user, new_end_date=date(2026, 9, 30), reason="x"
        )
    assert excinfo.value.code == "not_signed"
    imprecise = signed(
        _cdd(
            term_type="imprecise",
            initial_end_date=None,
            minimum_duration_months=6,
            imprecise_term_event="Fin du projet",
        ),
        staff_user,
    )
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_renew(
            contract=imprecise, by=staff_user, new_end_date=date(2026, 9, 30), reason="x"
        )
    assert excinfo.value.code == "imprecise_term"


@pytest.mark.parametrize(
    ("extension_end", "allowed"),
    # planned end 30 June 2026 + 3 months = 30 September 2026 (L1254-13)
    [(date(2026, 9, 29), True), (date(2026, 9, 30), True), (date(2026, 10, 1), False)],
    ids=["day-before", "day-of", "day-after"],
)
def test_prospection_extension_3_months_edge(staff_user, extension_end, allowed):
    contract = signed(_cdd(initial_end_date=date(2026, 6, 30)), staff_user, activate=True)
    call = {
        "contract": contract,
        "by": staff_user,
        "extension_end": extension_end,
        "reason": "Accord pour prospecter de nouveaux clients",
    }
    if allowed:
        contract = services.employment_contract_extend_for_prospection(**call)
        assert contract.effective_end_date == extension_end
        assert contract.planned_end_date == date(2026, 6, 30)
        return
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_extend_for_prospection(**call)
    assert any(line.startswith("PR-13:") for line in excinfo.value.fields["findings"])
    contract.refresh_from_db()
    assert contract.prospection_extension_end is None


def test_prospection_extension_beyond_18_months(staff_user):
    """L1254-13 derogates from L1254-12: 18 months + 3 months of prospection is allowed."""
    contract = signed(_cdd(initial_end_date=LAST_ALLOWED), staff_user, activate=True)
    contract = services.employment_contract_extend_for_prospection(
        contract=contract, by=staff_user, extension_end=date(2027, 9, 30), reason="Prospection"
    )
    assert contract.effective_end_date == date(2027, 9, 30)


def test_one_prospection_extension_only_and_no_renewal_after_it(staff_user):
    contract = signed(_cdd(initial_end_date=date(2026, 6, 30)), staff_user, activate=True)
    contract = services.employment_contract_extend_for_prospection(
        contract=contract, by=staff_user, extension_end=date(2026, 7, 31), reason="Prospection"
    )
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_extend_for_prospection(
            contract=contract, by=staff_user, extension_end=date(2026, 8, 31), reason="Encore"
        )
    assert excinfo.value.code == "already_extended"
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=date(2026, 12, 31),
            reason="x",
            signed_on=date(2026, 6, 1),
        )
    assert excinfo.value.code == "already_extended"


def test_end_after_prospection_extension_uses_the_postponed_term(staff_user):
    contract = signed(_cdd(initial_end_date=date(2026, 6, 30)), staff_user, activate=True)
    contract = services.employment_contract_extend_for_prospection(
        contract=contract, by=staff_user, extension_end=date(2026, 8, 31), reason="Prospection"
    )
    contract = services.employment_contract_end(contract=contract, by=staff_user)
    assert contract.ended_on == date(2026, 8, 31)
