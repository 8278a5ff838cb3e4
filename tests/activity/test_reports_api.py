"""/api/v1/activity-reports/ through HTTP: the role x endpoint matrix, the flow, errors in the
common shape, filters and a constant number of queries on the list."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.activity.models import ActivityReport, ActivityReportStatus
from apps.activity.services.reports import activity_report_record_approval
from tests.activity.factories import (
    full_days,
    pdf_bytes,
    report_contract,
    report_create,
    submitted_report,
)

pytestmark = pytest.mark.django_db

Status = ActivityReportStatus
BASE = "/api/v1/activity-reports/"


def detail(report, action=""):
    return f"{BASE}{report.pk}/{action + '/' if action else ''}"


def _approved(contract=None):
    report, _token = submitted_report(contract or report_contract())
    return activity_report_record_approval(
        report=report,
        by=None,
        proof_file=SimpleUploadedFile("ok.pdf", pdf_bytes()),
        approver_name="Paul",
    )


@pytest.fixture
def own_contract(consultant_user):
    return report_contract(consultant=consultant_user.consultant)


@pytest.fixture
def other_report(other_consultant_user):
    return report_create(report_contract(consultant=other_consultant_user.consultant))


DAYS_BODY = {
    "days": [{"date": "2026-05-04", "fraction": "1"}, {"date": "2026-05-05", "fraction": "0.5"}]
}


# --- consultants ------------------------------------------------------------------------------
def test_consultant_creates_fills_and_submits_their_own_report(
    api_as, consultant_user, own_contract, mailoutbox, django_capture_on_commit_callbacks
):
    api = api_as(consultant_user)
    created = api.post(
        BASE, {"commercial_contract": own_contract.pk, "month": "2026-05"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["month"] == "2026-05" and body["status"] == "draft"
    assert body["working_days"] == 17
    assert len(body["calendar"]) == 31
    report = ActivityReport.objects.get(pk=body["id"])

    filled = api.put(detail(report, "days"), DAYS_BODY, format="json")
    assert filled.status_code == 200, filled.json()
    assert filled.json()["days_total"] == "1.5"
    may_5 = next(d for d in filled.json()["calendar"] if d["date"] == "2026-05-05")
    assert may_5["fraction"] == "0.5" and may_5["kind"] == "working"

    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(detail(report, "submit"))
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["amount"] == "900.00"
    assert len(mailoutbox) == 1


def test_consultant_cannot_create_on_someone_elses_contract(api_as, consultant_user):
    foreign = report_contract()
    response = api_as(consultant_user).post(
        BASE, {"commercial_contract": foreign.pk, "month": "2026-05"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "commercial_contract" in response.json()["fields"]
    assert not ActivityReport.objects.exists()


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("get", "", None),
        ("put", "days", DAYS_BODY),
        ("post", "submit", None),
    ],
)
def test_someone_elses_report_is_a_404_for_a_consultant(
    api_as, consultant_user, other_report, method, action, body
):
    response = getattr(api_as(consultant_user), method)(
        detail(other_report, action), body, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    other_report.refresh_from_db()
    assert other_report.status == Status.DRAFT and other_report.days_total == 0


def test_consultant_list_shows_only_their_reports(
    api_as, consultant_user, own_contract, other_report
):
    mine = report_create(own_contract)
    response = api_as(consultant_user).get(BASE)
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


@pytest.mark.parametrize("action", ["approve", "reject", "validate"])
def test_staff_actions_are_403_for_consultants_even_on_their_own(
    api_as, consultant_user, own_contract, action
):
    report, _token = submitted_report(own_contract)
    response = api_as(consultant_user).post(
        detail(report, action), {"reason": "x", "approver_name": "me"}, format="json"
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_bulk_validation_is_403_for_consultants(api_as, consultant_user, own_contract):
    report = _approved(own_contract)
    response = api_as(consultant_user).post(
        f"{BASE}validate-bulk/", {"ids": [report.pk]}, format="json"
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Status.CLIENT_APPROVED


def test_consultant_role_without_profile_sees_nothing(api_as, consultant_role_user):
    report_create()
    response = api_as(consultant_role_user).get(BASE)
    assert response.status_code == 200 and response.json()["results"] == []


def test_anonymous_is_refused(api_client):
    assert api_client.get(BASE).status_code in {401, 403}


# --- finance (read only) and staff ------------------------------------------------------------
def test_finance_reads_but_cannot_write(api_as, finance_user):
    report, _token = submitted_report()
    api = api_as(finance_user)
    assert api.get(BASE).status_code == 200
    assert api.get(detail(report)).status_code == 200
    contract = report_contract()
    assert (
        api.post(
            BASE, {"commercial_contract": contract.pk, "month": "2026-05"}, format="json"
        ).status_code
        == 403
    )
    assert api.put(detail(report, "days"), DAYS_BODY, format="json").status_code == 403
    assert api.post(detail(report, "reject"), {"reason": "x"}, format="json").status_code == 403
    assert api.post(detail(report, "validate")).status_code == 403
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_staff_record_approval_with_proof_then_validate(api_as, staff_user):
    report, _token = submitted_report()
    api = api_as(staff_user)
    response = api.post(
        detail(report, "approve"),
        {
            "approver_name": "Paul",
            "comment": "By e-mail",
            "proof_file": SimpleUploadedFile("a.pdf", pdf_bytes()),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "client_approved"
    assert response.json()["client_approval_channel"] == "recorded_by_staff"
    assert response.json()["has_approval_proof"] is True
    validated = api.post(detail(report, "validate"))
    assert validated.status_code == 200 and validated.json()["status"] == "validated"


def test_html_renamed_pdf_is_refused_by_the_api(api_as, staff_user):
    report, _token = submitted_report()
    fake = SimpleUploadedFile("proof.pdf", b"<html><body>approved</body></html>", "application/pdf")
    response = api_as(staff_user).post(
        detail(report, "approve"), {"approver_name": "Paul", "proof_file": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "PDF, PNG or JPEG" in response.json()["fields"]["proof_file"][0]
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_approving_an_already_approved_report_is_a_409(api_as, staff_user):
    report = _approved()
    response = api_as(staff_user).post(
        detail(report, "approve"),
        {"approver_name": "Paul", "proof_file": SimpleUploadedFile("a.pdf", pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert "only a submitted report can be approved" in response.json()["message"]


def test_staff_reject_sends_back_to_draft(api_as, staff_user):
    report, _token = submitted_report()
    response = api_as(staff_user).post(
        detail(report, "reject"), {"reason": "Wrong month."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["rejection_reason"] == "Wrong month."
    assert response.json()["rejected_by_kind"] == "staff"


def test_validate_bulk_reports_validated_and_refused(api_as, staff_user):
    ok = _approved()
    pending, _token = submitted_report(report_contract())
    response = api_as(staff_user).post(
        f"{BASE}validate-bulk/", {"ids": [ok.pk, pending.pk]}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["validated"] == [ok.pk]
    assert [row["id"] for row in body["refused"]] == [pending.pk]
    assert "only a report approved by the client can be validated" in body["refused"][0]["message"]


def test_validate_bulk_with_an_unknown_id_is_a_400(api_as, staff_user):
    ok = _approved()
    response = api_as(staff_user).post(
        f"{BASE}validate-bulk/", {"ids": [ok.pk, 999999]}, format="json"
    )
    assert response.status_code == 400
    ok.refresh_from_db()
    assert ok.status == Status.CLIENT_APPROVED


# --- errors in the common shape ---------------------------------------------------------------
def test_second_report_for_the_same_month_is_a_clear_400(api_as, staff_user):
    contract = report_contract()
    report_create(contract)
    response = api_as(staff_user).post(
        BASE, {"commercial_contract": contract.pk, "month": "2026-05"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_report"
    assert "already exists" in response.json()["message"]
    assert ActivityReport.objects.count() == 1


def test_bad_month_is_a_400(api_as, staff_user):
    response = api_as(staff_user).post(
        BASE, {"commercial_contract": report_contract().pk, "month": "May"}, format="json"
    )
    assert response.status_code == 400
    assert "month" in response.json()["fields"]


def test_days_refused_name_each_day_and_write_nothing(api_as, staff_user):
    report = report_create()
    body = {
        "days": [
            {"date": "2026-05-04", "fraction": "1"},
            {"date": "2026-05-14", "fraction": "0.5"},
            {"date": "2026-05-09", "fraction": "1"},
        ]
    }
    response = api_as(staff_user).put(detail(report, "days"), body, format="json")
    assert response.status_code == 400
    messages = response.json()["fields"]["days"]
    assert len(messages) == 2
    # Sorted by date: Saturday 9 May, then Ascension (14 May).
    assert "weekend day" in messages[0] and "public holiday" in messages[1]
    assert report.days.count() == 0


def test_invalid_fraction_and_duplicate_dates_are_400(api_as, staff_user):
    report = report_create()
    api = api_as(staff_user)
    bad = api.put(
        detail(report, "days"), {"days": [{"date": "2026-05-04", "fraction": "0.3"}]}, format="json"
    )
    assert bad.status_code == 400
    twice = api.put(
        detail(report, "days"),
        {
            "days": [
                {"date": "2026-05-04", "fraction": "1"},
                {"date": "2026-05-04", "fraction": "0.5"},
            ]
        },
        format="json",
    )
    assert twice.status_code == 400
    assert "given twice" in twice.json()["fields"]["days"][0]


def test_submit_twice_is_a_409(api_as, staff_user):
    report, _token = submitted_report()
    response = api_as(staff_user).post(detail(report, "submit"))
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_days_of_a_submitted_report_are_refused(api_as, staff_user):
    report, _token = submitted_report()
    response = api_as(staff_user).put(detail(report, "days"), DAYS_BODY, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "report_not_editable"


# --- filters and query counts -----------------------------------------------------------------
def test_filters(api_as, staff_user):
    contract = report_contract()
    may = report_create(contract)
    april = report_create(contract, month=date(2026, 4, 1))
    other, _token = submitted_report(report_contract())
    api = api_as(staff_user)

    def ids(query):
        return sorted(row["id"] for row in api.get(f"{BASE}?{query}").json()["results"])

    assert ids("status=submitted") == [other.pk]
    assert ids("status=draft") == sorted([may.pk, april.pk])
    assert ids(f"consultant={contract.consultant_id}") == sorted([may.pk, april.pk])
    assert ids(f"client={other.commercial_contract.client_id}") == [other.pk]
    assert ids("month=2026-04") == [april.pk]
    assert api.get(f"{BASE}?month=april").status_code == 400


def test_list_query_count_is_constant(api_as, staff_user, django_assert_num_queries):
    api = api_as(staff_user)
    report_create(report_contract())
    api.get(BASE)  # warm the caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        assert api.get(BASE).json()["count"] == 1
    assert len(one.captured_queries) == 2  # count + one select with the joins
    for _index in range(4):
        report_create(report_contract())
    with django_assert_num_queries(len(one.captured_queries)):
        assert api.get(BASE).json()["count"] == 5


def test_detail_days_body_shape(api_as, staff_user):
    report = report_create()
    api = api_as(staff_user)
    api.put(
        detail(report, "days"), {"days": [{"date": "2026-05-04", "fraction": "1"}]}, format="json"
    )
    body = api.get(detail(report)).json()
    days = {d["date"]: d for d in body["calendar"]}
    assert days["2026-05-04"]["fraction"] == "1.0"
    assert days["2026-05-01"]["kind"] == "holiday" and days["2026-05-01"]["holiday"]
    assert days["2026-05-02"]["kind"] == "weekend" and not days["2026-05-02"]["selectable"]
    assert sum(1 for d in body["calendar"] if d["selectable"]) == 17
    assert report.days.get().day == full_days(date(2026, 5, 4)).popitem()[0]
