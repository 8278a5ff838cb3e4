from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from apps.core.models import CompanyProfile

from .factories import ConsultantFactory


@pytest.fixture
def consultant(db):
    return ConsultantFactory()


@pytest.fixture
def consultant_with_user(make_user):
    """A consultant profile linked to a portal user with the consultant role."""
    user = make_user(Role.CONSULTANT, first_name="Claire", last_name="Porte")
    return ConsultantFactory(user=user, email=user.email)


@pytest.fixture
def company(db):
    # SIREN 732 829 320 / SIRET 732 829 320 00074 and FR44732829320 are the examples of
    # python-stdnum's documentation (stdnum.fr.siren, siret, tva).
    return CompanyProfile.objects.create(
        legal_name="Portage Demo SAS",
        siren="732829320",
        siret="73282932000074",
        vat_number="FR44732829320",
        rcs_city="Paris",
        address_line1="1 rue de Rivoli",
        postal_code="75001",
        city="Paris",
        email="contact@example.test",
        default_management_fee_rate=Decimal("6.50"),
        min_management_fee_rate=Decimal("3.00"),
        max_management_fee_rate=Decimal("15.00"),
    )


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests assert the English source messages; French is checked explicitly where it
    matters (API tests with Accept-Language: fr). The project's default language is French."""
    from django.utils import translation

    with translation.override("en"):
        yield
