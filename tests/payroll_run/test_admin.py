"""Back-office: start a run from the changelist, follow it, read its journal; payslips
are read-only."""

import pytest

from apps.payroll.models import PayrollRun, PayrollRunStatus
from apps.payroll.services import payroll_run_execute, payroll_run_start
from apps.payslips.models import Payslip

from .conftest import PERIOD, fund, make_contract

pytestmark = pytest.mark.django_db
RUNS = "/admin/payroll/payrollrun/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_staff_starts_a_run_from_the_admin(
    staff_client, company, django_capture_on_commit_callbacks
):
    contract = make_contract()
    fund(contract.consultant, "6000.00")
    page = staff_client.get(f"{RUNS}start/", **EN)
    assert page.status_code == 200 and b"payroll-start-form" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{RUNS}start/", {"period": "2026-01-01"}, **EN)
    run = PayrollRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{run.pk}/change/")
    run.refresh_from_db()
    assert run.status == PayrollRunStatus.DONE  # Celery runs eagerly in tests
    detail = staff_client.get(response["Location"], **EN)
    assert detail.status_code == 200
    assert b'data-testid="count-done">1<' in detail.content
    journal = staff_client.get(f"{RUNS}{run.pk}/journal/", **EN)
    assert journal.status_code == 200 and b"maladie" in journal.content
    csv_response = staff_client.get(f"{RUNS}{run.pk}/journal.csv")
    assert b"maladie" in b"".join(csv_response.streaming_content)


def test_unknown_period_is_shown_on_the_form(staff_client, company):
    response = staff_client.post(f"{RUNS}start/", {"period": "2031-03-01"}, **EN)
    assert response.status_code == 200
    assert b"2031.toml" in response.content
    assert not PayrollRun.objects.exists()


def test_finance_cannot_start_a_run(client, finance_user, company):
    client.force_login(finance_user)
    response = client.post(f"{RUNS}start/", {"period": "2026-01-01"}, **EN)
    assert response.status_code in (302, 403)
    assert not PayrollRun.objects.exists()


def test_payslip_admin_is_read_only(staff_client, staff_user, company):
    contract = make_contract()
    fund(contract.consultant, "6000.00")
    payroll_run_execute(run=payroll_run_start(period=PERIOD, started_by=staff_user))
    payslip = Payslip.objects.get()
    listing = staff_client.get("/admin/payslips/payslip/", **EN)
    assert listing.status_code == 200 and payslip.number.encode() in listing.content
    change = staff_client.get(f"/admin/payslips/payslip/{payslip.pk}/change/", **EN)
    assert change.status_code == 200
    assert b"csg_deductible" in change.content
    assert staff_client.get("/admin/payslips/payslip/add/").status_code == 403
