"""API of runs and payslips: permissions (someone else's payslip is a 404), counts, CSV."""

from datetime import date

import pytest

from apps.payroll.models import PayrollRun
from apps.payroll.services import payroll_run_execute, payroll_run_start
from apps.payslips.models import Payslip

from .conftest import PERIOD, fund, make_contract

pytestmark = pytest.mark.django_db
RUNS = "/api/v1/payroll/runs/"
PAYSLIPS = "/api/v1/payslips/"


@pytest.fixture
def payslips(company, staff_user, consultant_user):
    own = make_contract(consultant=consultant_user.consultant)
    other = make_contract()
    fund(own.consultant, "6000.00")
    fund(other.consultant, "7000.00")
    run = payroll_run_execute(run=payroll_run_start(period=PERIOD, started_by=staff_user))
    return (
        run,
        Payslip.objects.get(consultant=own.consultant),
        Payslip.objects.get(consultant=other.consultant),
    )


def test_consultant_sees_only_their_payslips(api_as, consultant_user, payslips):
    _run, own, other = payslips
    client = api_as(consultant_user)
    response = client.get(PAYSLIPS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [own.pk]
    assert client.get(f"{PAYSLIPS}{own.pk}/").json()["number"] == own.number
    assert client.get(f"{PAYSLIPS}{other.pk}/").status_code == 404
    assert client.get(RUNS).status_code == 403


def test_staff_and_finance_see_all_with_filters(api_as, staff_user, finance_user, payslips):
    _run, own, other = payslips
    for user in (staff_user, finance_user):
        client = api_as(user)
        assert client.get(PAYSLIPS).json()["count"] == 2
        filtered = client.get(PAYSLIPS, {"consultant": other.consultant_id, "year": 2026})
        assert [row["id"] for row in filtered.json()["results"]] == [other.pk]
        assert client.get(PAYSLIPS, {"year": 2025}).json()["count"] == 0
    detail = api_as(staff_user).get(f"{PAYSLIPS}{own.pk}/").json()
    assert detail["lines"][0]["position"] == 1
    assert len(detail["lines"]) == own.lines.count()


def test_payslip_list_query_count_is_constant(
    api_as, staff_user, payslips, django_assert_max_num_queries, company
):
    client = api_as(staff_user)
    with django_assert_max_num_queries(6):
        assert client.get(PAYSLIPS).status_code == 200
    for _ in range(3):
        fund(make_contract().consultant, "5000.00", day=date(2026, 2, 10))
    payroll_run_execute(run=payroll_run_start(period=date(2026, 2, 1), started_by=staff_user))
    with django_assert_max_num_queries(6):
        assert client.get(PAYSLIPS).json()["count"] == 5


def test_finance_cannot_start_a_run(api_as, finance_user, company):
    response = api_as(finance_user).post(RUNS, {"period": "2026-01-01"}, format="json")
    assert response.status_code == 403
    assert not PayrollRun.objects.exists()


def test_staff_starts_runs_and_reads_progress(
    api_as, staff_user, company, django_capture_on_commit_callbacks
):
    contract = make_contract()
    fund(contract.consultant, "6000.00")
    client = api_as(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RUNS, {"period": "2026-01-15"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["already_started"] is False
    run_id = body["run"]["id"]
    detail = client.get(f"{RUNS}{run_id}/").json()
    assert detail["status"] == "done"  # Celery is eager in tests
    assert (detail["items_total"], detail["items_done"]) == (1, 1)
    again = client.post(RUNS, {"period": "2026-01-01"}, format="json")
    assert again.status_code == 200 and again.json()["already_started"] is True
    assert "already exists" in again.json()["notice"]
    assert client.post(f"{RUNS}{run_id}/execute/", {}, format="json").status_code == 202
    journal = client.get(f"{RUNS}{run_id}/journal/").json()
    assert journal["payslip_count"] == 1
    csv_response = client.get(f"{RUNS}{run_id}/journal/?format=csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert b"maladie" in b"".join(csv_response.streaming_content)


def test_unknown_period_is_a_clear_400(api_as, staff_user, company):
    response = api_as(staff_user).post(RUNS, {"period": "2031-03-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "payroll_rates_not_found"
    assert "2031.toml" in response.json()["message"]
