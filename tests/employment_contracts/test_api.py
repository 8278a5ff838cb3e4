"""/api/v1/employment-contracts/ through HTTP: role x endpoint matrix, a consultant's own
contracts only (404 on someone else's), actions, error shape, query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.roles import Role
from apps.employment_contracts.models import EmploymentContract

from .factories import (
    CommercialContractFactory,
    ConsultantFactory,
    cdd_create,
    cdd_on_two_prestations,
    cdi_create,
    company_profile_replaced,
    pdf_bytes,
    signed,
)

pytestmark = pytest.mark.django_db
LIST = "/api/v1/employment-contracts/"


def url(pk, action=""):
    return f"{LIST}{pk}/{action + '/' if action else ''}"


@pytest.fixture
def owner(make_user):
    """A consultant with a portal account."""
    user = make_user(Role.CONSULTANT)
    return ConsultantFactory(user=user, email=user.email)


@pytest.fixture
def users(staff_user, finance_user, owner, make_user):
    other = make_user(Role.CONSULTANT)
    ConsultantFactory(user=other, email=other.email)
    return {"staff": staff_user, "finance": finance_user, "owner": owner.user, "other": other}


def _create_payload(consultant, commercial):
    return {
        "consultant": consultant.pk,
        "kind": "cdd",
        "start_date": "2026-01-01",
        "initial_end_date": "2026-06-30",
        "term_type": "precise",
        "cdd_reason": "Réalisation de la prestation d'audit",
        "classification": 3,
        "consultant_expertise": "Architecte logiciel",
        "commercial_contracts": [commercial.pk],
    }


READS = ["list", "retrieve", "renewals"]
WRITES = ["create", "partial_update", "check", "send-for-signature"]
EXPECTED = {
    "staff": dict.fromkeys(READS, 200)
    | {"create": 201, "partial_update": 200, "check": 200, "send-for-signature": 200},
    "finance": dict.fromkeys(READS, 200) | dict.fromkeys(WRITES, 403),
    "owner": dict.fromkeys(READS, 200) | dict.fromkeys(WRITES, 403),
    "other": {"list": 200, "retrieve": 404, "renewals": 404} | dict.fromkeys(WRITES, 403),
}


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize("endpoint", READS + WRITES)
def test_permission_matrix(api_as, users, owner, role, endpoint):
    contract = cdd_create(consultant=owner)
    client = api_as(users[role])
    if endpoint == "list":
        response = client.get(LIST)
    elif endpoint == "retrieve":
        response = client.get(url(contract.pk))
    elif endpoint == "renewals":
        response = client.get(url(contract.pk, "renewals"))
    elif endpoint == "create":
        commercial = CommercialContractFactory(consultant=owner)
        response = client.post(LIST, _create_payload(owner, commercial), format="json")
    elif endpoint == "partial_update":
        response = client.patch(url(contract.pk), {"cdd_reason": "Autre motif"}, format="json")
    else:
        response = client.post(url(contract.pk, endpoint), {}, format="json")
    assert response.status_code == EXPECTED[role][endpoint], response.content
    if endpoint == "list" and role in ("owner", "other"):
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([contract.pk] if role == "owner" else [])


def test_create_through_the_api(api_as, staff_user):
    consultant = ConsultantFactory()
    commercial = CommercialContractFactory(consultant=consultant)
    response = api_as(staff_user).post(LIST, _create_payload(consultant, commercial), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("CT-")
    assert body["status"] == "draft" and body["kind"] == "cdd"
    assert body["planned_end_date"] == "2026-06-30"
    assert [cc["id"] for cc in body["commercial_contracts"]] == [commercial.pk]
    assert body["end_of_contract_indemnity_rate"] == "10.00"


def test_bad_input_gives_the_error_shape_and_saves_nothing(api_as, staff_user):
    consultant = ConsultantFactory()
    payload = _create_payload(consultant, CommercialContractFactory(consultant=consultant))
    payload["initial_end_date"] = "2025-12-31"
    response = api_as(staff_user).post(LIST, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "initial_end_date" in body["fields"]
    assert "before the start date" in body["message"]
    assert not EmploymentContract.objects.exists()


def test_cdd_over_18_months_refused_with_rule_and_figures(api_as, staff_user):
    consultant = ConsultantFactory()
    payload = _create_payload(consultant, CommercialContractFactory(consultant=consultant))
    payload["initial_end_date"] = "2027-07-01"
    response = api_as(staff_user).post(LIST, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "compliance_blocked"
    assert body["fields"]["findings"][0].startswith("PR-12:")
    assert "2027-06-30" in body["fields"]["findings"][0]


def test_check_returns_findings(api_as, staff_user):
    contract = cdd_on_two_prestations()
    response = api_as(staff_user).post(url(contract.pk, "check"), {"on_date": "2026-03-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["on_date"] == "2026-03-01" and body["blocking"] is False
    assert [(f["rule_id"], f["severity"]) for f in body["findings"]] == [("PR-15", "warn")]
    finding = body["findings"][0]
    assert set(finding) == {"rule_id", "severity", "code", "message", "figures"}
    assert finding["figures"] == {"count": "2"}


def test_check_of_a_contract_with_a_complete_company_profile_is_clean(api_as, staff_user):
    contract = cdd_create()
    response = api_as(staff_user).post(url(contract.pk, "check"), {"on_date": "2026-03-01"})
    assert response.status_code == 200
    assert response.json()["findings"] == []


def test_send_refused_while_the_financial_guarantor_is_missing(api_as, staff_user):
    company_profile_replaced(financial_guarantor_name="")
    contract = cdi_create()
    response = api_as(staff_user).post(url(contract.pk, "send-for-signature"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "compliance_blocked"
    assert len(body["fields"]["findings"]) == 1
    assert body["fields"]["findings"][0].startswith("EC-I09:")
    assert "L1254-21 I 8°" in body["message"]
    contract.refresh_from_db()
    assert contract.status == EmploymentContract.Status.DRAFT


def test_sign_flow_with_acknowledgement_and_signed_pdf(api_as, staff_user):
    contract = cdd_on_two_prestations()
    client = api_as(staff_user)
    assert client.post(url(contract.pk, "send-for-signature")).status_code == 200
    refused = client.post(url(contract.pk, "sign"), {}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["code"] == "warnings_not_acknowledged"
    assert refused.json()["fields"]["findings"][0].startswith("PR-15:")
    upload = SimpleUploadedFile("signed.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        url(contract.pk, "sign"),
        {"signed_pdf": upload, "acknowledge_warnings": "true"},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "signed" and response.json()["has_signed_pdf"]
    twice = client.post(url(contract.pk, "sign"), {"acknowledge_warnings": "true"})
    assert twice.status_code == 409
    assert twice.json()["code"] == "invalid_transition"
    assert client.post(url(contract.pk, "activate")).json()["status"] == "active"


def test_sign_without_warnings_needs_no_acknowledgement(api_as, staff_user):
    contract = cdd_create()
    client = api_as(staff_user)
    assert client.post(url(contract.pk, "send-for-signature")).status_code == 200
    response = client.post(url(contract.pk, "sign"), {}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "signed"


def test_renew_extend_terminate_and_end_through_the_api(api_as, staff_user):
    client = api_as(staff_user)
    contract = signed(cdd_create(), staff_user, activate=True)
    response = client.post(
        url(contract.pk, "renew"),
        {"new_end_date": "2026-09-30", "reason": "Prolongation", "signed_on": "2026-06-01"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["planned_end_date"] == "2026-09-30"
    assert [r["number"] for r in client.get(url(contract.pk, "renewals")).json()] == [1]
    response = client.post(
        url(contract.pk, "extend-for-prospection"),
        {"extension_end": "2026-12-31", "reason": "Prospection"},  # 30/09 + 3 months = 30/12
    )
    assert response.status_code == 400
    assert response.json()["fields"]["findings"][0].startswith("PR-13:")
    response = client.post(
        url(contract.pk, "extend-for-prospection"),
        {"extension_end": "2026-12-30", "reason": "Prospection"},
    )
    assert response.json()["effective_end_date"] == "2026-12-30"
    assert client.post(url(contract.pk, "end")).json()["ended_on"] == "2026-12-30"
    closed = client.post(url(contract.pk, "renew"), {"new_end_date": "2027-03-31", "reason": "x"})
    assert closed.status_code == 409 and closed.json()["code"] == "contract_closed"
    other = signed(cdi_create(), staff_user, activate=True)
    response = client.post(url(other.pk, "terminate"), {"terminated_on": "2026-03-31"})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = client.post(
        url(other.pk, "terminate"), {"terminated_on": "2026-03-31", "reason": "Démission"}
    )
    assert response.json()["status"] == "terminated"


def test_pdf_download_own_only(api_as, users, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = cdi_create(consultant=owner)
    response = api_as(users["owner"]).get(url(contract.pk, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert api_as(users["other"]).get(url(contract.pk, "pdf")).status_code == 404


def test_pdf_404_until_generated(api_as, staff_user):
    contract = cdi_create()  # on_commit never ran: no PDF yet
    assert api_as(staff_user).get(url(contract.pk, "pdf")).status_code == 404


def test_filters(api_as, staff_user):
    cdd = cdd_create()
    cdi = cdi_create(start_date=date(2026, 9, 1))
    client = api_as(staff_user)

    def ids(query):
        return {row["id"] for row in client.get(LIST + query).json()["results"]}

    assert ids("?kind=cdd") == {cdd.pk}
    assert ids(f"?consultant={cdi.consultant_id}") == {cdi.pk}
    assert ids("?active_on=2026-03-01") == {cdd.pk}
    assert ids("?active_on=2026-10-01") == {cdi.pk}
    assert ids("?status=draft") == {cdd.pk, cdi.pk}


def test_list_query_count_is_constant(api_as, staff_user, django_assert_num_queries):
    from apps.employment_contracts import services

    client = api_as(staff_user)
    cdd_create()
    client.get(LIST)  # warm the caches (content types, permissions)
    # count, contracts with consultants, renewals, commercial contracts with clients
    with django_assert_num_queries(4):
        assert len(client.get(LIST).json()["results"]) == 1
    for _ in range(4):
        contract = signed(cdd_create(), staff_user)
        services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=date(2026, 8, 31),
            reason="x",
            signed_on=date(2026, 6, 1),
        )
    with django_assert_num_queries(4):
        assert len(client.get(LIST).json()["results"]) == 5
