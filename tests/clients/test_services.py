"""Services: one transaction per write, duplicates, contacts, history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.clients.models import ClientCompany, ClientContact, ContactKind
from apps.clients.services import (
    client_create,
    client_deactivate,
    client_delete,
    client_update,
    contact_add,
    contact_remove,
    contact_update,
)

from .factories import ClientCompanyFactory, ClientContactFactory, client_fields, german_fields

pytestmark = pytest.mark.django_db

BILLING = {"kind": ContactKind.BILLING, "last_name": "Martin", "email": "compta@client.example"}
OPERATIONAL = {"kind": ContactKind.OPERATIONAL, "last_name": "Durand", "phone": "+33 1 23"}


def test_client_create_with_contacts(staff_user):
    client = client_create(
        created_by=staff_user, contacts=[BILLING, OPERATIONAL], **client_fields()
    )
    contacts = list(client.contacts.order_by("kind"))
    assert [(c.kind, c.is_primary) for c in contacts] == [
        ("billing", True),  # the first contact of a kind becomes primary
        ("operational", True),
    ]


def test_duplicate_siren_is_refused_naming_the_existing_client():
    existing = client_create(**client_fields(legal_name="Première SA"))
    with pytest.raises(ValidationError) as caught:
        client_create(**client_fields(legal_name="Seconde SA", siret="", vat_number=""))
    assert caught.value.message_dict["siren"] == [
        f"SIREN 732829320 is already used by the client “Première SA (#{existing.pk})”."
    ]
    assert list(ClientCompany.objects.values_list("legal_name", flat=True)) == ["Première SA"]


def test_duplicate_siret_is_refused_naming_the_existing_client():
    existing = client_create(**client_fields(legal_name="Première SA"))
    with pytest.raises(ValidationError) as caught:
        client_create(**client_fields(legal_name="Seconde SA"))
    assert caught.value.message_dict["siret"] == [
        f"SIRET 73282932000074 is already used by the client “Première SA (#{existing.pk})”."
    ]
    assert ClientCompany.objects.count() == 1


def test_update_to_another_clients_siren_is_refused():
    first = client_create(**client_fields(legal_name="Première SA"))
    second = client_create(**german_fields())
    with pytest.raises(ValidationError) as caught:
        client_update(client=second, siren=first.siren)
    assert "Première SA" in caught.value.message_dict["siren"][0]
    second.refresh_from_db()
    assert second.siren == ""


def test_the_database_also_refuses_duplicates():
    ClientCompanyFactory(siren="732829320", siret="", vat_number="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientCompanyFactory(siren="732829320", siret="", vat_number="")


@pytest.mark.parametrize(
    ("contact", "error_key"),
    [
        ({"kind": "billing", "last_name": "Martin", "email": "not-an-email"}, "contacts.1.email"),
        ({"kind": "billing", "last_name": "Martin"}, "contacts.1.email"),  # billing needs one
        ({"kind": "billing", "last_name": ""}, "contacts.1.last_name"),
        ({"kind": "boss", "last_name": "Martin", "email": "a@b.example"}, "contacts.1.kind"),
    ],
)
def test_client_with_an_invalid_contact_saves_nothing(contact, error_key):
    with pytest.raises(ValidationError) as caught:
        client_create(contacts=[OPERATIONAL, contact], **client_fields())
    assert error_key in caught.value.message_dict
    assert not ClientCompany.objects.exists()
    assert not ClientContact.objects.exists()


def test_two_primary_contacts_of_a_kind_in_one_create_are_refused():
    with pytest.raises(ValidationError) as caught:
        client_create(
            contacts=[{**BILLING, "is_primary": True}, {**BILLING, "is_primary": True}],
            **client_fields(),
        )
    assert caught.value.message_dict["contacts.1.is_primary"] == [
        "Only one contact of each kind can be primary."
    ]
    assert not ClientCompany.objects.exists()


def test_update_validates_and_keeps_other_fields(staff_user):
    client = client_create(**client_fields(notes="keep me"))
    with pytest.raises(ValidationError):
        client_update(client=client, payment_terms_days=61)
    client.refresh_from_db()
    assert client.payment_terms_days == 30
    updated = client_update(client=client, updated_by=staff_user, billing_city="Riom")
    assert (updated.billing_city, updated.notes) == ("Riom", "keep me")
    assert updated.history.first().history_user == staff_user


def test_unknown_field_is_a_programming_error():
    with pytest.raises(TypeError, match="colour"):
        client_create(colour="blue", **client_fields())


def test_history_records_the_user(staff_user, finance_user):
    client = client_create(created_by=staff_user, contacts=[BILLING], **client_fields())
    created = client.history.get()
    assert (created.history_type, created.history_user) == ("+", staff_user)
    assert client.contacts.get().history.get().history_user == staff_user

    client_deactivate(client=client, deactivated_by=finance_user)
    latest = client.history.first()
    assert (latest.history_type, latest.history_user, latest.is_active) == (
        "~",
        finance_user,
        False,
    )


def test_deactivate_is_idempotent(staff_user):
    client = client_create(**client_fields())
    client_deactivate(client=client, deactivated_by=staff_user)
    client_deactivate(client=client, deactivated_by=staff_user)
    client.refresh_from_db()
    assert client.is_active is False
    assert client.history.count() == 2


def test_delete_removes_the_client_and_its_contacts_with_history(staff_user):
    client = client_create(contacts=[BILLING], **client_fields())
    pk = client.pk
    client_delete(client=client, deleted_by=staff_user)
    assert not ClientCompany.objects.filter(pk=pk).exists()
    assert not ClientContact.objects.exists()
    deleted = ClientCompany.history.filter(id=pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", staff_user)
    contact_deleted = ClientContact.history.filter(history_type="-").get()
    assert contact_deleted.history_user == staff_user


def test_contact_add_makes_the_new_primary_and_demotes_the_old(staff_user):
    client = ClientCompanyFactory()
    first = contact_add(client=client, added_by=staff_user, **BILLING)
    assert first.is_primary  # first of its kind
    second = contact_add(client=client, **{**BILLING, "last_name": "Bis"})
    assert second.is_primary is False
    third = contact_add(client=client, **{**BILLING, "last_name": "Ter", "is_primary": True})
    first.refresh_from_db()
    assert (first.is_primary, third.is_primary) == (False, True)
    assert first.history.first().history_user is None  # demoted by an anonymous call


def test_contact_update_and_remove(staff_user):
    client = ClientCompanyFactory()
    primary = ClientContactFactory(client=client, is_primary=True)
    other = ClientContactFactory(client=client)
    contact_update(contact=other, updated_by=staff_user, is_primary=True, job_title="DAF")
    primary.refresh_from_db()
    other.refresh_from_db()
    assert (primary.is_primary, other.is_primary, other.job_title) == (False, True, "DAF")
    with pytest.raises(ValidationError) as caught:
        contact_update(contact=other, email="")
    assert "email" in caught.value.message_dict
    contact_remove(contact=other, removed_by=staff_user)
    assert list(client.contacts.all()) == [primary]


def test_the_database_refuses_two_primaries_of_a_kind():
    client = ClientCompanyFactory()
    ClientContactFactory(client=client, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientContactFactory(client=client, is_primary=True)
