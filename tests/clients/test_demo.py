import pytest
from stdnum.ch import uid
from stdnum.eu import vat
from stdnum.fr import siren, siret, tva

from apps.clients.demo import seed_clients
from apps.clients.models import ClientCompany, ClientContact

pytestmark = pytest.mark.django_db


def test_seed_clients_is_valid_and_idempotent():
    first = seed_clients(count=10)
    assert len(first) == 12
    assert ClientCompany.objects.count() == 12
    contacts = ClientContact.objects.count()

    again = seed_clients(count=10)
    assert [c.pk for c in again] == [c.pk for c in first]
    assert ClientCompany.objects.count() == 12
    assert ClientContact.objects.count() == contacts

    for client in first:
        client.full_clean()  # every rule of the model still holds
    french = [c for c in first if c.country == "FR"]
    assert len(french) == 10
    for client in french:
        # Checked with python-stdnum, independently of the demo's own Luhn/key code.
        assert siren.is_valid(client.siren)
        assert siret.is_valid(client.siret) and client.siret.startswith(client.siren)
        assert tva.is_valid(client.vat_number) and tva.to_siren(client.vat_number) == client.siren
        kinds = sorted(client.contacts.values_list("kind", flat=True))
        assert kinds == ["billing", "operational"]
        assert all(c.email for c in client.contacts.all())
    assert len({(c.payment_terms_kind, c.payment_terms_days) for c in french}) > 1

    german = ClientCompany.objects.get(country="DE")
    assert vat.is_valid(german.vat_number) and german.registration_id
    swiss = ClientCompany.objects.get(country="CH")
    assert uid.is_valid(swiss.registration_id)


def test_seed_clients_is_deterministic():
    sirens = [c.siren for c in seed_clients(count=3)][:3]
    ClientContact.objects.all().delete()
    ClientCompany.objects.all().delete()
    assert [c.siren for c in seed_clients(count=3)][:3] == sirens
    # A larger count extends the same sequence.
    assert [c.siren for c in seed_clients(count=5)][:3] == sirens
