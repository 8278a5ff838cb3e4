"""The printed rubrics of the bulletin clarifié: every engine line in exactly one rubric,
amounts that add up to the lines to the cent, base and rate only when they are true."""

from collections import Counter
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from apps.payroll.engine import compute_payslip
from apps.payroll.engine.labels import LINE_LABELS
from apps.payroll.engine.types import ContractType, Group, PayslipInput
from apps.payslips.documents import (
    RUBRIC_OF_CODE,
    RUBRICS,
    UnmappedLineError,
    payslip_rubrics,
)

from .factories import make_payslip

ZERO = Decimal(0)
PSS_2026 = Decimal("4005.00")


def _lines(gross, status="cadre", **extra):
    inputs = PayslipInput(
        period=date(2026, 1, 1),
        gross=Decimal(gross),
        status=status,
        headcount=extra.pop("headcount", 20),
        pas_rate=Decimal("7.50"),
        **extra,
    )
    return compute_payslip(inputs).lines


CASES = {
    "cadre below the PSS (RGDU)": _lines("2600.00"),
    "cadre above the PSS": _lines("6361.12"),
    "cadre above 4 PSS": _lines("18000.00"),
    "non-cadre below the PSS (RGDU)": _lines("2300.00", status="non-cadre"),
    "non-cadre above the PSS": _lines("5200.00", status="non-cadre"),
    "CDD cadre above the PSS (CPF-CDD, RGDU)": _lines("4500.00", contract_type=ContractType.CDD),
    "CDD non-cadre (CPF-CDD)": _lines(
        "3100.00", status="non-cadre", contract_type=ContractType.CDD
    ),
    "60 employees, versement mobilité": _lines(
        "7000.00", headcount=60, mobility_rate=Decimal("2.95")
    ),
}


def _by_label(rubrics):
    return {rubric.label: rubric for rubric in rubrics}


def test_every_engine_code_is_in_exactly_one_rubric():
    codes = [code for _, _, rubric_codes in RUBRICS for code in rubric_codes]
    assert [code for code, n in Counter(codes).items() if n > 1] == []
    assert set(codes) == set(LINE_LABELS), "a line code of the engine is in no rubric"
    assert set(RUBRIC_OF_CODE) == set(codes)


@pytest.mark.parametrize("case", CASES)
def test_rubrics_add_up_to_the_lines_exactly(case):
    lines = CASES[case]
    rubrics = payslip_rubrics(lines)
    assert sum((r.employee_amount for r in rubrics), ZERO) == sum(
        (line.employee_amount for line in lines), ZERO
    )
    assert sum((r.employer_amount for r in rubrics), ZERO) == sum(
        (line.employer_amount for line in lines), ZERO
    )
    # Each line in one rubric, of the line's own group, and the rubrics in the model order.
    assert sorted(code for r in rubrics for code in r.codes) == sorted(x.code for x in lines)
    for line in lines:
        assert RUBRICS[RUBRIC_OF_CODE[line.code]][0] == line.group, line.code
    order = [list(Group).index(r.group) for r in rubrics]
    assert order == sorted(order)
    # A base is shown only if every merged line has it; a rate only with a base, and
    # then it is the sum of the merged rates.
    by_code = {line.code: line for line in lines}
    for rubric in rubrics:
        merged = [by_code[code] for code in rubric.codes]
        bases = {line.base for line in merged}
        if len(bases) == 1:
            assert rubric.base == merged[0].base
            rates = [x.employee_rate for x in merged if x.employee_rate is not None]
            assert rubric.employee_rate == (sum(rates, ZERO) if rates else None)
        else:
            assert rubric.base is None
            assert rubric.employee_rate is None and rubric.employer_rate is None


def test_cadre_above_the_pss_rubrics():
    rubrics = payslip_rubrics(CASES["cadre above the PSS"])
    by_label = _by_label(rubrics)
    assert list(by_label) == [
        "Sécurité sociale - Maladie Maternité Invalidité Décès",
        "Complémentaire Incapacité Invalidité Décès",
        "Complémentaire santé",
        "Accidents du travail - Maladies professionnelles",
        "Sécurité sociale plafonnée",
        "Sécurité sociale déplafonnée",
        "Complémentaire Tranche 1",
        "Complémentaire Tranche 2",
        "Famille",
        "Assurance chômage",
        "Autres contributions dues par l'employeur",
        "APEC",
        "CSG déductible de l'impôt sur le revenu",
        "CSG/CRDS non déductible de l'impôt sur le revenu",
    ]
    t1 = by_label["Complémentaire Tranche 1"]
    assert t1.codes == ("retraite_complementaire_t1", "ceg_t1")
    assert t1.base == PSS_2026
    assert t1.employee_rate == Decimal("4.01")  # 3.15 + 0.86
    assert t1.employer_rate == Decimal("6.01")  # 4.72 + 1.29
    # T2 merges CET, whose base (up to 8 PSS) is not the T2 base: amounts only.
    t2 = by_label["Complémentaire Tranche 2"]
    assert t2.codes == ("retraite_complementaire_t2", "ceg_t2", "cet")
    assert t2.base is None and t2.employee_rate is None and t2.employee_amount > 0
    chomage = by_label["Assurance chômage"]
    assert chomage.codes == ("chomage", "ags") and chomage.base == Decimal("6361.12")
    csg = by_label["CSG/CRDS non déductible de l'impôt sur le revenu"]
    assert csg.codes == ("csg_non_deductible", "crds")
    assert csg.employee_rate == Decimal("2.90")  # 2.40 + 0.50
    assert csg.employer_amount == ZERO
    others = by_label["Autres contributions dues par l'employeur"]
    assert {"fnal", "csa", "formation_professionnelle", "dialogue_social"} <= set(others.codes)
    assert others.employee_amount == ZERO and others.base is None


def test_non_cadre_and_cdd_rubrics():
    non_cadre = _by_label(payslip_rubrics(CASES["non-cadre below the PSS (RGDU)"]))
    assert "APEC" not in non_cadre
    assert "Complémentaire Incapacité Invalidité Décès" not in non_cadre
    assert "Complémentaire Tranche 2" not in non_cadre
    assert non_cadre["Réduction générale dégressive unique"].employer_amount < 0
    cdd = _by_label(payslip_rubrics(CASES["CDD non-cadre (CPF-CDD)"]))
    assert "cpf_cdd" in cdd["Autres contributions dues par l'employeur"].codes
    big = _by_label(payslip_rubrics(CASES["60 employees, versement mobilité"]))
    assert {"versement_mobilite", "peec"} <= set(
        big["Autres contributions dues par l'employeur"].codes
    )


def test_an_unmapped_line_code_raises():
    """A new engine line must be given a rubric, never silently left off the payslip."""
    new_line = SimpleNamespace(
        code="nouvelle_contribution",
        base=Decimal("1000.00"),
        employee_rate=None,
        employee_amount=ZERO,
        employer_rate=Decimal("1.00"),
        employer_amount=Decimal("10.00"),
    )
    with pytest.raises(UnmappedLineError, match="nouvelle_contribution"):
        payslip_rubrics([*CASES["cadre above the PSS"], new_line])


@pytest.mark.django_db
def test_rubrics_of_stored_lines_add_up_to_the_payslip_totals():
    payslip = make_payslip()
    rubrics = payslip_rubrics(payslip.lines.all())
    assert sum((r.employee_amount for r in rubrics), ZERO) == payslip.employee_contributions
    assert sum((r.employer_amount for r in rubrics), ZERO) == payslip.employer_contributions
