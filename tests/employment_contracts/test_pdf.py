"""The contract PDF: French, every mandatory mention of its kind (EC-xx of
docs/contracts-law.md), rendered after the commit, re-rendered only when it changes."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from apps.employment_contracts import rules, services
from apps.employment_contracts.models import EmploymentContract

from .factories import cdd_create, cdi_create, company_profile_replaced, signed

pytestmark = pytest.mark.django_db


def pdf_text(contract: EmploymentContract) -> str:
    contract.refresh_from_db()
    with contract.pdf_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


def _ids_in(text: str) -> set[str]:
    return set(re.findall(r"EC-[DIC]\d\d", text))


def test_cdd_pdf_has_every_cdd_mention(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = cdd_create()
    text = pdf_text(contract)
    assert set(rules.mention_ids("cdd")) <= _ids_in(text)
    assert not {"EC-I01", "EC-C08"} & _ids_in(text)
    # EC-D01: the exact words of L1254-14
    assert "« contrat de travail en portage salarial à durée déterminée »" in text
    commercial = contract.commercial_contracts.get()
    for expected in (
        contract.reference,
        contract.consultant.last_name,
        contract.cdd_reason,  # motif
        commercial.client.legal_name,  # EC-D11
        "01/01/2026",  # start
        "30/06/2026",  # EC-D02 end date
        "renouvelé deux fois au plus",  # EC-D02 renewal clause
        "600,00 € HT par jour",  # EC-D15 price
        "indemnité de fin de contrat égale à 10 %",  # EC-C07
        "Prime d'apport d'affaires : 5 %",  # EC-C03
        "Frais de gestion : 7 %",  # EC-C04
        "218 jours",  # EC-C10
        "Niveau 3",  # EC-C01
        "IDCC 3219",
    ):
        assert expected in text, expected


def test_cdi_pdf_has_every_cdi_mention(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = cdi_create(
            trial_period_end=date(2026, 4, 30), working_time_mode="hours", hours_per_week="35.00"
        )
    text = pdf_text(contract)
    assert set(rules.mention_ids("cdi")) <= _ids_in(text)
    assert not {"EC-D01", "EC-D11"} & _ids_in(text)
    # EC-I01: the exact words of L1254-20
    assert "« contrat de travail en portage salarial à durée indéterminée »" in text
    assert "ne sont pas rémunérées" in text  # EC-I10
    assert "réserve financière égale à 10 %" in text  # EC-C07 (CDI)
    assert "30/04/2026" in text  # EC-I06 trial period
    assert "35,00 heures par semaine" in text
    assert "à durée déterminée" not in text


def test_company_data_is_printed_from_the_company_profile(
    company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contract = cdd_create()
    text = pdf_text(contract)
    for expected in (
        f"Caisse de retraite complémentaire : {company.pension_fund_name}, "
        f"{company.pension_fund_address}",  # EC-D08
        f"Organisme de prévoyance : {company.provident_body_name}",  # EC-D08
        f"(article L1254-26) : {company.financial_guarantor_name}, "
        f"{company.financial_guarantor_address}",  # EC-D10
        f"Assureur : {company.rc_insurer_name}, {company.rc_insurer_address}",  # EC-D18
        f"police n° {company.rc_policy_number}",  # EC-D18
    ):
        assert expected in text, expected
    assert "à compléter" not in text


def test_missing_company_data_is_printed_as_to_be_completed(django_capture_on_commit_callbacks):
    company_profile_replaced(financial_guarantor_name="", financial_guarantor_address="")
    with django_capture_on_commit_callbacks(execute=True):
        contract = cdi_create()
    text = pdf_text(contract)
    assert (
        "Garant financier de l'entreprise de portage salarial (article L1254-26) : à "
        "compléter dans le profil de la société" in text
    )
    assert text.count("à compléter") == 1  # the other company data is printed


def test_pdf_is_rendered_once_and_again_only_when_it_changes(
    staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contract = cdd_create()
    contract.refresh_from_db()
    first_name, first_fingerprint = contract.pdf_file.name, contract.pdf_fingerprint
    assert first_name and first_fingerprint
    # nothing changed: no new rendering
    assert services.employment_contract_render_pdf(contract=contract) is False
    # a status change does not change the document
    with django_capture_on_commit_callbacks(execute=True):
        contract = signed(contract, staff_user, activate=True)
    contract.refresh_from_db()
    assert contract.pdf_fingerprint == first_fingerprint
    # a renewal is printed: the document is rendered again
    with django_capture_on_commit_callbacks(execute=True):
        services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=date(2026, 8, 31),
            reason="Prolongation",
            signed_on=date(2026, 6, 1),
        )
    contract.refresh_from_db()
    assert contract.pdf_fingerprint != first_fingerprint
    assert "Avenant de renouvellement n° 1" in pdf_text(contract)
    assert contract.pdf_file.storage.exists(contract.pdf_file.name)


def test_no_pdf_without_company_profile(company):
    company.delete()
    contract = cdi_create()
    assert services.employment_contract_render_pdf(contract=contract) is False


def test_pdf_is_french_whatever_the_active_language(django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        contract = cdi_create()
    assert "Période d'essai" in pdf_text(contract)
