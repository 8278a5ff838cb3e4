"""The portal simulator page: consultants only, prefilled with their fee, renders the chain
and every line grouped by risk; bad input shows next to the field."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.accounts.roles import Role
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory

D = Decimal
URL = "/portal/simulator/"
QUERY = {"daily_rate": "600", "days_per_month": "18", "management_fee_rate": "7", "expenses": "0"}


@pytest.fixture(autouse=True)
def company(db):
    return make_company_profile()


@pytest.fixture
def me(make_user):
    user = make_user(Role.CONSULTANT, language="en")
    return ConsultantFactory(user=user, email=user.email, management_fee_rate=D("8.25"))


def test_the_form_is_prefilled_with_my_fee(client, me):
    client.force_login(me.user)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"]["management_fee_rate"].value() == D("8.25")
    assert response.context["simulation"] is None
    assert b'data-testid="simulator-form"' in response.content


def test_the_chain_is_rendered(client, me):
    client.force_login(me.user)
    response = client.get(URL, QUERY, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    simulation = response.context["simulation"]
    # 600 × 18 = 10 800; 7 % = 756; available 10 044 (English number format on the page).
    assert (simulation.turnover, simulation.management_fee) == (D("10800.00"), D("756.00"))
    html = response.content.decode()
    assert 'data-testid="chain-turnover">10,800.00 €' in html
    assert 'data-testid="chain-fee">− 756.00 €' in html
    assert 'data-testid="chain-available">10,044.00 €' in html
    for testid in ("chain-employer-cost", "chain-gross", "chain-net-before-tax", "chain-net-paid"):
        assert f'data-testid="{testid}"' in html
    # Lines grouped by risk, under the bulletin-clarifié group labels.
    for group in ("Health", "Pension", "Unemployment insurance", "CSG / CRDS"):
        assert group in html
    assert "Social security pension (capped)" in html
    assert html.count('data-label="Contribution"') == len(simulation.payslip.lines)


def test_french_page(client, me):
    me.user.language = "fr"
    me.user.save(update_fields=["language"])
    client.force_login(me.user)
    html = client.get(URL, QUERY, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # Django's French format (non-breaking space, decimal comma) and the French labels.
    assert 'data-testid="chain-turnover">10\xa0800,00 €' in html
    assert "Sécurité sociale plafonnée" in html


def test_bad_input_is_shown_next_to_the_field(client, me):
    client.force_login(me.user)
    response = client.get(URL, {**QUERY, "management_fee_rate": "20"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["simulation"] is None
    assert response.context["form"].errors["management_fee_rate"] == [
        "The management fee must be between 3.00 % and 15.00 %."
    ]
    response = client.get(URL, {**QUERY, "days_per_month": "40"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "days_per_month" in response.context["form"].errors


def test_minimum_warning_on_the_page(client, me, staff_user):
    """The level comes from the consultant's signed contract (level 2 here)."""
    from tests.employment_contracts.factories import cdi_create, signed

    signed(cdi_create(consultant=me, classification=2), staff_user)
    client.force_login(me.user)
    response = client.get(
        URL, {**QUERY, "daily_rate": "100", "days_per_month": "10"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert 'data-testid="simulator-warning"' in response.content.decode()
    assert "Below the conventional minimum of level 2" in response.content.decode()


def test_back_office_and_anonymous_do_not_use_the_portal_page(client, staff_user):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(staff_user)
    assert client.get(URL).status_code == 404


def test_a_consultant_role_without_profile_gets_404(client, consultant_role_user):
    client.force_login(consultant_role_user)
    assert client.get(URL).status_code == 404


def test_my_personalised_income_tax_rate_is_used(client, me):
    """With a rate received from the tax administration, the simulation withholds it on the
    net taxable (half-up to the cent) instead of the neutral grid."""
    me.income_tax_rate = D("4.20")
    me.income_tax_rate_received_on = date(2026, 9, 1)
    me.save()
    client.force_login(me.user)
    simulation = client.get(URL, QUERY, HTTP_ACCEPT_LANGUAGE="en").context["simulation"]
    tax = simulation.payslip.income_tax
    assert tax.kind == "personalised" and tax.rate == D("4.20")
    assert tax.amount == (tax.base * D("0.042")).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_in_january_before_the_new_rates_the_page_still_answers_and_says_so(client, me):
    """On 5 January of a year without its rates file, the consultant's simulator uses the
    latest published month and shows a warning (in French by default)."""
    from unittest import mock

    from apps.payroll.engine.rates import RATES_DIR
    from apps.payroll.simulator import inputs

    year = max(int(path.stem) for path in RATES_DIR.glob("[0-9][0-9][0-9][0-9].toml")) + 1
    me.user.language = "fr"
    me.user.save(update_fields=["language"])
    client.force_login(me.user)
    with mock.patch.object(inputs.timezone, "localdate", return_value=date(year, 1, 5)):
        response = client.get(URL, QUERY, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.context["simulation"].period == date(year - 1, 12, 1)
    html = response.content.decode()
    assert 'data-testid="simulator-warning"' in html
    assert (
        f"Les paramètres de paie de 01/{year} ne sont pas encore publiés : cette estimation"
        f" utilise ceux de 12/{year - 1}."
    ) in html
