"""Rates files: one per year, dated segments, clear errors."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from apps.payroll.engine import (
    PayslipInput,
    RatesFileError,
    RatesNotFound,
    Status,
    compute_payslip,
    load_rates,
)
from apps.payroll.engine.rates import RATES_DIR

D = Decimal
SOURCE_2026 = RATES_DIR / "2026.toml"


def test_missing_year_names_the_missing_file():
    with pytest.raises(RatesNotFound) as error:
        load_rates(date(2099, 1, 1))
    assert str(error.value) == (
        "no payroll rates for 2099-01: apps/payroll/rates/2099.toml is missing"
    )


def test_missing_year_in_another_directory(tmp_path):
    with pytest.raises(
        RatesNotFound, match=r"no payroll rates for 2027-03: .*2027\.toml is missing"
    ):
        load_rates(date(2027, 3, 1), tmp_path)


def test_every_2026_value_has_a_source():
    rates = load_rates(date(2026, 1, 1))
    assert rates.file == "apps/payroll/rates/2026.toml"
    assert rates.pss.monthly == D("4005.00")
    assert "JO 23/12/2025" in rates.pss.source
    assert rates.smic.monthly == D("1823.03")
    for contribution in rates.contributions.values():
        assert contribution.source, contribution.code
    for part in (rates.ceilings, rates.rgdu, rates.net_rules, rates.pas_grid, rates.portage):
        assert part.source


def test_a_new_year_is_a_new_file_without_code_change(tmp_path):
    text = SOURCE_2026.read_text(encoding="utf-8")
    text = text.replace("2026-01-01", "2027-01-01").replace("2026-05-01", "2027-05-01")
    text = text.replace("monthly = 4005.00", "monthly = 4100.00")
    (tmp_path / "2027.toml").write_text(text, encoding="utf-8")
    rates = load_rates(date(2027, 1, 1), tmp_path)
    result = compute_payslip(
        PayslipInput(period=date(2027, 1, 1), gross=D("5000"), status=Status.CADRE, headcount=20),
        rates,
    )
    assert result.pss == D("4100.00")
    assert result.line("vieillesse_plafonnee").base == D("4100.00")


def test_mid_year_segment_is_chosen_by_period(tmp_path):
    text = SOURCE_2026.read_text(encoding="utf-8")
    text += (
        "\n[[smic]]\nvalid_from = 2026-09-01\nhourly = 12.50\nmonthly = 1895.83\n"
        'source = "hypothetical second mid-year SMIC increase (test)"\n'
    )
    (tmp_path / "2026.toml").write_text(text, encoding="utf-8")
    assert load_rates(date(2026, 8, 31), tmp_path).smic.monthly == D("1867.02")
    september = load_rates(date(2026, 9, 1), tmp_path)
    assert september.smic.monthly == D("1895.83")
    assert september.smic.source.startswith("hypothetical")


def test_smic_revalued_on_1_june_2026_in_the_real_file():
    # service-public.gouv.fr A18916 / urssaf.fr: 12.02 €/h (1 823.03 €) until 31 May 2026,
    # 12.31 €/h (1 867.02 €) from 1 June 2026.
    may, june = load_rates(date(2026, 5, 1)), load_rates(date(2026, 6, 1))
    assert (may.smic.hourly, may.smic.monthly) == (D("12.02"), D("1823.03"))
    assert (june.smic.hourly, june.smic.monthly) == (D("12.31"), D("1867.02"))


def test_rgdu_keeps_the_smic_of_1_january_2026_after_the_june_revaluation():
    """Décret n° 2026-509 du 12/06/2026: the 2026 RGDU is computed on the SMIC of 1 January
    2026 (1 823.03 €/month) for the whole year. By hand, non-cadre, 20 employees, gross
    2 600.00 € in June, no earlier month:
    C = 0.02 + 0.3781 x (0.5 x (3 x 1 823.03 / 2 600 - 1)) ^ 1.75 = 0.153553 -> 0.1536;
    reduction = 2 600.00 x 0.1536 = 399.36 (on the June SMIC 1 867.02 it would be
    C = 0.1645, 427.70)."""
    result = compute_payslip(
        PayslipInput(
            period=date(2026, 6, 1), gross=D("2600.00"), status=Status.NON_CADRE, headcount=20
        )
    )
    assert result.rgdu.coefficient == D("0.1536")
    assert result.rgdu.reduction == D("399.36")
    assert result.rgdu.ytd_smic == D("1823.03")


def test_pas_grid_changes_on_1_may_2026_in_the_real_file():
    assert load_rates(date(2026, 4, 1)).pas_grid.name == "A"
    assert load_rates(date(2026, 5, 1)).pas_grid.name == "B"


def test_segment_without_source_is_refused(tmp_path):
    (tmp_path / "2026.toml").write_text(
        "[[pss]]\nvalid_from = 2026-01-01\nmonthly = 4005.00\nannual = 48060.00\n",
        encoding="utf-8",
    )
    with pytest.raises(RatesFileError, match=r"\[\[pss\]\] segment has no source"):
        load_rates(date(2026, 1, 1), tmp_path)


def test_period_before_every_segment(tmp_path):
    text = SOURCE_2026.read_text(encoding="utf-8").replace("2026-01-01", "2026-02-01")
    (tmp_path / "2026.toml").write_text(text, encoding="utf-8")
    with pytest.raises(
        RatesNotFound,
        match=r"no payroll rates for 2026-01: \[\[.*\]\] in .*2026\.toml starts later",
    ):
        load_rates(date(2026, 1, 1), tmp_path)


def test_rates_dir_is_the_apps_payroll_rates_folder():
    assert Path("apps/payroll/rates") == RATES_DIR.relative_to(RATES_DIR.parents[2])
