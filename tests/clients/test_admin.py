"""The unfold admin: list, search, add/change through the services, action, history."""

import pytest
from django.urls import reverse

from apps.clients.models import ClientCompany, ClientContact

from .factories import ClientCompanyFactory, ClientContactFactory, client_fields

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:clients_clientcompany_changelist")
ADD = reverse("admin:clients_clientcompany_add")


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def form_data(contacts=(), initial=0, **overrides):
    data = {k: str(v) for k, v in client_fields(**overrides).items()}
    data.update(
        payment_terms_kind="net",
        payment_terms_days="30",
        document_language="fr",
        is_active="on",
        **{
            "contacts-TOTAL_FORMS": str(len(contacts)),
            "contacts-INITIAL_FORMS": str(initial),
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
        },
    )
    for index, contact in enumerate(contacts):
        for key, value in contact.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"contacts-{index}-{key}"] = str(value)
    return data


def test_changelist_shows_formatted_siren_and_terms(admin_client):
    client = ClientCompanyFactory(siren="732829320", siret="", vat_number="", payment_terms_days=45)
    response = admin_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = response.content.decode()
    assert "732 829 320" in content
    assert "45 days net from the invoice date" in content
    assert client.legal_name in content


def test_search_accepts_a_spaced_siren(admin_client):
    ClientCompanyFactory(siren="732829320", siret="", vat_number="", legal_name="Alpha")
    ClientCompanyFactory(legal_name="Beta")
    response = admin_client.get(CHANGELIST, {"q": "732 829 320"})
    assert list(response.context["cl"].queryset) == [ClientCompany.objects.get(legal_name="Alpha")]


def test_add_with_contacts_goes_through_the_rules(admin_client, staff_user):
    contacts = [{"kind": "billing", "last_name": "Martin", "email": "compta@client.example"}]
    response = admin_client.post(ADD, form_data(contacts, siren="732 829 320"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    client = ClientCompany.objects.get()
    assert client.siren == "732829320"
    assert client.history.get().history_user == staff_user
    assert client.contacts.get().is_primary is True  # first contact of its kind


def test_add_with_an_invalid_siren_saves_nothing(admin_client):
    response = admin_client.post(ADD, form_data(siren="732 829 321", siret="", vat_number=""))
    assert response.status_code == 200
    assert "siren" in response.context["adminform"].form.errors
    assert not ClientCompany.objects.exists()


def test_add_beyond_the_legal_terms_is_refused(admin_client):
    data = form_data()
    data["payment_terms_days"] = "61"
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert "payment_terms_days" in response.context["adminform"].form.errors


def test_two_primary_contacts_in_the_inline_are_refused(admin_client):
    contact = {"kind": "billing", "last_name": "M", "email": "a@b.example", "is_primary": True}
    response = admin_client.post(ADD, form_data([contact, {**contact, "last_name": "N"}]))
    assert response.status_code == 200
    assert not ClientCompany.objects.exists()


def test_changing_the_primary_contact_in_one_save(admin_client):
    client = ClientCompanyFactory(siren="732829320", siret="73282932000074")
    old = ClientContactFactory(client=client, is_primary=True, last_name="Old")
    new = ClientContactFactory(client=client, is_primary=False, last_name="New")
    fields = ["siren", "siret", "vat_number", "legal_name", "billing_address_line1"]
    data = form_data(
        [
            {
                "id": old.pk,
                "client": client.pk,
                "kind": "billing",
                "last_name": "Old",
                "email": old.email,
                "is_primary": False,
            },
            {
                "id": new.pk,
                "client": client.pk,
                "kind": "billing",
                "last_name": "New",
                "email": new.email,
                "is_primary": True,
            },
        ],
        initial=2,
        **{name: getattr(client, name) for name in fields},
    )
    url = reverse("admin:clients_clientcompany_change", args=[client.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_primary, new.is_primary) == (False, True)


def test_deactivate_action(admin_client, staff_user):
    active, other = ClientCompanyFactory(), ClientCompanyFactory()
    response = admin_client.post(
        CHANGELIST, {"action": "deactivate_selected", "_selected_action": [active.pk]}
    )
    assert response.status_code == 302
    active.refresh_from_db()
    other.refresh_from_db()
    assert (active.is_active, other.is_active) == (False, True)
    assert active.history.first().history_user == staff_user


def test_change_and_history_pages_render(admin_client):
    client = ClientCompanyFactory()
    ClientContactFactory(client=client)
    change = reverse("admin:clients_clientcompany_change", args=[client.pk])
    history = reverse("admin:clients_clientcompany_history", args=[client.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.get(history).status_code == 200


def test_delete_goes_through_the_service(admin_client):
    client = ClientCompanyFactory()
    ClientContactFactory(client=client)
    url = reverse("admin:clients_clientcompany_delete", args=[client.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not ClientCompany.objects.exists()
    assert not ClientContact.objects.exists()
