"""The payslips in the portal and the PDF endpoint: own payslips only, constant queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.employment_contracts.factories import cdi_create

from .factories import make_payslip

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.email, password=PASSWORD)
    return client


@pytest.fixture
def own_contract(consultant_user):
    return cdi_create(consultant=consultant_user.consultant)


def test_portal_lists_only_own_payslips_by_year_with_totals(
    client, consultant_user, other_consultant_user, own_contract
):
    december = make_payslip(contract=own_contract, period=date(2025, 12, 1))
    january = make_payslip(contract=own_contract, period=date(2026, 1, 1))
    february = make_payslip(contract=own_contract, period=date(2026, 2, 1))
    other = make_payslip(contract=cdi_create(consultant=other_consultant_user.consultant))

    response = _login(client, consultant_user).get(reverse("portal:payslips"))

    assert response.status_code == 200
    html = response.content.decode()
    for payslip in (december, january, february):
        assert payslip.number in html
        assert reverse("portal:payslip_pdf", args=[payslip.pk]) in html
    assert other.number not in html
    years = response.context["years"]
    assert [year["year"] for year in years] == [2026, 2025]
    assert [p.number for p in years[0]["payslips"]] == [february.number, january.number]
    # Two identical months (reference gross 6 361.12 €): the 2026 total is twice one month.
    assert years[0]["totals"]["gross"] == Decimal("12722.24")
    assert years[0]["totals"]["net_paid"] == january.net_paid + february.net_paid
    assert years[1]["totals"]["employer_cost"] == december.employer_cost
    assert 'data-label="Net paid"' in html and 'class="data stack"' in html
    assert "Total 2026" in html


def test_portal_list_query_count_does_not_grow(
    client, consultant_user, own_contract, django_assert_max_num_queries
):
    make_payslip(contract=own_contract, period=date(2026, 1, 1))
    _login(client, consultant_user)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("portal:payslips"))
    for month in range(2, 12):
        make_payslip(contract=own_contract, period=date(2026, month, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("portal:payslips"))
    assert len(response.context["years"][0]["payslips"]) == 11


def test_portal_empty_state(client, consultant_user):
    response = _login(client, consultant_user).get(reverse("portal:payslips"))
    assert "No payslip yet" in response.content.decode()


def test_portal_pdf_own_downloads_others_is_404(
    client, consultant_user, other_consultant_user, own_contract
):
    mine = make_payslip(contract=own_contract)
    theirs = make_payslip(contract=cdi_create(consultant=other_consultant_user.consultant))
    _login(client, consultant_user)

    response = client.get(reverse("portal:payslip_pdf", args=[mine.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{mine.number}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    assert client.get(reverse("portal:payslip_pdf", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("portal:payslip_pdf", args=[999999])).status_code == 404


def test_portal_is_for_consultants_only(client, staff_user):
    _login(client, staff_user)
    assert client.get(reverse("portal:payslips")).status_code == 404


def test_portal_requires_login(client):
    response = client.get(reverse("portal:payslips"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_api_pdf_for_staff_and_finance(api_as, staff_user, finance_user):
    payslip = make_payslip()
    url = reverse("api:payslip-pdf", args=[payslip.pk])
    for user in (staff_user, finance_user):
        response = api_as(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    payslip.refresh_from_db()
    assert payslip.pdf_file  # rendered once on the first download, then served as stored


def test_api_pdf_consultant_own_only(api_as, consultant_user, other_consultant_user, own_contract):
    mine = make_payslip(contract=own_contract)
    theirs = make_payslip(contract=cdi_create(consultant=other_consultant_user.consultant))
    client = api_as(consultant_user)
    assert client.get(reverse("api:payslip-pdf", args=[mine.pk])).status_code == 200
    response = client.get(reverse("api:payslip-pdf", args=[theirs.pk]))
    assert response.status_code == 404
    assert set(response.json()) >= {"code", "message"}


def test_api_pdf_refused_without_permission(api_as, make_user, api_client):
    payslip = make_payslip()
    url = reverse("api:payslip-pdf", args=[payslip.pk])
    # A user with the consultant role but no consultant profile sees nothing.
    no_role = make_user("consultant")
    assert api_as(no_role).get(url).status_code == 404
    assert api_client.get(url).status_code in (401, 403)
