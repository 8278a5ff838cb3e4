"""simulate_portage: the chain turnover → fee → expenses → available → employer cost → gross
→ net, checked by hand arithmetic (figures in the comments), and its validation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.payroll.simulator import simulate_plain, simulate_portage, working_days
from tests.company import make_company_profile

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    # make_company_profile keeps the model defaults: fee 7 %, bounds 3 % to 15 %, 20 employees.
    return make_company_profile()


def simulate(**overrides):
    given = {
        "daily_rate": D("600"),
        "days_per_month": D("18"),
        "management_fee_rate": D("7"),
        "status": "cadre",
        "headcount": 20,
        "period": "2026-01",
    }
    given.update(overrides)
    return simulate_portage(**given)


def test_the_chain_by_hand(company):
    s = simulate()
    # 600 × 18 = 10 800.00; 7 % of it = 756.00; no expenses: 10 800 − 756 = 10 044.00.
    assert (s.turnover, s.management_fee, s.expenses, s.available) == (
        D("10800.00"),
        D("756.00"),
        D("0.00"),
        D("10044.00"),
    )
    # The payslip and the reserve set aside are paid from the available amount.
    assert s.employer_cost <= s.available
    assert s.employer_cost + s.provision_loaded + s.remainder == s.available
    assert D(0) <= s.remainder < D("1.00")
    # Composition (portage-rules.md §3): A = 5 % of S, CP = 10 % of (S + A), G = S + A + CP,
    # CDI reserve R = 10 % of S, each rounded half-up to the cent.
    assert s.business_bonus == (s.base_salary * D("0.05")).quantize(D("0.01"))
    assert s.paid_leave == ((s.base_salary + s.business_bonus) * D("0.10")).quantize(D("0.01"))
    assert s.gross == s.base_salary + s.business_bonus + s.paid_leave
    assert s.provision_kind == "reserve"
    assert s.provision == (s.base_salary * D("0.10")).quantize(D("0.01"))
    # Employer cost = gross + employer contributions; net = gross − employee contributions.
    assert s.gross + s.employer_contributions == s.employer_cost
    assert s.gross - s.employee_contributions == s.net_before_income_tax
    # Neutral PAS grid, so the rate comes from the grid; net paid = net before tax − PAS.
    assert s.income_tax_kind == "neutral"
    assert s.net_paid == s.net_before_income_tax - s.income_tax
    assert s.consultant_receives == s.net_paid
    assert s.net_paid_ratio == (s.net_paid * 100 / D("10800")).quantize(D("0.01"))
    # The gross is about 63 % of the available amount for a cadre in 2026 (the worked
    # example of portage-rules.md: 9 400 available → G 5 965.71): a loose sanity bracket.
    assert D("0.60") * s.available < s.gross < D("0.66") * s.available


def test_same_engine_as_a_plain_payslip(company):
    """The simulator's payslip is the plain payslip of its gross (one engine for all)."""
    s = simulate()
    plain = simulate_plain(gross=s.gross, status="cadre", headcount=20, period="2026-01")
    assert plain.employer_cost == s.employer_cost
    assert plain.net_before_income_tax == s.net_before_income_tax
    assert [line.code for line in plain.lines] == [line.code for line in s.payslip.lines]


def test_expenses_are_reimbursed_without_contributions(company):
    s = simulate(expenses=D("300"))
    # 10 800 − 756 − 300 = 9 744.00 available for the salary; the 300 come on top of the net.
    assert s.available == D("9744.00")
    assert s.consultant_receives == s.net_paid + D("300.00")
    assert s.gross < simulate().gross


def test_personalised_pas_rate(company):
    s = simulate(pas_rate=D("10"))
    # 10 % of the net taxable, rounded half-up to the cent.
    assert s.income_tax_kind == "personalised"
    assert s.income_tax == (s.net_taxable * D("0.10")).quantize(D("0.01"))
    assert s.net_paid == s.net_before_income_tax - s.income_tax


def test_cdd_provisions_the_end_of_contract_indemnity(company):
    s = simulate(contract_type="CDD")
    # P = 10 % of (S + A), plus the paid leave due on P (10 % of P).
    precarity = ((s.base_salary + s.business_bonus) * D("0.10")).quantize(D("0.01"))
    assert s.provision_kind == "precarity"
    assert s.provision == precarity + (precarity * D("0.10")).quantize(D("0.01"))
    assert "cpf_cdd" in {line.code for line in s.payslip.lines}
    assert s.employer_cost + s.provision_loaded + s.remainder == s.available


