"""SIREN / SIRET / VAT / foreign registration rules, through client_create (full_clean).

Valid and invalid numbers come from python-stdnum's documentation (the examples in the
docstrings of stdnum.fr.siren, fr.siret, fr.tva, de.vat, gr.vat, ch.uid, ch.vat,
de.handelsregisternummer), not from the code under test.
"""

import pytest
from django.core.exceptions import ValidationError

from apps.clients.identifiers import french_vat_for_siren, french_vat_key
from apps.clients.models import ClientCompany, LegalForm
from apps.clients.services import client_create

from .factories import client_fields, german_fields, swiss_fields

pytestmark = pytest.mark.django_db


def errors_of(**fields) -> dict:
    with pytest.raises(ValidationError) as caught:
        client_create(**fields)
    assert ClientCompany.objects.count() == 0
    return caught.value.message_dict


def codes_of(**fields) -> dict:
    with pytest.raises(ValidationError) as caught:
        client_create(**fields)
    return {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}


def test_valid_french_client_is_stored_compact():
    client = client_create(
        **client_fields(
            siren="732 829 320", siret="732 829 320 00074", vat_number="fr 44 732 829 320"
        )
    )
    client.refresh_from_db()
    assert (client.siren, client.siret, client.vat_number) == (
        "732829320",
        "73282932000074",
        "FR44732829320",
    )
    assert client.siren_display == "732 829 320"


@pytest.mark.parametrize(
    ("siren", "vat"),
    [
        ("732829320", "44732829320"),  # stdnum fr.siret.to_tva example
        ("303265045", "40303265045"),  # stdnum fr.tva example "Fr 40 303 265 045"
        ("334175221", "23334175221"),  # stdnum fr.tva example
        ("443121975", "46443121975"),  # stdnum fr.siren.to_tva example
    ],
)
def test_french_vat_key_matches_published_examples(siren, vat):
    assert french_vat_key(siren) == vat[:2]
    assert french_vat_for_siren(siren) == "FR" + vat


def test_siren_with_wrong_check_digit_is_refused():
    # stdnum fr.siren: 404833048 valid, 404833047 invalid checksum.
    assert client_create(**client_fields(siren="404833048", siret="", vat_number=""))
    ClientCompany.objects.all().delete()
    assert codes_of(**client_fields(siren="404833047", siret="", vat_number=""))["siren"] == [
        "invalid_checksum"
    ]


def test_siren_of_wrong_length_is_refused():
    codes = codes_of(**client_fields(siren="73282932", siret="", vat_number=""))
    assert codes["siren"] == ["invalid_length"]


def test_siret_with_wrong_check_digit_is_refused():
    # stdnum fr.siret: 73282932000079 is the documented invalid checksum.
    codes = codes_of(**client_fields(siret="73282932000079"))
    assert codes["siret"] == ["invalid_checksum"]


def test_siret_of_another_siren_is_refused():
    errors = errors_of(**client_fields(siren="404833048", vat_number=""))
    assert errors["siret"] == ["The SIRET must start with the SIREN 404833048."]


def test_french_vat_of_another_company_is_refused_with_the_expected_number():
    # FR40303265045 is a valid VAT number, but of SIREN 303 265 045, not 732 829 320.
    errors = errors_of(**client_fields(vat_number="FR40303265045"))
    assert errors["vat_number"] == [
        "This VAT number does not match the SIREN 732829320: the French VAT number of this"
        " company is FR44732829320 (key 44)."
    ]


def test_french_vat_is_optional():
    assert client_create(**client_fields(vat_number="")).vat_number == ""


def test_french_client_without_siren_is_refused():
    errors = errors_of(**client_fields(siren="", siret="", vat_number=""))
    assert errors["siren"] == ["A company registered in France must have a SIREN."]


def test_french_client_takes_no_foreign_registration_number():
    assert "registration_id" in errors_of(**client_fields(registration_id="HRB 1"))


