"""Factories for consultants. Identifiers get their check digits from the published
algorithms (NIR key mod 97 from python-stdnum, RIB key, IBAN mod 97-10), so every generated
row is valid. Validation itself is tested with published examples, not these values."""

from datetime import date
from decimal import Decimal

import factory
from stdnum.fr import nir as stdnum_nir

from apps.consultants.demo import french_iban
from apps.consultants.models import Consultant

BIRTH_DATE = date(1985, 5, 12)


def _nir(n: int) -> str:
    # woman (2), born 05/1985, in Paris 15e (75115), order number n
    first13 = f"2850575115{n % 1000:03d}"
    return first13 + stdnum_nir.calc_check_digits(first13)


def _iban(n: int) -> str:
    return french_iban("30004", "00001", f"{n:011d}")


class ConsultantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultant

    civility = Consultant.Civility.MRS
    first_name = factory.Sequence(lambda n: f"Claire{n}")
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    birth_date = BIRTH_DATE
    birth_place = "Paris"
    birth_country = "FR"
    sex = Consultant.Sex.FEMALE
    nir = factory.Sequence(lambda n: _nir(n + 1))
    nationality = "FR"
    address_line1 = "12 rue de la République"
    postal_code = "69002"
    city = "Lyon"
    country = "FR"
    email = factory.Sequence(lambda n: f"claire{n}@example.test")
    phone = "+33 6 12 34 56 78"
    iban = factory.Sequence(lambda n: _iban(n + 1))
    bic = "BNPAFRPP"
    highest_diploma_level = Consultant.DiplomaLevel.LEVEL_7
    years_of_experience = Decimal("8")
    status_cadre = Consultant.StatusCadre.CADRE
    management_fee_rate = Decimal("7.00")