def test_minimum_salary_warning(company):
    # 100 × 10 = 1 000; fee 70; 930 available: the gross is necessarily below 930.
    # Level 2: 77 % × 3 269 (PSS 2017) = 2 517.13 a month; January 2026 has 22 weekdays,
    # so 10 days: 2 517.13 × 10 / 22 = 1 144.15.
    assert working_days(date(2026, 1, 1)) == 22
    s = simulate(daily_rate=D("100"), days_per_month=D("10"), classification_level=2)
    assert s.minimum is not None and not s.minimum.ok
    assert s.minimum.minimum == D("1144.15")
    assert s.minimum.shortfall == D("1144.15") - s.gross
    (warning,) = s.warnings
    assert "Below the conventional minimum of level 2" in warning
    assert "1144.15" in warning


def test_no_warning_when_above_the_minimum(company):
    s = simulate(classification_level=4)
    # Level 4: 94 % × 3 269 = 3 072.86; × 18 / 22 = 2 514.16, well below a ~6 380 € gross.
    assert s.minimum.ok and s.minimum.minimum == D("2514.16")
    assert s.warnings == ()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"daily_rate": D("0")}, "daily_rate", "The daily rate must be above 0"),
        ({"daily_rate": D("-5")}, "daily_rate", "The daily rate must be above 0"),
        ({"daily_rate": D("50000")}, "daily_rate", "at most 10000"),
        ({"days_per_month": D("0.4")}, "days_per_month", "between 0.5 and 23"),
        ({"days_per_month": D("24")}, "days_per_month", "between 0.5 and 23"),
        ({"management_fee_rate": D("2")}, "management_fee_rate", "between 3.00 % and 15.00 %"),
        ({"management_fee_rate": D("16")}, "management_fee_rate", "between 3.00 % and 15.00 %"),
        ({"expenses": D("-1")}, "expenses", "The expenses must be between 0"),
        ({"expenses": D("10044")}, "expenses", "exceed the turnover left after the fee"),
        ({"headcount": -1}, "headcount", "between 0 and"),
        ({"pas_rate": D("70")}, "pas_rate", "between 0 % and 60 %"),
        ({"classification_level": 5}, "classification_level", "1, 2, 3 or 4"),
        ({"period": "2027-03"}, "period", "apps/payroll/rates/2027.toml is missing"),
        ({"period": "March"}, "period", "YYYY-MM"),
        ({"daily_rate": "abc"}, "daily_rate", "Enter a number"),
    ],
)
def test_validation_messages(company, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        simulate(**overrides)
    messages = " ".join(caught.value.message_dict[field])
    assert message.replace("the fee", "the management fee") in messages


def test_fee_bounds_without_a_company_profile(db):
    # Before setup, 0 to 30 % may be simulated.
    assert simulate(management_fee_rate=D("25")).management_fee == D("2700.00")
    with pytest.raises(ValidationError, match="between 0 % and 30 %"):
        simulate(management_fee_rate=D("31"))


def test_too_little_for_a_payslip(company):
    with pytest.raises(ValidationError, match="too small for a payslip"):
        simulate(daily_rate=D("1"), days_per_month=D("0.5"), management_fee_rate=D("3"))


# --- before the new year's parameters are published ------------------------------------


def _latest_rates_year() -> int:
    from apps.payroll.engine.rates import RATES_DIR

    return max(int(path.stem) for path in RATES_DIR.glob("[0-9][0-9][0-9][0-9].toml"))


def test_default_month_without_parameters_uses_the_latest_published_month(company):
    """On 10 January of a year whose rates file does not exist yet, the consultant's
    simulator (no period given) still answers, on the latest published month, and says so."""
    from unittest import mock

    from apps.payroll.simulator import inputs

    year = _latest_rates_year() + 1
    with mock.patch.object(inputs.timezone, "localdate", return_value=date(year, 1, 10)):
        s = simulate(period=None)
    assert s.period == date(year - 1, 12, 1)
    assert s.warnings[0] == (
        f"The payroll parameters of 01/{year} are not published yet: this estimate uses"
        f" those of 12/{year - 1}."
    )
    # The same figures as the latest month asked for explicitly.
    explicit = simulate(period=f"{year - 1}-12")
    assert (s.gross, s.net_paid) == (explicit.gross, explicit.net_paid)
    assert explicit.warnings == ()


def test_an_explicit_month_without_parameters_names_the_missing_file(company):
    year = _latest_rates_year() + 1
    with pytest.raises(ValidationError) as error:
        simulate(period=f"{year}-01")
    assert error.value.message_dict["period"] == [
        f"no payroll rates for {year}-01: apps/payroll/rates/{year}.toml is missing"
    ]


def test_latest_rates_period():
    from apps.payroll.engine.rates import latest_rates_period

    year = _latest_rates_year()
    assert latest_rates_period(date(year + 1, 1, 10)) == date(year, 12, 1)
    assert latest_rates_period(date(2026, 1, 1)) is None  # no 2025 file