def test_german_client_with_valid_vat_and_handelsregister():
    client = client_create(**german_fields(vat_number="DE 136,695 976"))
    assert client.vat_number == "DE136695976"
    assert client.siren == ""
    assert client.registration_id == "Aachen HRA 11223"


def test_foreign_eu_client_with_invalid_vat_is_refused():
    # stdnum de.vat: 136695978 fails the check digit.
    codes = codes_of(**german_fields(vat_number="DE136695978"))
    assert codes["vat_number"] == ["invalid_checksum"]


def test_foreign_eu_client_without_vat_is_refused():
    errors = errors_of(**german_fields(vat_number=""))
    assert errors["vat_number"] == [
        "A company registered in another EU member state must have a VAT number."
    ]


def test_foreign_eu_vat_must_be_of_the_client_country():
    errors = errors_of(**german_fields(vat_number="FR40303265045"))
    assert errors["vat_number"] == ["The VAT number of a company registered in DE starts with DE."]


def test_greek_vat_uses_the_el_prefix():
    # stdnum gr.vat: "EL 094259216" is valid.
    greek = {"country": "GR", "billing_country": "GR", "registration_id": "GEMI 1234"}
    client = client_create(**german_fields(vat_number="EL 094259216", **greek))
    assert client.vat_number == "EL094259216"
    ClientCompany.objects.all().delete()
    errors = errors_of(**german_fields(vat_number="GR094259216", **greek))
    assert errors["vat_number"] == ["The VAT number of a company registered in GR starts with EL."]


def test_foreign_client_without_registration_number_is_refused():
    errors = errors_of(**german_fields(registration_id=""))
    assert errors["registration_id"] == [
        "A company registered outside France must have its company registration number:"
        " a private person cannot be a client."
    ]
    assert "registration_id" in errors_of(**swiss_fields(registration_id=""))


def test_invalid_handelsregister_number_is_refused():
    # stdnum de.handelsregisternummer: "Aachen HRC 44123" is invalid (no HRC register).
    assert "registration_id" in errors_of(**german_fields(registration_id="Aachen HRC 44123"))


def test_swiss_client_needs_a_valid_uid_and_no_vat():
    client = client_create(**swiss_fields())
    assert client.registration_id == "CHE100155212"
    assert client.vat_number == ""
    ClientCompany.objects.all().delete()
    # stdnum ch.uid: CHE-100.155.213 has a wrong check digit.
    errors = errors_of(**swiss_fields(registration_id="CHE-100.155.213"))
    assert "registration_id" in errors


def test_non_eu_vat_is_checked_when_given():
    # stdnum ch.vat: CHE-107.787.577 IVA valid, CHE-107.787.578 IVA invalid.
    assert client_create(**swiss_fields(vat_number="CHE-107.787.577 IVA")).vat_number
    ClientCompany.objects.all().delete()
    errors = errors_of(**swiss_fields(vat_number="CHE-107.787.578 IVA"))
    assert errors["vat_number"] == ["This VAT number is not valid for a company registered in CH."]


def test_no_individual_legal_form_exists():
    assert not {"individual", "ei", "micro"} & set(LegalForm.values)


def test_legal_form_must_fit_the_country():
    errors = errors_of(**client_fields(legal_form=LegalForm.FOREIGN_COMPANY))
    assert "legal_form" in errors
    errors = errors_of(**german_fields(legal_form=LegalForm.SARL))
    assert "legal_form" in errors


def test_country_must_be_an_iso_code():
    assert "country" in errors_of(**german_fields(country="XX"))


def test_site_address_is_all_or_nothing():
    errors = errors_of(**client_fields(delivery_city="Lyon"))
    assert {"delivery_address_line1", "delivery_postal_code", "delivery_country"} <= set(errors)
    client = client_create(
        **client_fields(
            delivery_address_line1="1 quai Perrache",
            delivery_postal_code="69002",
            delivery_city="Lyon",
            delivery_country="fr",
        )
    )
    assert client.delivery_country == "FR"


def test_french_postal_code_has_five_digits():
    assert "billing_postal_code" in errors_of(**client_fields(billing_postal_code="6300"))
