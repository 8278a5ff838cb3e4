"""/api/v1/commercial-contracts/ through HTTP: CRUD, actions, error shape, permissions
(role x endpoint x read/write), a consultant's own contracts only (404 otherwise), constant
query count on the list."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.roles import Role
from apps.commercial_contracts import services
from apps.commercial_contracts.models import CommercialContract, ContractStatus
from apps.compliance.models import FindingAcknowledgement
from apps.compliance.periods import period_last_day
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

from .factories import (
    START,
    CommercialContractFactory,
    allowed_category,
    contract_create,
    excluded_category,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/commercial-contracts/"


def url(contract, action: str = "") -> str:
    return f"{URL}{contract.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def staff_api(api_as, staff_user):
    return api_as(staff_user)


@pytest.fixture
def owner(make_user):
    """A consultant with a portal account and one contract."""
    user = make_user(Role.CONSULTANT)
    consultant = ConsultantFactory(user=user, email=user.email)
    return user, contract_create(consultant=consultant)


def payload(**overrides) -> dict:
    data = {
        "client": ClientCompanyFactory().pk,
        "consultant": ConsultantFactory().pk,
        "activity_category": allowed_category().pk,
        "description": "Pilotage du projet de migration",
        "consultant_expertise": "Chef de projet senior",
        "occasional_task_justification": "Projet ponctuel hors activité normale",
        "not_replacing_striker": True,
        "place_of_work": "Lyon",
        "start_date": "2026-03-02",
        "end_date": "2026-08-31",
        "pricing_kind": "daily_rate",
        "daily_rate": "650.00",
        "estimated_days": "100",
    }
    data.update(overrides)
    return data


# --- create, read, update ---------------------------------------------------------------------


def test_create_returns_the_contract_with_its_findings(staff_api):
    response = staff_api.post(URL, payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("CC-")
    assert body["status"] == "draft"
    assert body["current_terms"]["daily_rate"] == "650.00"
    assert body["current_terms"]["number"] == 0
    assert isinstance(body["findings"], list)
    assert CommercialContract.objects.get().created_by is not None


def test_create_blocked_by_pr02_uses_the_error_shape(staff_api):
    response = staff_api.post(
        URL,
        payload(activity_category=excluded_category().pk),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "compliance_blocked"
    assert "PR-02" in body["message"]
    assert body["fields"]["findings"][0].startswith("PR-02:")
    assert not CommercialContract.objects.exists()


def test_create_with_dates_out_of_order_names_the_field(staff_api):
    response = staff_api.post(
        URL, payload(end_date="2026-01-31"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "end_date" in response.json()["fields"]


def test_create_with_zero_rate_names_the_field(staff_api):
    response = staff_api.post(URL, payload(daily_rate="0.00"), format="json")
    assert response.status_code == 400
    assert "daily_rate" in response.json()["fields"]


def test_patch_a_draft_then_refused_once_sent(staff_api, staff_user):
    contract = contract_create()
    response = staff_api.patch(url(contract), {"daily_rate": "700.00"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["current_terms"]["daily_rate"] == "700.00"
    services.commercial_contract_send_for_signature(contract=contract, by=staff_user)
    response = staff_api.patch(url(contract), {"daily_rate": "750.00"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "contract_not_editable"


def test_list_filters(staff_api):
    running = CommercialContractFactory(status=ContractStatus.ACTIVE)
    draft = CommercialContractFactory(status=ContractStatus.DRAFT)
    later = CommercialContractFactory(
        status=ContractStatus.SIGNED, start_date=date(2027, 1, 1), end_date=date(2027, 6, 30)
    )

    def ids(**params):
        return {row["id"] for row in staff_api.get(URL, params).json()["results"]}

    assert ids(status="draft") == {draft.pk}
    assert ids(status=["active", "signed"]) == {running.pk, later.pk}
    assert ids(active_on="2026-06-01") == {running.pk}
    assert ids(client=later.client_id) == {later.pk}
    assert ids(consultant=running.consultant_id) == {running.pk}


def test_list_query_count_is_constant(api_as, staff_user, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    def fresh_client():
        # A fresh user object each time: no permission cache carried between requests.
        return api_as(get_user_model().objects.get(pk=staff_user.pk))

    # groups (1), user and group permissions (2), count (1), page (1), versions (1)
    CommercialContractFactory()
    client = fresh_client()
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
    for _ in range(5):
        CommercialContractFactory(terms__estimated_days=None)
    client = fresh_client()
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert response.json()["count"] == 6


# --- actions -----------------------------------------------------------------------------------


def test_check_returns_findings_with_rule_severity_and_figures(staff_api):
    contract = contract_create(
        not_replacing_striker=None, end_date=period_last_day(START, 36) - date.resolution
    )
    response = staff_api.post(url(contract, "check"), {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["blocking"] is True
    by_code = {finding["code"]: finding for finding in body["findings"]}
    assert by_code["striker_declaration_missing"]["severity"] == "block"
    near = by_code["mission_near_limit"]
    assert near["rule_id"] == "PR-05"
    assert near["severity"] == "warn"
    assert near["figures"]["limit_date"] == "2029-03-01"


def test_full_lifecycle_through_the_api(staff_api, staff_user):
    contract = contract_create()
    assert staff_api.post(url(contract, "send-for-signature")).status_code == 200
    # Warnings (dependence) not acknowledged: refused, nothing recorded.
    upload = SimpleUploadedFile("signed.pdf", pdf_bytes(), "application/pdf")
    response = staff_api.post(url(contract, "sign"), {"signed_pdf": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "warnings_not_acknowledged"
    assert response.json()["fields"]["findings"]
    upload = SimpleUploadedFile("signed.pdf", pdf_bytes(), "application/pdf")
    response = staff_api.post(
        url(contract, "sign"),
        {"signed_pdf": upload, "acknowledge_warnings": "true", "signed_by_client_name": "C. M."},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "signed"
    assert response.json()["has_signed_pdf"] is True
    assert FindingAcknowledgement.objects.filter(acknowledged_by=staff_user).exists()
    # Signing twice: 409.
    upload = SimpleUploadedFile("signed.pdf", pdf_bytes(), "application/pdf")
    response = staff_api.post(url(contract, "sign"), {"signed_pdf": upload}, format="multipart")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"

    assert staff_api.post(url(contract, "activate")).json()["status"] == "active"
    response = staff_api.post(
        url(contract, "amend"),
        {"effective_from": "2026-06-01", "daily_rate": "680.00", "reason": "Revalorisation"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 1
    versions = staff_api.get(url(contract, "versions")).json()
    assert [v["number"] for v in versions] == [0, 1]
    assert versions[1]["daily_rate"] == "680.00"

    response = staff_api.post(
        url(contract, "terminate"), {"terminated_on": "2026-07-15"}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    response = staff_api.post(
        url(contract, "terminate"),
        {"terminated_on": "2026-07-15", "reason": "Fin anticipée"},
        format="json",
    )
    assert response.json()["status"] == "terminated"
    response = staff_api.post(
        url(contract, "amend"),
        {"effective_from": "2026-07-01", "daily_rate": "690.00", "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "contract_not_amendable"


def test_sign_refuses_a_file_that_is_not_a_pdf(staff_api, staff_user):
    contract = services.commercial_contract_send_for_signature(
        contract=contract_create(), by=staff_user
    )
    upload = SimpleUploadedFile("signed.pdf", b"\x89PNG\r\n\x1a\n", "application/pdf")
    response = staff_api.post(
        url(contract, "sign"),
        {"signed_pdf": upload, "acknowledge_warnings": "true"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "signed_pdf" in response.json()["fields"]


def test_end_through_the_api(staff_api, staff_user):
    contract = CommercialContractFactory(status=ContractStatus.ACTIVE)
    response = staff_api.post(url(contract, "end"), {"ended_on": "2026-08-31"}, format="json")
    assert response.status_code == 200
    assert response.json()["ended_on"] == "2026-08-31"


def test_pdf_download(staff_api, django_capture_on_commit_callbacks):
    contract = CommercialContractFactory()
    assert staff_api.get(url(contract, "pdf")).status_code == 404
    services.commercial_contract_render_pdf(contract=contract)
    response = staff_api.get(url(contract, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "action", "data"),
    [
        ("post", "check", {}),
        ("post", "send-for-signature", {}),
        ("post", "activate", {}),
        ("post", "amend", {"effective_from": "2026-06-01", "daily_rate": "1", "reason": "x"}),
        ("post", "terminate", {"terminated_on": "2026-06-01", "reason": "x"}),
        ("post", "end", {}),
        ("patch", "", {"description": "x"}),
    ],
)
def test_finance_and_consultants_cannot_write(api_as, finance_user, owner, method, action, data):
    owner_user, contract = owner
    for user in (finance_user, owner_user):
        response = getattr(api_as(user), method)(url(contract, action), data, format="json")
        assert response.status_code == 403, (user, action)
    assert api_as(finance_user).post(URL, payload(), format="json").status_code == 403
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert contract.description != "x"


def test_finance_reads_everything(api_as, finance_user, owner):
    _user, contract = owner
    client = api_as(finance_user)
    assert client.get(URL).json()["count"] == 1
    assert client.get(url(contract)).status_code == 200
    assert client.get(url(contract, "versions")).status_code == 200


def test_consultant_reads_only_own_contracts(api_as, owner, make_user):
    owner_user, mine = owner
    someone_else = contract_create()
    client = api_as(owner_user)
    listing = client.get(URL).json()
    assert [row["id"] for row in listing["results"]] == [mine.pk]
    assert client.get(url(mine)).status_code == 200
    assert client.get(url(mine, "versions")).status_code == 200
    for action in ("", "versions", "pdf"):
        response = client.get(url(someone_else, action))
        assert response.status_code == 404, action
        assert response.json()["code"] == "not_found"


def test_consultant_downloads_own_pdf_only(api_as, owner):
    owner_user, mine = owner
    other = contract_create()
    services.commercial_contract_render_pdf(contract=mine)
    services.commercial_contract_render_pdf(contract=other)
    client = api_as(owner_user)
    assert client.get(url(mine, "pdf")).status_code == 200
    assert client.get(url(other, "pdf")).status_code == 404


def test_consultant_role_without_profile_sees_nothing(api_as, consultant_role_user, owner):
    response = api_as(consultant_role_user).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_anonymous_is_refused(api_client):
    CommercialContractFactory()
    assert api_client.get(URL).status_code in (401, 403)


def test_amend_with_overlapping_date_names_the_field(staff_api):
    contract = CommercialContractFactory(status=ContractStatus.ACTIVE)
    response = staff_api.post(
        url(contract, "amend"),
        {"effective_from": START.isoformat(), "daily_rate": "700", "reason": "x"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Overlapping amendment" in response.json()["fields"]["effective_from"][0]
    assert contract.versions.count() == 1


def test_amount_strings_are_decimals(staff_api):
    response = staff_api.post(
        URL, payload(daily_rate="612.5", estimated_days="12.5"), format="json"
    )
    assert response.status_code == 201
    terms = CommercialContract.objects.get().versions.get()
    assert terms.daily_rate == Decimal("612.50")
    assert terms.estimated_days == Decimal("12.5")
