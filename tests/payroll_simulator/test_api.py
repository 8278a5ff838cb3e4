"""POST /api/v1/payroll/simulate/: roles, defaults from the consultant's terms, validation
messages (English and French), every line in the answer, constant query count."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from apps.accounts.roles import Role
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory

D = Decimal
URL = "/api/v1/payroll/simulate/"
BODY = {"daily_rate": "600.00", "days_per_month": "18", "period": "2026-01"}


@pytest.fixture(autouse=True)
def company(db):
    return make_company_profile()


@pytest.fixture
def consultant_user(make_user):
    user = make_user(Role.CONSULTANT, language="en")
    ConsultantFactory(user=user, email=user.email, management_fee_rate=D("9.50"))
    return user


@pytest.mark.parametrize("who", ["staff_user", "finance_user", "consultant_user"])
def test_every_role_may_simulate(request, api_as, who):
    response = api_as(request.getfixturevalue(who)).post(URL, BODY, format="json")
    assert response.status_code == 200, response.data
    assert response.data["turnover"] == "10800.00"  # 600 × 18


def test_anonymous_and_users_without_a_role_are_refused(api_client, api_as, db):
    assert api_client.post(URL, BODY, format="json").status_code in (401, 403)
    nobody = get_user_model().objects.create_user(email="nobody@example.test", password="x")
    response = api_as(nobody).post(URL, BODY, format="json")
    assert response.status_code == 403
    assert response.data["message"] == (
        "You need a staff, finance or consultant account to use the simulator."
    )


def test_staff_get_the_company_default_fee(api_as, staff_user):
    data = api_as(staff_user).post(URL, BODY, format="json").data
    # Company default 7 %: 7 % of 10 800 = 756.00; available 10 044.00.
    assert (data["management_fee_rate"], data["management_fee"]) == ("7.00", "756.00")
    assert data["available"] == "10044.00"
    assert (data["status"], data["contract_type"], data["headcount"]) == ("cadre", "CDI", 20)


def test_a_consultant_gets_their_own_fee_and_status(api_as, consultant_user):
    consultant_user.consultant.status_cadre = "non_cadre"
    consultant_user.consultant.save(update_fields=["status_cadre"])
    data = api_as(consultant_user).post(URL, BODY, format="json").data
    # 9.5 % of 10 800 = 1 026.00; 10 800 − 1 026 = 9 774.00.
    assert (data["management_fee_rate"], data["management_fee"]) == ("9.50", "1026.00")
    assert data["available"] == "9774.00"
    assert data["status"] == "non-cadre"
    assert "apec" not in {line["code"] for line in data["lines"]}  # APEC is for cadres


def test_the_answer_holds_the_chain_and_every_line(api_as, staff_user):
    data = (
        api_as(staff_user)
        .post(URL, {**BODY, "expenses": "200", "pas_rate": "10"}, format="json")
        .data
    )
    money = {
        key: D(data[key])
        for key in (
            "available", "gross", "employer_contributions", "employee_contributions",
            "employer_cost", "provision_loaded", "remainder", "net_paid",
            "net_before_income_tax", "income_tax", "consultant_receives",
        )
    }  # fmt: skip
    assert money["available"] == D("10800.00") - D("756.00") - D("200.00")
    assert money["gross"] + money["employer_contributions"] == money["employer_cost"]
    assert (
        money["employer_cost"] + money["provision_loaded"] + money["remainder"]
        == (money["available"])
    )
    assert money["net_paid"] == money["net_before_income_tax"] - money["income_tax"]
    assert money["consultant_receives"] == money["net_paid"] + D("200.00")
    assert data["income_tax_kind"] == "personalised"
    lines = data["lines"]
    assert sum(D(line["employer_amount"]) for line in lines) == money["employer_contributions"]
    assert sum(D(line["employee_amount"]) for line in lines) == money["employee_contributions"]
    maladie = next(line for line in lines if line["code"] == "maladie")
    assert maladie["group"] == "sante" and maladie["employer_rate"] == "13.0000"
    assert maladie["label"] == "Social security - sickness, maternity, disability, death"
    assert data["period"] == "2026-01"


def test_headcount_changes_the_thresholds(api_as, staff_user):
    small = api_as(staff_user).post(URL, {**BODY, "headcount": 20}, format="json").data
    large = api_as(staff_user).post(URL, {**BODY, "headcount": 250}, format="json").data
    codes = lambda data: {line["code"] for line in data["lines"]}  # noqa: E731
    # From 250 employees: contribution supplémentaire à l'apprentissage; from 50: PEEC.
    assert "contribution_supplementaire_apprentissage" not in codes(small)
    assert {"contribution_supplementaire_apprentissage", "peec"} <= codes(large)


def test_validation_errors_in_english(api_as, staff_user):
    response = api_as(staff_user).post(
        URL, {**BODY, "days_per_month": "30", "management_fee_rate": "20"}, format="json"
    )
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["fields"]["days_per_month"] == [
        "The days worked must be between 0.5 and 23 per month."
    ]
    assert response.data["fields"]["management_fee_rate"] == [
        "The management fee must be between 3.00 % and 15.00 %."
    ]


def test_missing_rates_file_names_it(api_as, staff_user):
    response = api_as(staff_user).post(URL, {**BODY, "period": "2027-01"}, format="json")
    assert response.status_code == 400
    assert "apps/payroll/rates/2027.toml is missing" in response.data["fields"]["period"][0]


def test_bad_period_format(api_as, staff_user):
    response = api_as(staff_user).post(URL, {**BODY, "period": "01/2026"}, format="json")
    assert response.status_code == 400
    assert response.data["fields"]["period"] == [
        "Enter the pay period as YYYY-MM (for example 2026-01)."
    ]


def test_french_answers(api_as, staff_user):
    client = api_as(staff_user)
    response = client.post(URL, {"days_per_month": "18"}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.data["fields"]["daily_rate"] == ["Ce champ est obligatoire."]
    data = client.post(URL, BODY, format="json", HTTP_ACCEPT_LANGUAGE="fr").data
    maladie = next(line for line in data["lines"] if line["code"] == "maladie")
    assert maladie["label"] == "Sécurité sociale - Maladie Maternité Invalidité Décès"
    assert maladie["group_label"].startswith("Santé")


def test_query_count_is_small_and_fixed(api_as, consultant_user, django_assert_max_num_queries):
    client = api_as(consultant_user)
    # profile, consultant, current contract, fee bounds, roles: a handful, whatever the lines.
    with django_assert_max_num_queries(8):
        assert client.post(URL, BODY, format="json").status_code == 200
