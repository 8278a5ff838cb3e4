"""Back-office screens: list, add through the services, findings on the contract page, the
business actions (send, sign, activate, renew, extend, end, terminate)."""

from datetime import date

import pytest
from django.contrib.messages import get_messages

from apps.employment_contracts.models import EmploymentContract

from .factories import (
    CommercialContractFactory,
    ConsultantFactory,
    cdd_create,
    cdd_on_two_prestations,
    cdi_create,
    company_profile_replaced,
    signed,
)

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/employment_contracts/employmentcontract/"


def change_url(contract, action=""):
    return (
        f"{CHANGELIST}{contract.pk}/change/"
        if not action
        else (f"{CHANGELIST}{contract.pk}/{action}/")
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _add_form(consultant, commercial, **overrides) -> dict:
    data = {
        "consultant": consultant.pk,
        "kind": "cdd",
        "commercial_contracts": [commercial.pk],
        "cdd_reason": "Réalisation de la prestation",
        "term_type": "precise",
        "start_date": "2026-01-01",
        "initial_end_date": "2026-06-30",
        "working_time_mode": "days",
        "days_per_year": "218",
        "status_cadre": "cadre",
        "classification": "3",
        "consultant_expertise": "Architecte logiciel",
        "salary_rule": "activity_based",
        "business_bonus_rate": "5.00",
        "end_of_contract_indemnity_rate": "10.00",
        "paid_leave_mode": "monthly_allowance",
        "management_fee_rate": "7.00",
        "renewals-TOTAL_FORMS": "0",
        "renewals-INITIAL_FORMS": "0",
        "renewals-MIN_NUM_FORMS": "0",
        "renewals-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_changelist_and_search(staff_client):
    contract = cdd_create()
    response = staff_client.get(CHANGELIST, {"q": contract.consultant.last_name})
    assert response.status_code == 200
    assert contract.reference in response.content.decode()


def test_add_goes_through_the_service(staff_client):
    consultant = ConsultantFactory()
    commercial = CommercialContractFactory(consultant=consultant)
    response = staff_client.post(f"{CHANGELIST}add/", _add_form(consultant, commercial))
    assert response.status_code == 302, response.content.decode()[:3000]
    contract = EmploymentContract.objects.get()
    assert contract.reference.startswith("CT-")
    assert list(contract.commercial_contracts.all()) == [commercial]


def test_add_over_18_months_shows_the_rule_on_the_form(staff_client):
    consultant = ConsultantFactory()
    commercial = CommercialContractFactory(consultant=consultant)
    response = staff_client.post(
        f"{CHANGELIST}add/", _add_form(consultant, commercial, initial_end_date="2027-07-01")
    )
    assert response.status_code == 200
    assert "PR-12" in response.content.decode()
    assert not EmploymentContract.objects.exists()


def test_change_page_shows_findings_and_edits_a_draft(
    staff_client, django_capture_on_commit_callbacks
):
    company_profile_replaced(financial_guarantor_name="")
    with django_capture_on_commit_callbacks(execute=True):
        contract = cdd_create()
    response = staff_client.get(change_url(contract))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"/api/v1/employment-contracts/{contract.pk}/pdf/" in page
    assert 'data-testid="employment-contract-findings"' in page
    assert "EC-D10" in page  # the company profile has no financial guarantor
    data = _add_form(
        contract.consultant, contract.commercial_contracts.get(), initial_end_date="2026-07-31"
    )
    data.pop("consultant")
    response = staff_client.post(change_url(contract), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.initial_end_date == date(2026, 7, 31)


def test_actions_from_send_to_end(staff_client, staff_user):
    contract = cdd_on_two_prestations()  # PR-15 warns: the signature asks to acknowledge it
    response = staff_client.get(change_url(contract, "send-for-signature"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "sent_for_signature"

    page = staff_client.get(change_url(contract, "sign"))
    assert page.status_code == 200 and "acknowledge" in page.content.decode()
    refused = staff_client.post(change_url(contract, "sign"), {})
    assert refused.status_code == 200
    assert any("warnings are acknowledged" in m and "PR-15" in m for m in messages_of(refused))
    response = staff_client.post(change_url(contract, "sign"), {"acknowledge_warnings": "on"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "signed"

    staff_client.get(change_url(contract, "activate"))
    response = staff_client.post(
        change_url(contract, "renew"),
        {"new_end_date": "2026-09-30", "signed_on": "2026-06-01", "reason": "Prolongation"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "active" and contract.planned_end_date == date(2026, 9, 30)

    response = staff_client.post(
        change_url(contract, "extend-for-prospection"),
        {"extension_end": "2027-01-01", "reason": "Prospection"},
    )
    assert response.status_code == 200
    assert any("PR-13" in m for m in messages_of(response))
    staff_client.post(change_url(contract, "end"), {})
    contract.refresh_from_db()
    assert contract.status == "ended" and contract.ended_on == date(2026, 9, 30)


def test_send_refused_while_a_company_mention_is_missing(staff_client):
    company_profile_replaced(pension_fund_name="")
    contract = cdd_create()
    response = staff_client.get(change_url(contract, "send-for-signature"))
    assert response.status_code == 302
    errors = messages_of(response)
    assert any("EC-D08" in m and "L1254-15 1° g" in m for m in errors), errors
    contract.refresh_from_db()
    assert contract.status == "draft"


def test_terminate_needs_a_reason(staff_client, staff_user):
    contract = signed(cdi_create(), staff_user, activate=True)
    response = staff_client.post(change_url(contract, "terminate"), {"terminated_on": "2026-03-31"})
    assert response.status_code == 200  # the form shows the missing reason
    contract.refresh_from_db()
    assert contract.status == "active"
    staff_client.post(
        change_url(contract, "terminate"),
        {"terminated_on": "2026-03-31", "reason": "Démission du salarié porté"},
    )
    contract.refresh_from_db()
    assert contract.status == "terminated"


def test_finance_reads_but_cannot_act(client, finance_user):
    contract = cdd_create()
    client.force_login(finance_user)
    assert client.get(change_url(contract)).status_code == 200
    assert client.get(change_url(contract, "send-for-signature")).status_code == 403
    contract.refresh_from_db()
    assert contract.status == "draft"


def test_signed_contract_is_read_only(staff_client, staff_user):
    contract = signed(cdd_create(), staff_user)
    page = staff_client.get(change_url(contract)).content.decode()
    assert 'name="initial_end_date"' not in page
