"""The payslip PDF: every mention of the bulletin de paie clarifié, on one page, once."""

import hashlib
import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from pypdf import PdfReader

from apps.payslips import documents
from apps.payslips.documents import payslip_document_render
from apps.payslips.models import Payslip

from .factories import REFERENCE_CADRE_6361, make_payslip

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.django_db

MANDATORY = [
    # Employer (R3243-1 1° to 3°): name, address, SIRET, NAF, where contributions are paid,
    # the collective agreement.
    "Portage Exemple SAS",
    "1 rue de Rivoli, 75001 Paris",
    "73282932000074",
    "7830Z",
    "URSSAF",
    "Convention collective de branche des salariés en portage salarial",
    "IDCC 3219",
    # Employee: name, NIR, job, classification, cadre status, hire date, contract type.
    "N° de sécurité sociale",
    "Consultante en architecture logicielle",
    "Niveau 3",
    "Cadre",
    "entrée le 01/01/2026",
    "CDI",
    # Period and payment date.
    "Période du 01/01/2026 au 31/01/2026",
    "Date de paiement : 31/01/2026",
    # Salary elements.
    "Salaire de base",
    "Prime d'apport d'affaires",
    "Indemnité de congés payés",
    "Salaire brut",
    # Totals, nets, tax, employer cost, cumulative figures.
    "Total des cotisations et contributions",
    "Exonérations, écrêtements et allègements de cotisations",
    "Net à payer avant impôt sur le revenu",
    "Impôt sur le revenu prélevé à la source",
    "Taux personnalisé",
    "Net à payer au salarié",
    "Montant net social",
    "Net imposable",
    "Total versé par l'employeur",
    "Allègement de cotisations employeur",
    "Cumuls annuels",
    "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin "
    "de paie sans limitation de durée.",
    "service-public.fr",
]
# The groups and rubrics of the model of the arrêté du 25 février 2016, in this order
# (cadre above the PSS: every rubric of the model that this payslip has).
GROUPS = [
    "Santé",
    "Sécurité sociale - Maladie Maternité Invalidité Décès",
    "Complémentaire Incapacité Invalidité Décès",
    "Complémentaire santé",
    "Accidents du travail - Maladies professionnelles",
    "Retraite",
    "Sécurité sociale plafonnée",
    "Sécurité sociale déplafonnée",
    "Complémentaire Tranche 1",
    "Complémentaire Tranche 2",
    "Famille",
    "Assurance chômage",
    "Autres contributions dues par l'employeur",
    "Cotisations statutaires ou prévues par la convention collective",
    "APEC",
    "CSG déductible de l'impôt sur le revenu",
    "CSG/CRDS non déductible de l'impôt sur le revenu",
    "Exonérations, écrêtements et allègements de cotisations",
    "Total des cotisations et contributions",
    # The model in force until pay of December 2026 (arrêté du 31 janvier 2023, "adapté"
    # model; the "rénové" one is mandatory from 1 January 2027): the montant net social
    # between the total and the net before income tax; « Net à payer au salarié » since 2022.
    "Montant net social",
    "Net à payer avant impôt sur le revenu",
    "Impôt sur le revenu prélevé à la source",
    "Net à payer au salarié",
]
# Technical engine lines merged into a rubric: in the data, the API and the journal, not
# printed on their own.
MERGED_DETAIL = [
    "Contribution d'équilibre général",
    "Contribution d'équilibre technique",
    "AGS (garantie des salaires)",
    "FNAL",
    "Contribution solidarité autonomie",
    "Taxe d'apprentissage",
    "Contribution au dialogue social",
    "Forfait social",
    "CSG non déductible",
]


def _text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.replace("\u00a0", " ").split())


def _stored(payslip: Payslip) -> bytes:
    payslip.refresh_from_db()
    with payslip.pdf_file.open("rb") as stored:
        return stored.read()


