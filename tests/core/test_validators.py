"""Identifier validation with examples published by the standards' owners, not our own output."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.validators import (
    compact_identifier,
    french_vat_matches_siren,
    validate_bic,
    validate_iban,
    validate_nir,
    validate_siren,
    validate_siret,
    validate_vat,
)


@pytest.mark.parametrize("value", ["732829320", "552100554"])  # INSEE / stdnum examples
def test_valid_siren(value):
    assert validate_siren(value) == value


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("732829321", "invalid_checksum"),
        ("73282932", "invalid_length"),
        ("73282932A", "invalid_format"),
    ],
)
def test_invalid_siren(value, code):
    with pytest.raises(ValidationError) as error:
        validate_siren(value)
    assert error.value.code == code


def test_siret():
    assert validate_siret("73282932000074")
    with pytest.raises(ValidationError):
        validate_siret("73282932000075")


@pytest.mark.parametrize("value", ["FR40303265045", "DE136695976", "BE0403019261"])
def test_valid_eu_vat(value):
    assert validate_vat(value) == value


def test_invalid_vat():
    with pytest.raises(ValidationError):
        validate_vat("FR41303265045")


def test_french_vat_key_must_match_siren():
    assert french_vat_matches_siren("FR 40 303 265 045", "303265045")
    assert not french_vat_matches_siren("FR40303265045", "732829320")
    assert not french_vat_matches_siren("DE136695976", "303265045")


def test_nir_example_from_the_standard():
    # Example NIR used by python-stdnum's documentation (INSEE format, key 38).
    assert validate_nir("295109912611193")
    with pytest.raises(ValidationError):
        validate_nir("295109912611194")


def test_iban_and_bic():
    # IBAN example of the European Committee for Banking Standards for France.
    assert validate_iban("FR1420041010050500013M02606")
    with pytest.raises(ValidationError):
        validate_iban("FR1420041010050500013M02607")
    assert validate_bic("BNPAFRPP")
    with pytest.raises(ValidationError):
        validate_bic("BNP")


def test_compact_identifier():
    assert compact_identifier(" fr 40-303.265 045 ") == "FR40303265045"
    assert compact_identifier(None) == ""


def test_messages_are_translated():
    with pytest.raises(ValidationError) as error:
        validate_siren("732829321")
    with translation.override("fr"):
        french = " ".join(error.value.messages)
    with translation.override("en"):
        english = " ".join(error.value.messages)
    assert english == "SIREN: the check digits are wrong."
    assert french.startswith("SIREN") and "contrôle" in french
