"""Portage salary composition (portage-rules.md §3) and the PR-17 minimum check."""

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.payroll.engine import (
    ContractType,
    PayslipInput,
    ProvisionKind,
    Rounding,
    Status,
    check_minimum_salary,
    compose_portage_salary,
    compute_payslip,
    load_rates,
    salary_components,
)
from apps.payroll.engine.portage import PORTAGE_MAX_DIP

D = Decimal
JANUARY = date(2026, 1, 1)


def _template(**changes) -> PayslipInput:
    """The worked example's assumptions: cadre, 20 employees, January 2026, defaults."""
    return PayslipInput(period=JANUARY, gross=D(0), status=Status.CADRE, headcount=20, **changes)


def test_worked_example_to_the_cent():
    """portage-rules.md §3: available 9 400.00, CDI, figures from modele-social, whose totals
    are the rounded unrounded sums: Rounding.EXACT_TOTALS."""
    result = compose_portage_salary(D("9400.00"), _template(rounding=Rounding.EXACT_TOTALS))
    assert result.base_salary == D("5165.11")
    assert result.business_bonus == D("258.26")
    assert result.paid_leave == D("542.34")
    assert result.gross == D("5965.71")
    assert result.employer_cost == D("8651.00")
    assert result.employer_contributions == D("2685.29")
    assert result.provision_kind is ProvisionKind.RESERVE
    assert result.provision == D("516.51")
    assert result.provision_loaded == D("749.00")
    assert result.remainder == D("0.00")
    assert result.payslip.net_before_income_tax == D("4708.22")
    assert result.payslip.net_taxable == D("4960.60")
    assert result.payslip.net_social == D("4708.22")
    assert result.payslip.rgdu.reduction == 0


def test_worked_example_with_per_line_totals():
    """Default rounding: the lines add up to the totals, which costs 2 cents here
    (E(5 965.71) = 8 651.02 as a sum of rounded lines), so S is 5 165.09."""
    result = compose_portage_salary(D("9400.00"), _template())
    assert result.base_salary == D("5165.09")
    assert result.gross == D("5965.67")
    assert result.employer_cost == D("8650.98")
    assert result.provision_loaded == D("749.01")
    assert result.remainder == D("0.01")
    at_example = compute_payslip(replace(_template(), gross=D("5965.71")))
    assert at_example.employer_cost == D("8651.02")
    assert sum(line.employer_amount for line in at_example.lines) == D("2685.31")


def test_components_of_a_base_salary():
    params = load_rates(JANUARY).portage
    # A = 5 % x 5 165.11 = 258.2555 -> 258.26; CP = 10 % x 5 423.37 = 542.337 -> 542.34
    assert salary_components(D("5165.11"), params) == (D("258.26"), D("542.34"))


def test_cdd_provisions_the_end_of_contract_indemnity_and_its_paid_leave():
    result = compose_portage_salary(D("9400.00"), _template(contract_type=ContractType.CDD))
    precarity = (D("0.10") * (result.base_salary + result.business_bonus)).quantize(D("0.01"))
    assert result.provision_kind is ProvisionKind.PRECARITY
    assert result.provision_paid_leave == (precarity / 10).quantize(D("0.01"))
    assert result.provision == precarity + result.provision_paid_leave
    loaded = (result.provision * result.employer_cost / result.gross).quantize(D("0.01"))
    assert result.provision_loaded == loaded
    assert result.employer_cost + result.provision_loaded <= D("9400.00")
    assert result.payslip.line("cpf_cdd") is not None
    assert result.base_salary < D("5165.09")  # a CDD costs more than a CDI


@settings(max_examples=40, deadline=None)
@given(
    available=st.integers(150_000, 3_000_000).map(lambda cents: D(cents) / 100),
    contract_type=st.sampled_from(list(ContractType)),
    rounding=st.sampled_from(list(Rounding)),
)
def test_composition_is_the_largest_base_salary_that_fits(available, contract_type, rounding):
    template = _template(contract_type=contract_type, rounding=rounding)
    result = compose_portage_salary(available, template)
    assert result.employer_cost + result.provision_loaded <= available
    assert result.remainder >= 0
    assert result.gross == result.base_salary + result.business_bonus + result.paid_leave
    more = compose_portage_salary(available + result.remainder + D("0.50"), template)
    assert more.base_salary >= result.base_salary


def test_minimum_salary_levels_full_month():
    expected = {1: "2255.61", 2: "2517.13", 3: "2713.27", 4: "3072.86"}
    for level, minimum in expected.items():
        check = check_minimum_salary(
            period=JANUARY,
            level=level,
            base_salary=D("5165.11"),
            business_bonus=D("258.26"),
            paid_leave=D("542.34"),
        )
        assert check.monthly_minimum == D(minimum)
        assert check.reference_pss == D("3269.00")
        assert check.remuneration == D("5965.71")
        assert check.ok
        assert "avenant" in check.source


def test_minimum_salary_pro_rata_and_shortfall():
    check = check_minimum_salary(
        period=JANUARY,
        level=1,
        base_salary=D("1000.00"),
        business_bonus=D("50.00"),
        paid_leave=D("60.00"),
        days_worked=D(10),
        days_in_period=D(20),
    )
    assert check.minimum == D("1127.81")  # 2 255.61 x 10 / 20 = 1 127.805
    assert check.remuneration == D("1110.00")
    assert check.shortfall == D("17.81")
    assert not check.ok


def test_minimum_salary_unknown_level():
    with pytest.raises(ValueError, match="unknown level 5"):
        check_minimum_salary(
            period=JANUARY, level=5, base_salary=D(1), business_bonus=D(0), paid_leave=D(0)
        )


@settings(max_examples=25, deadline=None)
@given(
    start=st.integers(100_000, 2_000_000),
    status=st.sampled_from(list(Status)),
    contract_type=st.sampled_from(list(ContractType)),
    rounding=st.sampled_from(list(Rounding)),
    headcount=st.sampled_from([5, 20, 250]),
)
def test_portage_cost_dips_stay_within_the_solver_bound(
    start, status, contract_type, rounding, headcount
):
    """The solver stops climbing once E + loaded provision is PORTAGE_MAX_DIP above the
    target: that is only right if no larger base salary comes back lower by more. Check it
    on 60 consecutive cents of base salary (a dip is a later value below an earlier one)."""
    template = PayslipInput(
        period=JANUARY,
        gross=D(0),
        status=status,
        headcount=headcount,
        contract_type=contract_type,
        rounding=rounding,
    )
    costs = []
    for base_cents in range(start, start + 60):
        base = D(base_cents) / 100
        params = load_rates(JANUARY).portage
        bonus, leave = salary_components(base, params)
        gross = base + bonus + leave
        payslip = compute_payslip(replace(template, gross=gross))
        if contract_type is ContractType.CDI:
            provision = (base * params.reserve_rate / 100).quantize(D("0.01"), ROUND_HALF_UP)
        else:
            precarity = ((base + bonus) * params.precarity_rate / 100).quantize(
                D("0.01"), ROUND_HALF_UP
            )
            provision = precarity + (precarity * params.paid_leave_rate / 100).quantize(
                D("0.01"), ROUND_HALF_UP
            )
        loaded = (provision * payslip.employer_cost / gross).quantize(D("0.01"), ROUND_HALF_UP)
        costs.append(payslip.employer_cost + loaded)
    lowest_after = costs[-1]
    worst = D(0)
    for cost in reversed(costs):
        lowest_after = min(lowest_after, cost)
        worst = max(worst, cost - lowest_after)
    assert worst <= PORTAGE_MAX_DIP
