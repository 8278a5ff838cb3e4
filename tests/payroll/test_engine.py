"""Payroll engine against the reference payslips (modele-social 11.1.0) and hand figures."""

import json
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.payroll.engine import (
    LINE_LABELS,
    ContractType,
    Group,
    IncomeTaxKind,
    PayslipInput,
    Rounding,
    Status,
    compute_income_tax,
    compute_payslip,
    gross_from_employer_cost,
    load_rates,
    rgdu_coefficient,
)
from apps.payroll.engine.rates import NetRules
from tests.payroll.reference import REFERENCE, RULE_PREFIX, RULE_TO_CODE, TOTALS

D = Decimal
JANUARY = date(2026, 1, 1)


def _cases(kind: str) -> list:
    if not REFERENCE.is_file():
        reason = f"reference payslips not found at {REFERENCE} (shared/domain not checked out)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason))]
    cases = json.loads(REFERENCE.read_text(encoding="utf-8"))[kind]
    return [pytest.param(case, id=_case_id(case)) for case in cases]


def _case_id(case: dict) -> str:
    given = case["input"]
    amount = given.get("gross", given.get("employer_cost"))
    return f"{given['status']}-{given['headcount']}-{amount}"


def _template(case: dict, rounding: Rounding = Rounding.PER_LINE) -> PayslipInput:
    given = case["input"]
    assert given["period"] == "2026-01"
    return PayslipInput(
        period=JANUARY,
        gross=D(str(given.get("gross", 0))),
        status=Status(given["status"]),
        headcount=given["headcount"],
        rounding=rounding,
    )


def _reference_lines(case: dict) -> dict[tuple[str, str], dict]:
    """(code, side) -> {"amount", "base"} with tranches split into _t1/_t2 codes."""
    lines = {}
    for side in ("employee", "employer"):
        for line in case[f"{side}_lines"]:
            code = RULE_TO_CODE[line["rule"].removeprefix(RULE_PREFIX)]
            if "tranches" in line:
                for number, tranche in enumerate(line["tranches"], start=1):
                    lines[(f"{code}_t{number}", side)] = tranche
            else:
                lines[(code, side)] = line
    return lines


def _our_lines(result) -> dict[tuple[str, str], object]:
    lines = {}
    for line in result.lines:
        if line.employee_amount:
            lines[(line.code, "employee")] = line
        if line.employer_amount:
            lines[(line.code, "employer")] = line
    return lines


def _assert_matches_reference(result, case: dict, base_tolerance: str = "0.01") -> None:
    expected = _reference_lines(case)
    ours = _our_lines(result)
    assert set(ours) == set(expected), "lines differ from the reference"
    for (code, side), reference in expected.items():
        line = ours[(code, side)]
        amount = getattr(line, f"{side}_amount")
        assert abs(amount - D(str(reference["amount"]))) <= D("0.05"), (code, side, amount)
        if reference["base"] is not None:
            difference = abs(line.base - D(str(reference["base"])))
            assert difference <= D(base_tolerance), (code, line.base)
    for name in TOTALS:
        ours_total = getattr(result, name)
        assert abs(ours_total - D(str(case["totals"][name]))) <= D("1.00"), (name, ours_total)


@pytest.mark.parametrize("case", _cases("forward_cases"))
def test_forward_cases_match_reference_within_tolerance(case):
    result = compute_payslip(_template(case))
    _assert_matches_reference(result, case)
    parameters = case["parameters"]
    assert result.pss == D(str(parameters["pss_monthly"]))
    assert result.smic == D(str(parameters["smic_monthly"]))
    assert result.rgdu.reduction == D(str(parameters["rgdu_reduction"]))
    csg = result.line("csg_deductible")
    assert abs(csg.base - D(str(parameters["csg_crds_base"]))) <= D("0.01")


@pytest.mark.parametrize("case", _cases("forward_cases"))
def test_forward_cases_exact_totals_mode_equals_reference_to_the_cent(case):
    """EXACT_TOTALS rounds the unrounded sums once, like modele-social: same totals."""
    result = compute_payslip(_template(case, Rounding.EXACT_TOTALS))
    for name in TOTALS:
        assert getattr(result, name) == D(str(case["totals"][name])), name


