"""Back-office screens: list, saving through the model validation and services, actions."""

from datetime import date

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core import mail

from apps.consultants.models import Consultant

from .factories import ConsultantFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/consultants/consultant/"

FORM = {
    "civility": "MME",
    "first_name": "Marie",
    "last_name": "Lefèvre",
    "birth_name": "",
    "birth_date": "1955-08-14",
    "birth_place": "Caen",
    "birth_country": "FR",
    "nir": "2 55 08 14 168 025 38",  # python-stdnum documentation example
    "sex": "",
    "nationality": "FR",
    "email": "marie.lefevre@example.test",
    "phone": "",
    "address_line1": "3 rue Pasteur",
    "address_line2": "",
    "postal_code": "14000",
    "city": "Caen",
    "country": "FR",
    "iban": "FR14 2004 1010 0505 0001 3M02 606",  # ECBS registry example
    "bic": "PSSTFRPPCAE",
    "highest_diploma_level": "5",
    "years_of_experience": "",
    "eligibility_evidence": "BTS",
    "status_cadre": "cadre",
    "management_fee_rate": "7.00",
}


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_changelist_shows_columns_and_searches(staff_client):
    ConsultantFactory(last_name="Zola", email="zola@example.test")
    ConsultantFactory(last_name="Aubert")
    response = staff_client.get(CHANGELIST, {"q": "zola"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ZOLA" in html
    assert "AUBERT" not in html
    assert "Prospect" in html or "prospect" in html.lower()


def test_add_goes_through_the_service(staff_client, staff_user):
    response = staff_client.post(f"{CHANGELIST}add/", FORM)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultant = Consultant.objects.get()
    assert consultant.nir == "255081416802538"
    assert consultant.status == Consultant.Status.PROSPECT
    assert consultant.history.get().history_user == staff_user


def test_add_with_invalid_nir_shows_the_error_and_saves_nothing(staff_client):
    response = staff_client.post(
        f"{CHANGELIST}add/", {**FORM, "nir": "2 55 08 14 168 025 39"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["nir"] == ["Social security number (NIR): the check digits are wrong."]
    assert Consultant.objects.count() == 0


def test_add_with_nir_not_matching_birth_date_is_refused(staff_client):
    response = staff_client.post(
        f"{CHANGELIST}add/", {**FORM, "birth_date": "1956-08-14"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["nir"] == [
        "The social security number does not match the birth date: it encodes year 55 and month 08."
    ]
    assert Consultant.objects.count() == 0


def test_change_with_left_on_marks_the_consultant_left(staff_client, staff_user):
    consultant = ConsultantFactory()
    data = {
        **FORM,
        "email": consultant.email,
        "nir": consultant.nir,
        "birth_date": "1985-05-12",
        "left_on": "2099-01-31",
        "city": "Rouen",
    }
    response = staff_client.post(f"{CHANGELIST}{consultant.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultant.refresh_from_db()
    assert consultant.status == Consultant.Status.LEFT
    assert consultant.left_on == date(2099, 1, 31)
    assert consultant.city == "Rouen"
    assert consultant.history.first().history_user == staff_user


def test_activate_action_reports_success_and_errors(staff_client):
    ok = ConsultantFactory()
    refused = ConsultantFactory(highest_diploma_level=4, years_of_experience=2)
    response = staff_client.post(
        CHANGELIST,
        {"action": "action_activate", ACTION_CHECKBOX_NAME: [ok.pk, refused.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    texts = messages_of(response)
    assert "1 consultant activated." in texts
    assert any("L1254-2 / CCN art. 2.2" in text and str(refused) in text for text in texts)
    ok.refresh_from_db()
    refused.refresh_from_db()
    assert ok.status == Consultant.Status.ACTIVE
    assert refused.status == Consultant.Status.PROSPECT


def test_invitation_action_sends_one_mail(staff_client, django_capture_on_commit_callbacks):
    consultant = ConsultantFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            CHANGELIST,
            {"action": "action_send_invitation", ACTION_CHECKBOX_NAME: [consultant.pk]},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    consultant.refresh_from_db()
    assert consultant.user is not None


def test_history_page_shows_who_changed_what(staff_client, staff_user):
    consultant = ConsultantFactory()
    from apps.consultants.services import consultant_update

    consultant_update(consultant=consultant, updated_by=staff_user, city="Grenoble")
    response = staff_client.get(f"{CHANGELIST}{consultant.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert staff_user.email in html or "Sophie" in html
    assert "Grenoble" in html


def test_finance_can_view_but_not_change(client, finance_user):
    consultant = ConsultantFactory()
    client.force_login(finance_user)
    assert client.get(CHANGELIST).status_code == 200
    response = client.post(f"{CHANGELIST}{consultant.pk}/change/", {**FORM, "city": "Nice"})
    assert response.status_code == 403
    consultant.refresh_from_db()
    assert consultant.city == "Lyon"


def test_admin_index_shows_consultant_counts(staff_client):
    from apps.consultants.services import consultant_activate

    consultant_activate(consultant=ConsultantFactory())
    ConsultantFactory()
    response = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    kpis = {str(k["title"]): k["value"] for k in response.context["kpis"]}
    assert (kpis["Active consultants"], kpis["Prospects"]) == (1, 1)


def test_add_and_change_forms_render(staff_client):
    consultant = ConsultantFactory()
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 200
    response = staff_client.get(f"{CHANGELIST}{consultant.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Eligible (L1254-2 / CCN art. 2.2)" in response.content.decode()
