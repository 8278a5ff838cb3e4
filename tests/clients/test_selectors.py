import pytest

from apps.clients.models import ContactKind
from apps.clients.selectors import (
    client_contacts_for_user,
    client_count,
    client_get,
    client_primary_contact,
    clients_for_user,
)
from apps.core.errors import NotFound

from .factories import ClientCompanyFactory, ClientContactFactory

pytestmark = pytest.mark.django_db


def test_back_office_sees_every_client_consultants_none(
    staff_user, finance_user, consultant_role_user
):
    client = ClientCompanyFactory()
    ClientContactFactory(client=client)
    assert list(clients_for_user(staff_user)) == [client]
    assert list(clients_for_user(finance_user)) == [client]
    assert list(clients_for_user(consultant_role_user)) == []
    assert list(client_contacts_for_user(consultant_role_user)) == []
    assert client_contacts_for_user(finance_user).count() == 1


def test_client_count_counts_active_clients():
    ClientCompanyFactory()
    ClientCompanyFactory(is_active=False)
    assert client_count() == 1


def test_client_get(django_assert_num_queries):
    client = ClientCompanyFactory()
    ClientContactFactory(client=client, is_primary=True)
    ClientContactFactory(client=client, kind=ContactKind.OPERATIONAL)
    with django_assert_num_queries(2):  # the client, then its contacts
        found = client_get(client.pk)
        assert client_primary_contact(client=found, kind=ContactKind.BILLING) is not None
        assert client_primary_contact(client=found, kind=ContactKind.OPERATIONAL) is None
    with pytest.raises(NotFound):
        client_get(client.pk + 1)