@pytest.mark.parametrize("case", _cases("forward_cases"))
def test_per_line_totals_are_sums_of_rounded_lines(case):
    result = compute_payslip(_template(case))
    employee = sum(line.employee_amount for line in result.lines)
    employer = sum(line.employer_amount for line in result.lines)
    assert result.employee_contributions == employee
    assert result.employer_contributions == employer
    assert result.employer_cost == result.gross + employer
    assert result.net_before_income_tax == result.gross - employee


@pytest.mark.parametrize("rounding", list(Rounding))
@pytest.mark.parametrize("case", _cases("reverse_cases"))
def test_reverse_case_matches_reference(case, rounding):
    target = D(str(case["input"]["employer_cost"]))
    result = gross_from_employer_cost(target, _template(case, rounding))
    assert result.employer_cost <= target
    assert abs(result.gross - D(str(case["totals"]["gross"]))) <= D("0.05")
    # The gross may be a cent off the reference's, so the bases may be too.
    _assert_matches_reference(result, case, base_tolerance="0.05")


def test_every_line_has_labels_group_and_source():
    result = compute_payslip(
        PayslipInput(
            period=JANUARY,
            gross=D("20000"),
            status=Status.CADRE,
            headcount=2500,
            contract_type=ContractType.CDD,
            mobility_rate=D("2.95"),
        )
    )
    assert {line.code for line in result.lines} >= {"versement_mobilite", "cpf_cdd", "peec"}
    for line in result.lines:
        assert (line.label_fr, line.label_en) == LINE_LABELS[line.code]
        assert isinstance(line.group, Group)
        assert line.source
    assert list(result.lines_by_group())[0] is Group.SANTE


# --- rounding --------------------------------------------------------------------------


def test_each_line_is_rounded_half_up_to_the_cent():
    """2 000.50 x 13 % = 260.065: half up gives 260.07 (banker's rounding would give 260.06)."""
    result = compute_payslip(
        PayslipInput(period=JANUARY, gross=D("2000.50"), status=Status.NON_CADRE, headcount=20)
    )
    maladie = result.line("maladie")
    assert maladie.employer_amount == D("260.07")
    assert D("260.065").quantize(D("0.01"), rounding=ROUND_HALF_EVEN) == D("260.06")
    # 2 002.00 x 5.25 % = 105.105 -> 105.11
    result = compute_payslip(replace(result.inputs, gross=D("2002.00")))
    assert result.line("allocations_familiales").employer_amount == D("105.11")


def test_inputs_refuse_floats():
    with pytest.raises(TypeError, match="Decimal"):
        PayslipInput(period=JANUARY, gross=1900.0, status=Status.CADRE, headcount=20)


# --- RGDU ------------------------------------------------------------------------------


def test_rgdu_hand_calculation_1900_cadre_20_employees():
    """3 x 1 823.03 / 1 900 = 2.878468; (2.878468 - 1) / 2 = 0.939234; ^1.75 = 0.896105;
    C = 0.02 + 0.3781 x 0.896105 = 0.358817 -> 0.3588; 0.3588 x 1 900 = 681.72."""
    rates = load_rates(JANUARY)
    assert rgdu_coefficient(D("1900"), D("1823.03"), D("0.3781"), rates.rgdu) == D("0.3588")
    result = compute_payslip(
        PayslipInput(period=JANUARY, gross=D("1900"), status=Status.CADRE, headcount=20)
    )
    line = result.line("rgdu")
    assert line.employer_amount == D("-681.72")
    assert line.employer_rate == D("-35.88")
    assert line.group is Group.EXONERATIONS


def test_rgdu_is_zero_from_3_smic_and_2_percent_just_below():
    rates = load_rates(JANUARY)
    three_smic = 3 * rates.smic.monthly  # 5 469.09
    assert rgdu_coefficient(three_smic, rates.smic.monthly, D("0.3781"), rates.rgdu) == 0
    below = three_smic - D("0.01")
    assert rgdu_coefficient(below, rates.smic.monthly, D("0.3781"), rates.rgdu) == D("0.0200")
    result = compute_payslip(
        PayslipInput(period=JANUARY, gross=three_smic, status=Status.CADRE, headcount=20)
    )
    assert result.line("rgdu") is None
    assert result.rgdu.reduction == 0


