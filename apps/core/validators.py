"""Validators for French and European identifiers, built on python-stdnum.

Each returns the compact (normalised) form or raises a ValidationError whose message names
the identifier, in the user's language. Services normalise with `normalize_*` before saving.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_eu_vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as stdnum_nir
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def _check(validate: Callable[[str], str], value: str, label) -> str:
    try:
        return validate(value)
    except InvalidLength:
        message, code = _("%(label)s: wrong number of characters."), "invalid_length"
    except InvalidChecksum:
        message, code = _("%(label)s: the check digits are wrong."), "invalid_checksum"
    except InvalidFormat:
        message, code = _("%(label)s: invalid characters or format."), "invalid_format"
    except InvalidComponent:
        message, code = _("%(label)s: a part of the number is invalid."), "invalid_component"
    except StdnumError:
        message, code = _("%(label)s is not valid."), "invalid"
    raise ValidationError(message, code=code, params={"label": label})


def validate_siren(value: str) -> str:
    return _check(stdnum_siren.validate, value, _("SIREN"))


def validate_siret(value: str) -> str:
    return _check(stdnum_siret.validate, value, _("SIRET"))


def validate_vat(value: str) -> str:
    """Any EU VAT number (FR, DE, ...), checked with the country's own algorithm."""
    return _check(stdnum_eu_vat.validate, value, _("VAT number"))


def validate_nir(value: str) -> str:
    return _check(stdnum_nir.validate, value, _("Social security number (NIR)"))


def validate_iban(value: str) -> str:
    return _check(stdnum_iban.validate, value, _("IBAN"))


def validate_bic(value: str) -> str:
    return _check(stdnum_bic.validate, value, _("BIC"))


def compact_identifier(value: str | None) -> str:
    """Strip spaces, dots and dashes and upper-case: how identifiers are stored."""
    if not value:
        return ""
    return "".join(ch for ch in str(value) if ch not in " .-/").upper()


def french_vat_matches_siren(vat_number: str, siren: str) -> bool:
    """A French VAT number is FR + 2-digit key + SIREN; the key is derived from the SIREN."""
    from stdnum.fr import tva

    vat_number = compact_identifier(vat_number)
    if not vat_number.startswith("FR"):
        return False
    try:
        return tva.to_siren(vat_number) == siren and tva.is_valid(vat_number)
    except StdnumError:
        return False


def nir_matches_birth(nir: str, birth_date, sex: str | None = None) -> bool:
    """The NIR encodes the birth year (digits 2-3) and month (4-5) and the sex (1st digit).

    Month codes 20-42 and 50-99 exist for people registered without a known month, and
    99 for an unknown month: we accept them rather than refuse a real person.
    """
    nir = compact_identifier(nir)
    if len(nir) < 5 or birth_date is None:
        return True
    if nir[1:3] != f"{birth_date.year % 100:02d}":
        return False
    month = nir[3:5]
    if month.isdigit() and 1 <= int(month) <= 12 and int(month) != birth_date.month:
        return False
    return not (sex in ("1", "2") and nir[0] in "12" and nir[0] != sex)
