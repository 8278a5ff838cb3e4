"""Identifier validation on the consultant record, with published example numbers.

NIR: 2 55 08 14 168 025 38 and 2 95 10 99 126 111 93 are the examples of the INSEE number
in python-stdnum's documentation (stdnum.fr.nir). IBAN: FR14 2004 1010 0505 0001 3M02 606
is the French example of the ECBS IBAN registry (also on Wikipedia). BIC: BNPAFRPP
(BNP Paribas) and AGRIFRPP882 (Crédit Agricole) are published SWIFT codes.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.consultants.models import Consultant

from .factories import ConsultantFactory

pytestmark = pytest.mark.django_db

NIR_EXAMPLE = "2 55 08 14 168 025 38"
NIR_EXAMPLE_BIRTH = date(1955, 8, 14)
IBAN_EXAMPLE = "FR14 2004 1010 0505 0001 3M02 606"


def build(**kwargs) -> Consultant:
    return ConsultantFactory.build(**kwargs)


def errors_of(consultant: Consultant) -> dict:
    with pytest.raises(ValidationError) as info:
        consultant.full_clean()
    return info.value.message_dict


def test_published_nir_is_accepted_and_stored_compact():
    consultant = build(nir=NIR_EXAMPLE, birth_date=NIR_EXAMPLE_BIRTH, sex="")
    consultant.full_clean()
    assert consultant.nir == "255081416802538"
    assert consultant.sex == Consultant.Sex.FEMALE  # derived from the first digit


def test_nir_born_abroad_example_is_accepted():
    consultant = build(nir="2 95 10 99 126 111 93", birth_date=date(1995, 10, 3))
    consultant.full_clean()
    assert consultant.nir == "295109912611193"


@pytest.mark.parametrize(
    ("nir", "expected"),
    [
        ("2 55 08 14 168 025 39", "check digits are wrong"),  # key 38 changed to 39
        ("2 55 08 14 168 025", "wrong number of characters"),  # 13 characters
        ("2 55 08 14 168 025 3X", "invalid characters"),
    ],
)
def test_invalid_nir_is_refused_with_a_message_naming_it(nir, expected):
    errors = errors_of(build(nir=nir, birth_date=NIR_EXAMPLE_BIRTH))
    assert "nir" in errors
    assert "Social security number (NIR)" in errors["nir"][0]
    assert expected in errors["nir"][0]


def test_nir_inconsistent_with_birth_year_is_refused():
    errors = errors_of(build(nir=NIR_EXAMPLE, birth_date=date(1956, 8, 14)))
    assert errors["nir"] == [
        "The social security number does not match the birth date: it encodes year 55 and month 08."
    ]


def test_nir_inconsistent_with_birth_month_is_refused():
    errors = errors_of(build(nir=NIR_EXAMPLE, birth_date=date(1955, 9, 14)))
    assert "nir" in errors


def test_sex_inconsistent_with_nir_first_digit_is_refused():
    errors = errors_of(build(nir=NIR_EXAMPLE, birth_date=NIR_EXAMPLE_BIRTH, sex="M"))
    assert errors["sex"] == ["The sex does not match the social security number (first digit 2)."]


def test_published_iban_is_accepted_and_stored_compact():
    consultant = build(iban=IBAN_EXAMPLE, bic="AGRIFRPP882")
    consultant.full_clean()
    assert consultant.iban == "FR1420041010050500013M02606"


def test_iban_with_one_digit_changed_is_refused():
    errors = errors_of(build(iban="FR14 2004 1010 0505 0001 3M02 607"))
    assert errors["iban"] == ["IBAN: the check digits are wrong."]


def test_iban_requires_a_bic():
    errors = errors_of(build(iban=IBAN_EXAMPLE, bic=""))
    assert errors["bic"] == ["The BIC is required with the IBAN."]


@pytest.mark.parametrize("bic", ["BNPAFRPP", "AGRIFRPP882", "bnpa frpp"])
def test_published_bics_are_accepted(bic):
    consultant = build(bic=bic)
    consultant.full_clean()
    assert consultant.bic == bic.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("bic", "expected"),
    [("BNPAFRP", "wrong number of characters"), ("BNPAXXPP", "a part of the number")],
)
def test_invalid_bics_are_refused(bic, expected):
    errors = errors_of(build(bic=bic))
    assert expected in errors["bic"][0]


def test_email_is_stored_lower_case():
    consultant = build(email="  Claire.Durand@Example.TEST ")
    consultant.full_clean()
    assert consultant.email == "claire.durand@example.test"


def test_country_codes_must_be_iso_alpha2():
    errors = errors_of(build(nationality="FRA"))
    assert "nationality" in errors


def test_birth_date_in_the_future_is_refused():
    errors = errors_of(build(birth_date=date(2999, 1, 1)))
    assert "birth_date" in errors


class TestManagementFee:
    def test_default_without_company_profile_is_seven_percent(self):
        assert Consultant().management_fee_rate == Decimal("7.00")

    def test_default_comes_from_the_company_profile(self, company):
        assert Consultant().management_fee_rate == Decimal("6.50")

    @pytest.mark.parametrize("rate", ["2.99", "15.01"])
    def test_rate_outside_company_bounds_is_refused(self, company, rate):
        errors = errors_of(build(management_fee_rate=Decimal(rate)))
        assert errors["management_fee_rate"] == [
            "The management fee must lie between 3.00 % and 15.00 %."
        ]

    @pytest.mark.parametrize("rate", ["3.00", "15.00"])
    def test_rate_on_the_bounds_is_accepted(self, company, rate):
        build(management_fee_rate=Decimal(rate)).full_clean()

    def test_without_profile_bounds_are_0_to_100(self):
        build(management_fee_rate=Decimal("0")).full_clean()
        errors = errors_of(build(management_fee_rate=Decimal("100.01")))
        assert "management_fee_rate" in errors