def test_rgdu_uses_the_larger_t_delta_from_50_employees():
    rates = load_rates(JANUARY)
    assert rgdu_coefficient(D("1900"), D("1823.03"), rates.rgdu.t_delta(50), rates.rgdu) == D(
        "0.3624"
    )


def test_rgdu_year_to_date_regularisation():
    january = compute_payslip(
        PayslipInput(period=JANUARY, gross=D("1900"), status=Status.CADRE, headcount=20)
    )
    february = compute_payslip(
        replace(
            january.inputs,
            period=date(2026, 2, 1),
            ytd_gross=january.rgdu.ytd_gross,
            ytd_smic=january.rgdu.ytd_smic,
            ytd_rgdu=january.rgdu.ytd_rgdu,
        )
    )
    assert february.rgdu.reduction == D("681.72")  # 0.3588 x 3 800 - 681.72
    assert february.rgdu.ytd_rgdu == D("1363.44")
    # A large March: 17 800 year to date >= 3 x 5 469.09, the reduction is given back.
    march = compute_payslip(
        replace(
            february.inputs,
            period=date(2026, 3, 1),
            gross=D("14000"),
            ytd_gross=february.rgdu.ytd_gross,
            ytd_smic=february.rgdu.ytd_smic,
            ytd_rgdu=february.rgdu.ytd_rgdu,
        )
    )
    assert march.rgdu.coefficient == 0
    assert march.line("rgdu").employer_amount == D("1363.44")


# --- headcount thresholds, options ----------------------------------------------------


def test_small_employer_lines():
    result = compute_payslip(
        PayslipInput(
            period=JANUARY,
            gross=D("3000"),
            status=Status.NON_CADRE,
            headcount=5,
            mobility_rate=D("2.95"),
        )
    )
    assert result.line("formation_professionnelle").employer_rate == D("0.55")
    assert result.line("forfait_social") is None
    assert result.line("versement_mobilite") is None
    assert result.line("fnal").base == D("3000.00")


def test_fifty_employees_fnal_on_total_and_peec():
    result = compute_payslip(
        PayslipInput(period=JANUARY, gross=D("5000"), status=Status.CADRE, headcount=50)
    )
    fnal = result.line("fnal")
    assert (fnal.base, fnal.employer_rate, fnal.employer_amount) == (
        D("5000.00"),
        D("0.50"),
        D("25.00"),
    )
    assert result.line("peec").employer_amount == D("22.50")
    assert result.line("contribution_supplementaire_apprentissage") is None


def test_part_time_prorates_the_ceiling_and_the_smic():
    result = compute_payslip(
        PayslipInput(
            period=JANUARY,
            gross=D("2500"),
            status=Status.CADRE,
            headcount=20,
            part_time_ratio=D("0.5"),
        )
    )
    assert result.pss == D("2002.50")
    assert result.smic == D("911.52")
    assert result.line("vieillesse_plafonnee").base == D("2002.50")
    assert result.line("retraite_complementaire_t2").base == D("497.50")
    assert result.line("cet").base == D("2500.00")


def test_mutuelle_employer_share_must_be_at_least_half():
    with pytest.raises(ValueError, match="between 50"):
        compute_payslip(
            PayslipInput(
                period=JANUARY,
                gross=D("3000"),
                status=Status.CADRE,
                headcount=20,
                mutuelle_employer_share=D("40"),
            )
        )


# --- net amounts: documented choices ---------------------------------------------------


def _cadre_4005(**changes) -> PayslipInput:
    return PayslipInput(
        period=JANUARY, gross=D("4005"), status=Status.CADRE, headcount=20, **changes
    )