def test_pdf_has_every_mention_group_and_figure_on_one_page():
    payslip = make_payslip()
    # The engine reproduces the reference case (modele-social, not our code) within 1 €.
    for name, expected in REFERENCE_CADRE_6361.items():
        assert abs(getattr(payslip, name) - expected) <= Decimal("1.00"), name
    # PAS by hand: 7.50 % of the reference net taxable 5 288.93 = 396.67; net paid =
    # 5 025.29 - 396.67 = 4 628.62 (reference figures, within the 1 € tolerance).
    assert abs(payslip.income_tax - Decimal("396.67")) <= Decimal("0.10")
    assert abs(payslip.net_paid - Decimal("4628.62")) <= Decimal("1.00")

    payslip_document_render(payslip=payslip)
    pages, text = _text(_stored(payslip))

    assert pages == 1
    lowered = text.lower()
    for mention in MANDATORY:
        assert mention.lower() in lowered, mention
    positions = [lowered.index(group.lower()) for group in GROUPS]
    assert positions == sorted(positions), "groups out of the order of the arrêté"
    for detail in MERGED_DETAIL:
        assert detail.lower() not in lowered, detail
    # Complémentaire Tranche 1 = AGIRC-ARRCO T1 + CEG T1 on the same base: rates summed.
    assert "Complémentaire Tranche 1 4 005,00 4,01" in text
    assert "6,01" in text
    assert "2 85 05 75 115" in text  # the NIR, grouped as usual
    for name in (
        "gross",
        "net_before_income_tax",
        "net_taxable",
        "net_social",
        "net_paid",
        "employer_cost",
        "income_tax",
        "employee_contributions",
        "employer_contributions",
    ):
        assert documents.eur(getattr(payslip, name)).replace("\u00a0", " ") in text, name
    assert "6 361,12" in text and "5 000,00" in text and "782,84" in text  # composition
    assert payslip.number in text


def test_rgdu_and_cdd_indemnity_are_printed_and_still_one_page():
    # Worst case for the length: a cadre above the PSS (tranche 2 lines) and below 3 SMIC
    # (an RGDU line), on a CDD (end-of-contract indemnity).
    gross = Decimal("4500.00")
    payslip = make_payslip(
        gross=gross,
        composition={
            # 3 750.00 + 10 % congés payés 375.00 + 10 % précarité 375.00 = 4 500.00
            "base_salary": Decimal("3750.00"),
            "paid_leave_allowance": Decimal("375.00"),
            "end_of_contract_indemnity": Decimal("375.00"),
        },
    )
    assert payslip.lines.filter(code="rgdu").exists()
    pages, text = _text(documents.payslip_pdf_bytes(payslip))
    assert pages == 1
    assert "Indemnité de fin de contrat" in text
    assert "Réduction générale dégressive unique" in text


# The rénové model (arrêté du 31 janvier 2023, art. 1; pay from 1 January 2027), in its
# order, as far as the texts read (docs/payslip-model-2027.md).
RENOVE_ORDER = [
    "Montant brut",
    "Cotisations et contributions sociales obligatoires",
    "Santé",
    "Sécurité Sociale Maladie Maternité Invalidité Décès",
    "Complémentaire garanties frais de santé obligatoire",
    "Accidents du travail & maladies professionnelles",
    "Retraite",
    "Sécurité Sociale Vieillesse plafonnée",
    "Sécurité Sociale Vieillesse déplafonnée",
    "Retraite complémentaire, CEG et CET T1",
    "Retraite complémentaire, CEG et CET T2",
    "Famille",
    "Assurance chômage",
    "Apec",
    "Autres charges dues par l'employeur",
    "CSG déductible de l'impôt sur le revenu",
    "CSG/CRDS non déductible de l'impôt sur le revenu",
    "Total des cotisations et contributions obligatoires",
    "Cotisations et contributions sociales facultatives",
    "Prévoyance, Incapacité, Invalidité, Décès",
    "Montant net social",
    "Net à payer avant impôt sur le revenu",
    "Montant net imposable",
    "Impôt sur le revenu prélevé à la source",
    "Net à payer au salarié",
]


def test_pay_made_from_january_2027_follows_the_renove_model():
    """December 2026 paid on 5 January 2027: the payment date, not the period, chooses the
    model. The rénové page has one rate column and no employer allègement total."""
    payslip = make_payslip(
        period=date(2026, 12, 1),
        inputs_snapshot={"gross": "6361.12", "payment_date": "2027-01-05"},
    )
    pages, text = _text(documents.payslip_pdf_bytes(payslip))
    assert pages == 1
    assert "Période du 01/12/2026 au 31/12/2026 · Date de paiement : 05/01/2027" in text
    lowered = text.lower()
    positions = [lowered.index(label.lower()) for label in RENOVE_ORDER]
    assert positions == sorted(positions), "rubrics out of the order of the rénové model"
    for gone in ("Taux patronal", "Allègement de cotisations employeur", "Part employeur"):
        assert gone not in text, gone
    # One rate column: the T1 line prints base, employee rate, employee and employer
    # amounts (4 005,00 × 4,01 % = 160,60; employer 6,01 % = 240,70), no employer rate.
    assert "Retraite complémentaire, CEG et CET T1 4 005,00 4,01 160,60 240,70" in text
    # Total obligatoires = every employer contribution but the optional prévoyance.
    prevoyance = payslip.lines.get(code="prevoyance_cadre").employer_amount
    mandatory = documents.eur(payslip.employer_contributions - prevoyance).replace("\u00a0", " ")
    employee = documents.eur(payslip.employee_contributions).replace("\u00a0", " ")
    assert f"Total des cotisations et contributions obligatoires {employee} {mandatory}" in text


