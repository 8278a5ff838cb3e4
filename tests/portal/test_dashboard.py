"""The portal dashboard's "at a glance" row counts only the consultant's own money and documents."""

from datetime import date
from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from tests.activity.factories import fund, report_contract, report_create
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory


@pytest.fixture(autouse=True)
def company(db):
    return make_company_profile()


@pytest.fixture
def me(make_user):
    user = make_user(Role.CONSULTANT, language="en")
    return ConsultantFactory(user=user, email=user.email)


@pytest.fixture
def other(db):
    return ConsultantFactory()


def glance(client, consultant):
    client.force_login(consultant.user)
    response = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.context


def test_balance_and_drafts_are_mine_only(client, me, other, staff_user):
    fund(me, "1234.50", by=staff_user)
    fund(other, "9999.00", by=staff_user)  # someone else's money never shows
    report_create(report_contract(consultant=me), month=date(2026, 5, 1))
    report_create(report_contract(consultant=other), month=date(2026, 5, 1))

    context = glance(client, me)

    assert context["available"] == Decimal("1234.50")
    assert context["reports_to_send"] == 1
    assert context["claims_in_progress"] == 0
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="dashboard-available">1,234.50 €' in page


def test_french_page_formats_the_balance_the_french_way(client, make_user, staff_user):
    user = make_user(Role.CONSULTANT, language="fr")
    me = ConsultantFactory(user=user, email=user.email)
    fund(me, "1234.50", by=staff_user)
    client.force_login(user)
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Disponible sur mon compte d’activité" in page
    # Django's French format: non-breaking space for thousands, comma for decimals.
    assert 'data-testid="dashboard-available">1\xa0234,50 €' in page


def test_dashboard_query_count_does_not_grow_with_documents(
    client, me, staff_user, django_assert_max_num_queries
):
    contract = report_contract(consultant=me)
    for month in (3, 4, 5, 6):
        report_create(contract, month=date(2026, month, 1))
        fund(me, "10", on=date(2026, month, 2), by=staff_user)
    client.force_login(me.user)
    with django_assert_max_num_queries(14):
        response = client.get("/portal/")
    assert response.status_code == 200