def test_net_taxable_follows_modele_social_and_can_switch_to_cgi_83():
    rates = load_rates(JANUARY)
    result = compute_payslip(_cadre_4005(), rates)
    # net before tax + CSG non déductible + CRDS + employer health + employer prévoyance
    assert result.net_taxable == D("3141.62") + D("96.36") + D("20.07") + D("20.00") + D("60.08")
    cgi_83 = replace(
        rates, net_rules=replace(rates.net_rules, taxable_includes_employer_prevoyance=False)
    )
    assert compute_payslip(_cadre_4005(), cgi_83).net_taxable == result.net_taxable - D("60.08")


def test_net_social_is_gross_minus_employee_contributions_or_boss():
    rates = load_rates(JANUARY)
    result = compute_payslip(_cadre_4005(), rates)
    assert result.net_social == result.gross - result.employee_contributions
    boss = replace(
        rates,
        net_rules=NetRules(
            taxable_includes_employer_prevoyance=True,
            social_includes_employer_prevoyance=True,
            source="BOSS",
        ),
    )
    assert compute_payslip(_cadre_4005(), boss).net_social == result.net_social + D("60.08")


# --- PAS -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "base", "rate"),
    [
        (date(2026, 1, 1), "1619.99", "0"),
        (date(2026, 1, 1), "1620.00", "0.5"),
        (date(2026, 1, 1), "3538.99", "9.9"),
        (date(2026, 1, 1), "3539.00", "11.9"),
        (date(2026, 1, 1), "55061.99", "38.0"),
        (date(2026, 1, 1), "55062.00", "43.0"),
        (date(2026, 4, 30), "1634.99", "0.5"),  # grid A until 30/04
        (date(2026, 5, 1), "1634.99", "0"),  # grid B from 01/05
        (date(2026, 6, 1), "1620.00", "0"),
        (date(2026, 6, 1), "1635.00", "0.5"),
        (date(2026, 6, 1), "3571.00", "11.9"),
        (date(2026, 6, 1), "55558.00", "43.0"),
    ],
)
def test_pas_neutral_grid_boundaries(period, base, rate):
    grid = load_rates(period).pas_grid
    assert grid.name == ("A" if period < date(2026, 5, 1) else "B")
    tax = compute_income_tax(D(base), grid=grid)
    assert tax.kind is IncomeTaxKind.NEUTRAL
    assert tax.rate == D(rate)
    assert tax.amount == (D(base) * D(rate) / 100).quantize(D("0.01"))


def test_pas_in_the_payslip_neutral_then_personalised():
    result = compute_payslip(_cadre_4005())  # net taxable 3 338.13: grid A 9.9 %
    assert result.income_tax.rate == D("9.9")
    assert result.income_tax.amount == D("330.47")
    assert result.net_paid == result.net_before_income_tax - D("330.47")
    personal = compute_payslip(_cadre_4005(pas_rate=D("4.2")))
    assert personal.income_tax.kind is IncomeTaxKind.PERSONALISED
    assert personal.income_tax.amount == D("140.20")  # 3 338.13 x 4.2 % = 140.2015


def test_pas_short_contract_abatement():
    grid = load_rates(JANUARY).pas_grid
    tax = compute_income_tax(D("2400.00"), grid=grid, short_contract=True)
    assert tax.base == D("1652.00")  # 2 400 - 748
    assert tax.rate == D("0.5")
    assert tax.amount == D("8.26")


@settings(max_examples=300, deadline=None)
@given(
    ratio=st.decimals(min_value=D("0.000001"), max_value=D("1"), places=6),
    exponent=st.sampled_from([D("1.75"), D("1.5"), D("0.5"), D("2"), D("1.6")]),
)
def test_decimal_power_matches_decimal_pow_to_the_coefficient_digits(ratio, exponent):
    """The RGDU coefficient keeps 4 decimals: the square-root path must give the same
    digits as Decimal's own ** (1.6 has no power-of-two denominator: the ** path)."""
    from apps.payroll.engine.rgdu import decimal_power

    fast, reference = decimal_power(ratio, exponent), ratio**exponent
    assert abs(fast - reference) <= D("1e-25")
    assert fast.quantize(D("0.000001")) == reference.quantize(D("0.000001"))
