"""Factories for client companies and contacts.

Identifiers: the check digits come from python-stdnum (luhn.calc_check_digit) and the
French VAT key from stdnum's fr.siren.to_tva, not from the code under test.
"""

import factory
from stdnum import luhn
from stdnum.fr import siren as stdnum_siren

from apps.clients.models import ClientCompany, ClientContact, ContactKind, LegalForm


def _siren(n: int) -> str:
    digits = f"{50_000_000 + n:08d}"
    return digits + luhn.calc_check_digit(digits)


def _siret(siren: str) -> str:
    digits = siren + "0001"
    return digits + luhn.calc_check_digit(digits)


class ClientCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientCompany
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Client {n} SAS")
    legal_form = LegalForm.SAS
    country = "FR"
    siren = factory.Sequence(_siren)
    siret = factory.LazyAttribute(lambda o: _siret(o.siren))
    vat_number = factory.LazyAttribute(lambda o: "FR" + stdnum_siren.to_tva(o.siren))
    billing_address_line1 = "10 rue de la Paix"
    billing_postal_code = "75002"
    billing_city = "Paris"
    billing_country = "FR"


class ClientContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientContact

    client = factory.SubFactory(ClientCompanyFactory)
    kind = ContactKind.BILLING
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")
    is_primary = False


def client_fields(**overrides) -> dict:
    """Valid keyword arguments for client_create (a French SAS).

    732 829 320 / 732 829 320 00074 / FR44 732 829 320: python-stdnum's documented examples
    (fr.siret docstring: validate('73282932000074'), to_tva('732 829 320 00074') = '44 ...').
    """
    fields = {
        "legal_name": "Exemple Industrie SA",
        "legal_form": LegalForm.SA,
        "country": "FR",
        "siren": "732829320",
        "siret": "73282932000074",
        "vat_number": "FR44732829320",
        "billing_address_line1": "23 place des Carmes-Déchaux",
        "billing_postal_code": "63000",
        "billing_city": "Clermont-Ferrand",
        "billing_country": "FR",
    }
    fields.update(overrides)
    return fields


def german_fields(**overrides) -> dict:
    """DE136695976 and 'Aachen HRA 11223': python-stdnum's documented valid examples."""
    fields = {
        "legal_name": "Beispiel GmbH",
        "legal_form": LegalForm.FOREIGN_COMPANY,
        "country": "DE",
        "vat_number": "DE136695976",
        "registration_id": "Aachen HRA 11223",
        "billing_address_line1": "Theaterstraße 1",
        "billing_postal_code": "52062",
        "billing_city": "Aachen",
        "billing_country": "DE",
    }
    fields.update(overrides)
    return fields


def swiss_fields(**overrides) -> dict:
    """CHE-100.155.212: python-stdnum's documented valid Swiss UID."""
    fields = {
        "legal_name": "Beispiel AG",
        "legal_form": LegalForm.FOREIGN_COMPANY,
        "country": "CH",
        "registration_id": "CHE-100.155.212",
        "billing_address_line1": "Bahnhofstrasse 1",
        "billing_postal_code": "8001",
        "billing_city": "Zürich",
        "billing_country": "CH",
    }
    fields.update(overrides)
    return fields