def test_the_same_month_paid_on_31_december_2026_follows_the_adapte_model():
    payslip = make_payslip(period=date(2026, 12, 1))
    _, text = _text(documents.payslip_pdf_bytes(payslip))
    assert "Date de paiement : 31/12/2026" in text
    assert "Taux patronal" in text and "Allègement de cotisations employeur" in text
    assert "obligatoires" not in text


def test_render_stores_once_and_never_re_renders():
    payslip = make_payslip()
    payslip_document_render(payslip=payslip)
    payslip.refresh_from_db()
    first = _stored(payslip)
    assert payslip.pdf_file.name == f"payslips/2026/{payslip.number}.pdf"
    assert payslip.pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert payslip.pdf_rendered_at is not None
    rendered_at = payslip.pdf_rendered_at

    # Even if what it would show changed (a template edit, a snapshot fix), the stored
    # legal copy stays: nothing is rendered again.
    Payslip.objects.filter(pk=payslip.pk).update(employer_snapshot={"legal_name": "Autre"})
    with mock.patch.object(documents, "payslip_pdf_bytes") as render:
        payslip_document_render(payslip=payslip)
    render.assert_not_called()
    payslip.refresh_from_db()
    assert _stored(payslip) == first
    assert payslip.pdf_rendered_at == rendered_at


def test_a_failed_render_stores_nothing():
    payslip = make_payslip()
    with (
        mock.patch.object(documents, "payslip_pdf_bytes", side_effect=OSError("disk")),
        pytest.raises(OSError),
    ):
        payslip_document_render(payslip=payslip)
    payslip.refresh_from_db()
    assert not payslip.pdf_file and payslip.pdf_sha256 == "" and payslip.pdf_rendered_at is None


def test_corrective_payslip_says_what_it_corrects():
    original = make_payslip()
    corrective = make_payslip(
        contract=original.employment_contract,
        kind="corrective",
        corrects=original,
        correction_reason="Prime d'apport oubliée",
    )
    _, text = _text(documents.payslip_pdf_bytes(corrective))
    assert "Bulletin de paie rectificatif" in text
    assert f"Rectifie le bulletin n° {original.number}" in text


@pytest.mark.parametrize(
    ("name", "period"),
    [("payslip-pdf", date(2026, 3, 1)), ("payslip-pdf-renove", date(2027, 1, 1))],
)
def test_png_of_the_pdf_for_review(name, period):
    """test-artifacts/screenshots/payslip-pdf.png (adapté model) and payslip-pdf-renove.png
    (rénové model, pay from January 2027), for a person to look at."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm not installed (apt-get install poppler-utils)")
    payslip = make_payslip(period=period)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = SCREENSHOTS / f"{name}.pdf"
    source.write_bytes(documents.payslip_pdf_bytes(payslip))
    subprocess.run(  # noqa: S603 - our own file, a fixed executable
        [pdftoppm, "-r", "110", "-png", "-singlefile", str(source), str(source.with_suffix(""))],
        check=True,
        timeout=60,
    )
    source.unlink()
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000


def test_lean_user_agent_sheet_draws_the_same_page(tmp_path):
    """apps/core/pdf.py renders payslips with templates/pdf/ua.css instead of WeasyPrint's
    full user-agent sheet (a third faster): the page must be pixel-identical."""
    import weasyprint

    from apps.core import pdf
    from tests.pdf_images import pdf_page_png

    payslip = make_payslip(period=date(2026, 3, 1))
    lean = pdf_page_png(documents.payslip_pdf_bytes(payslip), tmp_path, "lean")
    with mock.patch.object(pdf, "_lean_html_class", lambda: weasyprint.HTML):
        full = pdf_page_png(documents.payslip_pdf_bytes(payslip), tmp_path, "full")
    assert lean == full
