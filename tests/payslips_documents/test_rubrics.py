"""The printed rubrics of the bulletin clarifié, in both models (adapté until pay of
December 2026, rénové from January 2027): every engine line in exactly one rubric, amounts
that add up to the lines to the cent, base and rate only when they are true, the model
chosen by the payment date."""

from collections import Counter
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from apps.payroll.engine import compute_payslip
from apps.payroll.engine.labels import LINE_LABELS
from apps.payroll.engine.types import ContractType, PayslipInput
from apps.payslips import layout
from apps.payslips.layout import (
    ADAPTE,
    MODELS,
    RENOVE,
    Line,
    PayslipModelError,
    UnmappedLineError,
    contribution_rows,
    payslip_model_for,
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


@pytest.mark.parametrize("model", MODELS.values(), ids=list(MODELS))
def test_every_engine_code_is_in_exactly_one_rubric(model):
    codes = [code for row in model.rows if isinstance(row, Line) for code in row.codes]
    assert [code for code, n in Counter(codes).items() if n > 1] == []
    assert set(codes) == set(LINE_LABELS), "a line code of the engine is in no rubric"
    assert set(model.line_of_code()) == set(codes)


@pytest.mark.parametrize("model", MODELS.values(), ids=list(MODELS))
@pytest.mark.parametrize("case", CASES)
def test_rubrics_add_up_to_the_lines_exactly(case, model):
    lines = CASES[case]
    rubrics = payslip_rubrics(lines, model)
    assert sum((r.employee_amount for r in rubrics), ZERO) == sum(
        (line.employee_amount for line in lines), ZERO
    )
    assert sum((r.employer_amount for r in rubrics), ZERO) == sum(
        (line.employer_amount for line in lines), ZERO
    )
    # Each line in one rubric, and the rubrics in the order of the model.
    assert sorted(code for r in rubrics for code in r.codes) == sorted(x.code for x in lines)
    labels = [row.label for row in model.rows if isinstance(row, Line)]
    order = [labels.index(r.label) for r in rubrics]
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


@pytest.mark.parametrize("model", MODELS.values(), ids=list(MODELS))
@pytest.mark.parametrize("case", CASES)
def test_printed_totals_and_lines_add_up_to_the_payslip(case, model):
    """The totals printed by a model plus the lines printed after its last total are the
    payslip's contributions: nothing is counted twice or left out."""
    lines = CASES[case]
    rows = contribution_rows(lines, model)
    employee = sum((r.employee for r in rows if r.kind == "total"), ZERO)
    employer = sum((r.employer for r in rows if r.kind == "total"), ZERO)
    last_total = max(i for i, r in enumerate(rows) if r.kind == "total")
    after = [r.rubric for r in rows[last_total:] if r.kind == "line"]
    employee += sum((r.employee_amount for r in after), ZERO)
    employer += sum((r.employer_amount for r in after), ZERO)
    assert employee == sum((x.employee_amount for x in lines), ZERO)
    assert employer == sum((x.employer_amount for x in lines), ZERO)


def test_cadre_above_the_pss_rubrics():
    rubrics = payslip_rubrics(CASES["cadre above the PSS"], ADAPTE)
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
    non_cadre = _by_label(payslip_rubrics(CASES["non-cadre below the PSS (RGDU)"], ADAPTE))
    assert "APEC" not in non_cadre
    assert "Complémentaire Incapacité Invalidité Décès" not in non_cadre
    assert "Complémentaire Tranche 2" not in non_cadre
    assert non_cadre["Réduction générale dégressive unique"].employer_amount < 0
    cdd = _by_label(payslip_rubrics(CASES["CDD non-cadre (CPF-CDD)"], ADAPTE))
    assert "cpf_cdd" in cdd["Autres contributions dues par l'employeur"].codes
    big = _by_label(payslip_rubrics(CASES["60 employees, versement mobilité"], ADAPTE))
    assert {"versement_mobilite", "peec"} <= set(
        big["Autres contributions dues par l'employeur"].codes
    )


def test_renove_model_rows_of_a_cadre_above_the_pss():
    """The rénové model (arrêté du 31 janvier 2023, art. 1), in its order: one block of
    mandatory contributions with its total, then the exemptions, then the optional block,
    where the cadre prévoyance goes; Apec a line of its own; « Autres charges dues par
    l'employeur » with its amount only."""
    rows = contribution_rows(CASES["cadre above the PSS"], RENOVE)
    assert [(r.kind, r.label) for r in rows] == [
        ("title", "Cotisations et contributions sociales obligatoires"),
        ("heading", "Santé"),
        ("line", "Sécurité Sociale Maladie Maternité Invalidité Décès"),
        ("line", "Complémentaire garanties frais de santé obligatoire"),
        ("line", "Accidents du travail & maladies professionnelles"),
        ("heading", "Retraite"),
        ("line", "Sécurité Sociale Vieillesse plafonnée"),
        ("line", "Sécurité Sociale Vieillesse déplafonnée"),
        ("line", "Retraite complémentaire, CEG et CET T1"),
        ("line", "Retraite complémentaire, CEG et CET T2"),
        ("line", "Famille"),
        ("line", "Assurance chômage"),
        ("line", "Apec"),
        ("line", "Autres charges dues par l'employeur"),
        ("line", "CSG déductible de l'impôt sur le revenu"),
        ("line", "CSG/CRDS non déductible de l'impôt sur le revenu"),
        ("total", "Total des cotisations et contributions obligatoires"),
        ("title", "Cotisations et contributions sociales facultatives"),
        ("line", "Prévoyance, Incapacité, Invalidité, Décès"),
    ]
    lines = {line.code: line for line in CASES["cadre above the PSS"]}
    total = next(r for r in rows if r.kind == "total")
    # The mandatory total leaves out only the optional prévoyance (no RGDU above 3 SMIC).
    all_employer = sum((x.employer_amount for x in lines.values()), ZERO)
    assert total.employer == all_employer - lines["prevoyance_cadre"].employer_amount
    assert total.employee == sum((x.employee_amount for x in lines.values()), ZERO)
    spec = RENOVE.line_of_code()["fnal"]
    assert spec.amounts_only and spec.label == "Autres charges dues par l'employeur"


def test_renove_model_non_cadre_with_rgdu():
    """No Apec line and no optional block for a non-cadre; the RGDU is the « Exonérations
    et allègements de cotisations » line, after the mandatory total, which does not
    include it."""
    lines = CASES["non-cadre below the PSS (RGDU)"]
    rows = contribution_rows(lines, RENOVE)
    labels = [r.label for r in rows]
    assert "Apec" not in labels
    assert "Cotisations et contributions sociales facultatives" not in labels
    assert labels[-2:] == [
        "Total des cotisations et contributions obligatoires",
        "Exonérations et allègements de cotisations",
    ]
    rgdu = next(x for x in lines if x.code == "rgdu")
    assert rows[-1].rubric.employer_amount == rgdu.employer_amount < 0
    assert rows[-1].spec.block and rows[-1].spec.amounts_only
    assert rows[-2].employer == sum((x.employer_amount for x in lines if x.code != "rgdu"), ZERO)


def test_adapte_heading_without_lines_says_neant():
    rows = contribution_rows(CASES["non-cadre above the PSS"], ADAPTE)
    statutory = next(r for r in rows if r.label.startswith("Cotisations statutaires ou prévues"))
    assert statutory.kind == "heading" and statutory.empty
    sante = next(r for r in rows if r.label == "Santé")
    assert not sante.empty


@pytest.mark.parametrize(
    ("paid_on", "model"),
    [
        (date(2023, 7, 1), ADAPTE),
        (date(2026, 12, 31), ADAPTE),
        (date(2027, 1, 1), RENOVE),
        (date(2027, 1, 5), RENOVE),
    ],
)
def test_the_payment_date_chooses_the_model(paid_on, model):
    assert payslip_model_for(paid_on) is model


def test_no_model_before_the_first_segment_and_a_malformed_file(tmp_path, monkeypatch):
    with pytest.raises(PayslipModelError, match="no payslip model for pay made on 2023-06-30"):
        payslip_model_for(date(2023, 6, 30))
    broken = tmp_path / "payslip_models.toml"
    broken.write_text('[[model]]\nkey = "nouveau"\nvalid_from = 2028-01-01\n')
    monkeypatch.setattr(layout, "MODELS_FILE", broken)
    layout._model_segments.cache_clear()
    try:
        with pytest.raises(PayslipModelError, match="needs a key among"):
            payslip_model_for(date(2028, 1, 1))
        broken.write_text(
            '[[model]]\nkey = "adapte"\nvalid_from = 2028-01-01\nsource = "a"\n'
            '[[model]]\nkey = "renove"\nvalid_from = 2028-01-01\nsource = "b"\n'
        )
        layout._model_segments.cache_clear()
        with pytest.raises(PayslipModelError, match="two models from 2028-01-01"):
            payslip_model_for(date(2028, 1, 1))
    finally:
        layout._model_segments.cache_clear()


def test_a_new_postponement_is_a_new_segment(tmp_path, monkeypatch):
    """Were the rénové model postponed to 2028, its date in the file moves the switch."""
    text = layout.MODELS_FILE.read_text(encoding="utf-8")
    assert text.count("valid_from = 2027-01-01") == 1
    postponed = tmp_path / "payslip_models.toml"
    postponed.write_text(
        text.replace("valid_from = 2027-01-01", "valid_from = 2028-01-01"), encoding="utf-8"
    )
    monkeypatch.setattr(layout, "MODELS_FILE", postponed)
    layout._model_segments.cache_clear()
    try:
        assert payslip_model_for(date(2027, 6, 30)) is ADAPTE
        assert payslip_model_for(date(2028, 1, 1)) is RENOVE
    finally:
        layout._model_segments.cache_clear()


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
    rubrics = payslip_rubrics(payslip.lines.all(), ADAPTE)
    assert sum((r.employee_amount for r in rubrics), ZERO) == payslip.employee_contributions
    assert sum((r.employer_amount for r in rubrics), ZERO) == payslip.employer_contributions
