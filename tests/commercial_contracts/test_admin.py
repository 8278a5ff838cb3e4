"""Back-office screens: drafts saved through the services (refusals shown on the form),
read-only once sent, findings on the page, action pages (send, sign with acknowledgement,
activate, amend, terminate, end), downloads."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.commercial_contracts import services
from apps.commercial_contracts.models import CommercialContract, ContractStatus
from apps.compliance.models import FindingAcknowledgement
from apps.compliance.periods import period_last_day
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

from .factories import START, allowed_category, contract_create, excluded_category, pdf_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/commercial_contracts/commercialcontract/"
INLINE = {
    "versions-TOTAL_FORMS": "0",
    "versions-INITIAL_FORMS": "0",
    "versions-MIN_NUM_FORMS": "0",
    "versions-MAX_NUM_FORMS": "1000",
}


def page(contract, action: str = "") -> str:
    return f"{CHANGELIST}{contract.pk}/" + (f"{action}/" if action else "change/")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def form_data(**overrides) -> dict:
    data = {
        "client": ClientCompanyFactory().pk,
        "consultant": ConsultantFactory().pk,
        "activity_category": allowed_category().pk,
        "description": "Audit de sécurité",
        "consultant_expertise": "Expert sécurité",
        "place_of_work": "Nantes",
        "protective_equipment": "",
        "occasional_task_justification": "Expertise absente chez le client",
        "not_replacing_striker": "true",
        "start_date": "2026-03-02",
        "end_date": "2026-08-31",
        "pricing_kind": "daily_rate",
        "daily_rate": "640.00",
        "fixed_price": "",
        "estimated_days": "90",
        "purchase_order_reference": "PO-1",
        "payment_terms_note": "",
        **INLINE,
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_changelist_lists_contracts(staff_client):
    contract = contract_create()
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    assert contract.reference in response.content.decode()


def test_add_goes_through_the_service(staff_client, staff_user):
    response = staff_client.post(f"{CHANGELIST}add/", form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    contract = CommercialContract.objects.get()
    assert contract.reference.startswith("CC-")
    assert contract.versions.get().daily_rate == 640
    assert contract.created_by == staff_user


def test_add_blocked_by_compliance_shows_the_rule_and_saves_nothing(staff_client):
    response = staff_client.post(
        f"{CHANGELIST}add/",
        form_data(activity_category=excluded_category().pk),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "PR-02" in errors
    assert not CommercialContract.objects.exists()


def test_add_with_zero_rate_shows_the_field_error(staff_client):
    response = staff_client.post(f"{CHANGELIST}add/", form_data(daily_rate="0"))
    assert response.status_code == 200
    assert "daily_rate" in response.context["adminform"].form.errors
    assert not CommercialContract.objects.exists()


def test_change_page_shows_findings_and_edits_a_draft(staff_client):
    contract = contract_create(not_replacing_striker=None)
    response = staff_client.get(page(contract), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'data-testid="contract-findings"' in html
    assert "PR-04" in html
    data = form_data(
        client=contract.client_id,
        consultant=contract.consultant_id,
        place_of_work="Rennes",
        not_replacing_striker="true",
    )
    response = staff_client.post(page(contract), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    contract.refresh_from_db()
    assert contract.place_of_work == "Rennes"
    assert contract.not_replacing_striker is True


def test_sent_contract_is_read_only(staff_client, staff_user):
    contract = services.commercial_contract_send_for_signature(
        contract=contract_create(), by=staff_user
    )
    response = staff_client.get(page(contract))
    assert response.status_code == 200
    assert response.context["show_save"] is False
    staff_client.post(page(contract), form_data(place_of_work="Ailleurs"))
    contract.refresh_from_db()
    assert contract.place_of_work != "Ailleurs"


def test_action_buttons_follow_the_status(staff_client, staff_user):
    contract = contract_create()
    html = staff_client.get(page(contract)).content.decode()
    assert page(contract, "send") in html
    assert page(contract, "sign") not in html
    assert staff_client.get(page(contract, "sign")).status_code == 403


def test_send_then_sign_with_acknowledgement(staff_client, staff_user):
    contract = contract_create(end_date=period_last_day(START, 36) - timedelta(days=5))
    response = staff_client.get(page(contract, "send"))
    assert response.status_code == 200
    response = staff_client.post(page(contract, "send"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SENT_FOR_SIGNATURE

    response = staff_client.get(page(contract, "sign"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "PR-05" in html  # the warning to acknowledge is listed
    assert 'name="acknowledge_warnings"' in html

    upload = SimpleUploadedFile("scan.pdf", pdf_bytes(), "application/pdf")
    response = staff_client.post(
        page(contract, "sign"), {"signed_pdf": upload, "signed_on": "2026-02-20"}
    )
    assert response.status_code == 200  # refused: warnings not acknowledged
    assert response.context["form"].errors
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SENT_FOR_SIGNATURE

    upload = SimpleUploadedFile("scan.pdf", pdf_bytes(), "application/pdf")
    response = staff_client.post(
        page(contract, "sign"),
        {"signed_pdf": upload, "signed_on": "2026-02-20", "acknowledge_warnings": "on"},
    )
    assert response.status_code == 302, response.context["form"].errors
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    assert contract.signed_at.date().isoformat() == "2026-02-20"
    assert FindingAcknowledgement.objects.filter(
        acknowledged_by=staff_user, rule_id="PR-05"
    ).exists()
    html = staff_client.get(page(contract), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="contract-acknowledgements"' in html
    download = staff_client.get(f"{CHANGELIST}{contract.pk}/download/signed.pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_sign_is_refused_on_a_blocking_finding(staff_client, staff_user):
    contract = services.commercial_contract_send_for_signature(
        contract=contract_create(not_replacing_striker=False), by=staff_user
    )
    upload = SimpleUploadedFile("scan.pdf", pdf_bytes(), "application/pdf")
    response = staff_client.post(
        page(contract, "sign"),
        {"signed_pdf": upload, "signed_on": "2026-02-20", "acknowledge_warnings": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "PR-04" in str(response.context["form"].non_field_errors())
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SENT_FOR_SIGNATURE


def _signed(staff_user):
    contract = services.commercial_contract_send_for_signature(
        contract=contract_create(), by=staff_user
    )
    return services.commercial_contract_sign(
        contract=contract, by=staff_user, signed_pdf=pdf_bytes(), acknowledge_warnings=True
    )


def test_activate_amend_and_terminate_pages(staff_client, staff_user):
    contract = _signed(staff_user)
    assert staff_client.post(page(contract, "activate")).status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE

    form = staff_client.get(page(contract, "amend")).context["form"]
    assert "fixed_price" not in form.fields  # a daily-rate contract changes its rate
    response = staff_client.post(
        page(contract, "amend"),
        {"effective_from": START.isoformat(), "daily_rate": "700", "reason": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "effective_from" in response.context["form"].errors
    response = staff_client.post(
        page(contract, "amend"),
        {"effective_from": "2026-06-01", "daily_rate": "700", "reason": "Revalorisation"},
    )
    assert response.status_code == 302
    assert contract.versions.count() == 2
    assert any("Amendment" in m or "Avenant" in m or "CC-" in m for m in messages_of(response))

    response = staff_client.post(page(contract, "terminate"), {"terminated_on": "2026-07-01"})
    assert "reason" in response.context["form"].errors
    response = staff_client.post(
        page(contract, "terminate"), {"terminated_on": "2026-07-01", "reason": "Fin"}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert contract.termination_reason == "Fin"


def test_end_page(staff_client, staff_user):
    contract = services.commercial_contract_activate(contract=_signed(staff_user), by=staff_user)
    response = staff_client.post(page(contract, "end"), {"ended_on": ""})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ENDED


def test_finance_reads_but_cannot_act(client, finance_user, staff_user):
    contract = _signed(staff_user)
    client.force_login(finance_user)
    assert client.get(page(contract)).status_code == 200
    assert client.get(page(contract, "activate")).status_code == 403
    assert client.post(page(contract, "activate")).status_code == 403
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED


def test_generated_pdf_download(staff_client):
    contract = contract_create()
    url = f"{CHANGELIST}{contract.pk}/download/contract.pdf"
    assert staff_client.get(url).status_code == 404
    services.commercial_contract_render_pdf(contract=contract)
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
