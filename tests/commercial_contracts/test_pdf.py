"""The contract PDF: every mandatory mention (CC-01..CC-12, docs/contracts-law.md), rendered
after commit by the Celery task, re-rendered only when what it shows changes."""

import io
import re
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from pypdf import PdfReader

from apps.accounts.roles import Role
from apps.commercial_contracts import services
from apps.commercial_contracts.services import documents
from apps.commercial_contracts.tasks import render_commercial_contract_pdf
from apps.core.errors import DomainError
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

from .factories import company_profile_replaced, contract_create, excluded_category, pdf_bytes

pytestmark = pytest.mark.django_db


def pdf_text(contract) -> str:
    contract.refresh_from_db()
    with contract.pdf_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Line breaks and non-breaking spaces of the layout do not matter for the mentions.
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


def test_pdf_has_every_mandatory_mention(company):
    client = ClientCompanyFactory(legal_name="Industries Exemple SA")
    consultant = ConsultantFactory(first_name="Camille", last_name="Moreau")
    contract = contract_create(
        client=client,
        consultant=consultant,
        description="Audit de l'architecture applicative.",
        consultant_expertise="Architecte logiciel certifié, 12 ans d'expérience.",
        protective_equipment="Chaussures de sécurité",
        purchase_order_reference="BC-7781",
    )
    assert services.commercial_contract_render_pdf(contract=contract) is True
    text = pdf_text(contract)
    expected = {
        "title (CC-10 written form)": "Contrat commercial de prestation de portage salarial",
        "reference": contract.reference,
        "portage company": "Portage Exemple SAS",
        "client (CC-R2)": "Industries Exemple SA",
        "client SIREN": client.siren_display,
        "CC-01 consultant identity": "Camille MOREAU",
        "CC-02 skills": "Architecte logiciel certifié, 12 ans d'expérience.",
        "CC-03 prestation": "Audit de l'architecture applicative.",
        "CC-03 place of work": "10 rue de la Paix, 75002 Paris",
        "CC-R1 start date": "02/03/2026",
        "CC-04 end date": "31/08/2026",
        "CC-05 price": "600,00 € HT par jour",
        "estimated days": "110 jours",
        "CC-R5 invoicing from the activity report": "compte rendu d'activité",
        "purchase order": "BC-7781",
        "CC-06 client responsibility": "santé, à sa sécurité et à la durée du travail",
        "CC-07 protective equipment": "Chaussures de sécurité",
        "CC-08 guarantor": f"{company.financial_guarantor_name}, "
        f"{company.financial_guarantor_address}",
        "CC-09 insurer": f"{company.rc_insurer_name}, {company.rc_insurer_address}",
        "CC-09 policy number": f"police n° {company.rc_policy_number}",
        "CC-R3 justification": "Expertise ponctuelle dont le client ne dispose pas.",
        "CC-R4 not SAP": "services à la personne",
        "CC-R4 striker": "conflit collectif de travail",
        "CC-R4 dangerous work": "D4154-1",
        "PR-05 36 months": "trente-six mois",
        "CC-11 two working days": "deux jours ouvrables",
        "CC-12 copy to the consultant": "copie en est adressée au salarié porté",
        "legal basis": "L1254-23",
    }
    missing = {label: value for label, value in expected.items() if value not in text}
    assert not missing, missing
    assert "[à compléter]" not in text


@pytest.mark.parametrize(
    ("field", "printed"),
    [
        ("financial_guarantor_name", "Garant financier de l'entreprise de portage salarial : "),
        ("rc_insurer_name", "couverte par l'assureur "),
        ("rc_policy_number", "police n° "),
    ],
)
def test_pdf_flags_a_missing_company_mention(field, printed):
    company_profile_replaced(**{field: ""})
    contract = contract_create()
    services.commercial_contract_render_pdf(contract=contract)
    text = pdf_text(contract)
    assert f"{printed}[à compléter]" in text
    assert text.count("[à compléter]") == 1


def test_pdf_lists_amendments(make_user):
    staff = make_user(Role.STAFF)
    contract = contract_create()
    contract = services.commercial_contract_send_for_signature(contract=contract, by=staff)
    contract = services.commercial_contract_sign(
        contract=contract, by=staff, signed_pdf=pdf_bytes(), acknowledge_warnings=True
    )
    services.commercial_contract_amend(
        contract=contract,
        by=staff,
        effective_from=date(2026, 6, 1),
        daily_rate=Decimal("675.00"),
        end_date=date(2026, 12, 31),
        reason="Extension du périmètre",
    )
    services.commercial_contract_render_pdf(contract=contract)
    text = pdf_text(contract)
    assert "Avenants" in text
    assert "n° 1" in text
    assert "01/06/2026" in text
    assert "675,00 €" in text
    assert "Extension du périmètre" in text


def test_render_is_idempotent_and_follows_changes(make_user):
    staff = make_user(Role.STAFF)
    contract = contract_create()
    with mock.patch.object(
        documents, "render_html_to_pdf", wraps=documents.render_html_to_pdf
    ) as render:
        assert services.commercial_contract_render_pdf(contract=contract) is True
        assert services.commercial_contract_render_pdf(contract=contract) is False
        assert render.call_count == 1
        services.commercial_contract_update(
            contract=contract, updated_by=staff, place_of_work="Lyon, site Part-Dieu"
        )
        assert services.commercial_contract_render_pdf(contract=contract) is True
        assert render.call_count == 2
    contract.refresh_from_db()
    assert contract.pdf_file.name == f"contracts/generated/{contract.reference}.pdf"
    assert "Lyon, site Part-Dieu" in pdf_text(contract)


def test_pdf_is_rendered_after_commit_by_the_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        contract = contract_create()
    assert len(callbacks) == 1
    contract.refresh_from_db()
    assert contract.pdf_file
    assert contract.pdf_fingerprint
    assert contract.pdf_generated_at is not None


def test_task_ignores_a_missing_contract():
    assert render_commercial_contract_pdf(987654) is False


def test_a_refused_write_schedules_no_rendering(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError),
    ):
        contract_create(activity_category=excluded_category())
    assert callbacks == []
