"""PR-17 / PR-29: minimum salary reachable with the daily rate (uses the payroll engine)."""

from datetime import date
from decimal import Decimal

import pytest

from apps.compliance import minimum as minimum_module
from apps.compliance.minimum import minimum_salary_check
from apps.compliance.types import Severity
from apps.payroll.engine import (
    ContractType,
    PayslipInput,
    RatesNotFound,
    Status,
    compose_portage_salary,
)

ON = date(2026, 3, 2)


def check(**overrides):
    kwargs = {
        "daily_rate": Decimal("150.00"),
        "days_per_month": Decimal("18"),
        "management_fee_rate": Decimal("7.00"),
        "classification": 2,
        "status_cadre": "cadre",
        "on_date": ON,
        "working_time_mode": "days",
    }
    kwargs.update(overrides)
    return minimum_salary_check(**kwargs)


def composed(available, *, status=Status.CADRE, contract_type=ContractType.CDI):
    template = PayslipInput(
        period=ON, gross=Decimal(0), status=status, headcount=20, contract_type=contract_type
    )
    return compose_portage_salary(available, template)


def test_a_comfortable_daily_rate_passes():
    assert check(daily_rate=Decimal("600.00")) is None


def test_shortfall_figures_come_from_the_payroll_engine():
    finding = check()
    assert (finding.rule_id, finding.code, finding.severity) == (
        "PR-17",
        "minimum_salary_not_reachable",
        Severity.WARN,
    )
    figures = finding.figures
    # 150 x 18 = 2700.00; fee 7 % = 189.00; available 2511.00
    assert figures["available_amount"] == "2511.00"
    composition = composed(Decimal("2511.00"))
    assert figures["base_salary"] == str(composition.base_salary)
    expected_remuneration = (
        composition.base_salary + composition.business_bonus + composition.paid_leave
    )
    assert figures["remuneration"] == str(expected_remuneration)
    # level 2 = 77 % of 3269.00 = 2517.13 a month, pro-rated 18 x 12 / 218 days
    assert figures["monthly_minimum"] == "2517.13"
    assert figures["minimum"] == str((Decimal("2517.13") * 216 / 218).quantize(Decimal("0.01")))
    assert Decimal(figures["shortfall"]) == Decimal(figures["minimum"]) - expected_remuneration
    assert figures["minimum"] in finding.message and "150.00" in finding.message


def test_minimum_viable_daily_rate_is_the_exact_edge():
    rate = Decimal(check().figures["minimum_daily_rate"])
    assert check(daily_rate=rate) is None  # day of: reaches the minimum
    assert check(daily_rate=rate - 1) is not None  # one euro below: short


def test_a_full_month_share_caps_the_minimum_at_the_monthly_amount():
    finding = check(days_per_month=Decimal("22"), daily_rate=Decimal("100.00"))
    assert finding.figures["minimum"] == finding.figures["monthly_minimum"]


def test_hours_mode_prorates_on_151_67_hours():
    finding = check(
        working_time_mode="hours",
        days_per_month=Decimal("10"),
        daily_rate=Decimal("100.00"),
        status_cadre="non_cadre",
    )
    expected = (Decimal("2517.13") * 70 / Decimal("151.67")).quantize(Decimal("0.01"))
    assert finding.figures["minimum"] == str(expected)


def test_forfait_days_per_year_changes_the_prorating():
    standard = check(days_per_month=Decimal("10"))
    reduced = check(days_per_month=Decimal("10"), days_per_year=200)
    assert Decimal(reduced.figures["minimum"]) > Decimal(standard.figures["minimum"])


def test_status_and_contract_kind_are_passed_to_the_payroll_engine():
    non_cadre = check(status_cadre="non_cadre")
    expected = composed(Decimal("2511.00"), status=Status.NON_CADRE)
    assert non_cadre.figures["base_salary"] == str(expected.base_salary)
    cdd = check(contract_kind="cdd")
    expected_cdd = composed(Decimal("2511.00"), contract_type=ContractType.CDD)
    assert cdd.figures["base_salary"] == str(expected_cdd.base_salary)
    assert expected_cdd.base_salary != composed(Decimal("2511.00")).base_salary


@pytest.mark.parametrize(
    "missing",
    [
        {"daily_rate": None},
        {"days_per_month": None},
        {"days_per_month": Decimal("0")},
        {"classification": None},
    ],
)
def test_nothing_to_check_without_rate_days_or_level(missing):
    assert check(**missing) is None


def test_a_year_without_rates_file_uses_the_closest_year():
    finding = check(on_date=date(2031, 5, 1))
    assert finding.figures["rates_file"].endswith("2026.toml")


def test_no_rates_at_all_gives_an_unchecked_warning(monkeypatch):
    def missing(period, rates_dir=None):
        raise RatesNotFound("no rates")

    monkeypatch.setattr(minimum_module, "load_rates", missing)
    finding = check()
    assert (finding.code, finding.severity) == ("minimum_salary_unchecked", Severity.WARN)
    assert finding.figures == {"on_date": "2026-03-02"}
