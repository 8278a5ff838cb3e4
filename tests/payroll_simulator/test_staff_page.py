"""/payroll/simulator/: staff and finance simulate for a prospect, with every input open."""

from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory

D = Decimal
URL = "/payroll/simulator/"
QUERY = {
    "daily_rate": "600",
    "days_per_month": "18",
    "management_fee_rate": "7",
    "expenses": "0",
    "status": "non-cadre",
    "contract_type": "CDD",
    "headcount": "250",
    "period": "2026-01",
    "classification_level": "",
    "pas_rate": "",
}


@pytest.fixture(autouse=True)
def company(db):
    return make_company_profile()


@pytest.mark.parametrize("who", ["staff_user", "finance_user"])
def test_back_office_simulates_for_a_prospect(request, client, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL, QUERY, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    simulation = response.context["simulation"]
    # 600 × 18 = 10 800; 7 % = 756; 10 044 available; CDD: the precarity provision.
    assert simulation.available == D("10044.00")
    assert simulation.provision_kind == "precarity"
    codes = {line.code for line in simulation.payslip.lines}
    assert "apec" not in codes and "cpf_cdd" in codes  # non-cadre, CDD
    assert "contribution_supplementaire_apprentissage" in codes  # 250 employees
    assert 'data-testid="chain-turnover">10,800.00 €' in response.content.decode()


def test_the_blank_form(client, staff_user):
    client.force_login(staff_user)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"]["headcount"].value() == 20  # the company's
    assert response.context["simulation"] is None


def test_errors_next_to_the_fields(client, staff_user):
    client.force_login(staff_user)
    response = client.get(URL, {**QUERY, "period": "2027-02"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "2027.toml is missing" in response.context["form"].errors["period"][0]


def test_consultants_and_anonymous_are_kept_out(client, make_user):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = make_user(Role.CONSULTANT)
    ConsultantFactory(user=user, email=user.email)
    client.force_login(user)
    assert client.get(URL).status_code == 403
