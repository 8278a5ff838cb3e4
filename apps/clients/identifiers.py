"""Cross-field rules on a client's identifiers (SIREN, SIRET, VAT, foreign registration).

PR-01 (portage-rules.md, Code du travail L1254-1): a client is a company, never a private
person, so every client carries a company identifier: the SIREN in France, a registration
number abroad. VAT rules follow directive 2006/112/EC (intra-EU B2B) and CGI 242 nonies A.
"""

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ch import uid as stdnum_ch_uid
from stdnum.de import handelsregisternummer as stdnum_de_hr
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from stdnum.util import get_cc_module

from apps.core.validators import french_vat_matches_siren, validate_vat

from .countries import FRANCE, is_eu, vat_prefix

# Registration numbers we can check: {country: (stdnum module, message when invalid)}.
REGISTRATION_VALIDATORS = {
    "CH": (
        stdnum_ch_uid,
        _("This is not a valid Swiss company number (UID, format CHE-123.456.789)."),
    ),
    "DE": (
        stdnum_de_hr,
        _(
            "This is not a valid Handelsregister number: give the court, the register and"
            " the number, e.g. “München HRB 12345”."
        ),
    ),
}


def french_vat_key(siren: str) -> str:
    """The 2-digit key of the French VAT number FR + key + SIREN."""
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def french_vat_for_siren(siren: str) -> str:
    return f"FR{french_vat_key(siren)}{siren}"


def normalize_registration_id(value: str | None, country: str | None) -> str:
    """Swiss UIDs are stored compact (CHE100155212); a Handelsregister number keeps its
    court name (stdnum's canonical form); other numbers are kept as typed, trimmed."""
    value = " ".join((value or "").split())
    if not value:
        return ""
    country = (country or "").strip().upper()
    if country == "CH":
        return stdnum_ch_uid.compact(value)
    if country == "DE" and stdnum_de_hr.is_valid(value):
        return stdnum_de_hr.compact(value)
    return value


def _other_country_vat_error(vat_number: str, country: str) -> ValidationError | None:
    """Outside the EU a VAT number is optional; check it when stdnum knows the country."""
    module = get_cc_module(country.lower(), "vat")
    if module is None:
        return None
    try:
        module.validate(vat_number)
    except StdnumError:
        return ValidationError(
            _("This VAT number is not valid for a company registered in %(country)s."),
            code="invalid_vat",
            params={"country": country},
        )
    return None


def _legal_form_errors(client) -> Iterator[tuple[str, object]]:
    from .models import FRENCH_ONLY_LEGAL_FORMS, LegalForm

    if not client.legal_form or not client.country:
        return
    if client.country == FRANCE and client.legal_form == LegalForm.FOREIGN_COMPANY:
        yield "legal_form", _("A company registered in France cannot be a “foreign company”.")
    elif client.country != FRANCE and client.legal_form in FRENCH_ONLY_LEGAL_FORMS:
        yield (
            "legal_form",
            _("This legal form exists only in France: choose “foreign company”."),
        )


def _french_errors(client) -> Iterator[tuple[str, object]]:
    if not client.siren:
        yield (
            "siren",
            ValidationError(
                _("A company registered in France must have a SIREN."), code="required"
            ),
        )
    if client.registration_id:
        yield (
            "registration_id",
            _("Leave this empty for a company registered in France: its SIREN identifies it."),
        )
    if (
        client.vat_number
        and stdnum_siren.is_valid(client.siren)
        and not french_vat_matches_siren(client.vat_number, client.siren)
    ):
        yield (
            "vat_number",
            ValidationError(
                _(
                    "This VAT number does not match the SIREN %(siren)s: the French VAT"
                    " number of this company is %(expected)s (key %(key)s)."
                ),
                code="vat_siren_mismatch",
                params={
                    "siren": client.siren,
                    "expected": french_vat_for_siren(client.siren),
                    "key": french_vat_key(client.siren),
                },
            ),
        )


def _foreign_errors(client) -> Iterator[tuple[str, object]]:
    country = client.country
    if not client.registration_id:
        yield (
            "registration_id",
            ValidationError(
                _(
                    "A company registered outside France must have its company registration"
                    " number: a private person cannot be a client."
                ),
                code="required",
            ),
        )
    elif country in REGISTRATION_VALIDATORS:
        module, message = REGISTRATION_VALIDATORS[country]
        if not module.is_valid(client.registration_id):
            yield "registration_id", ValidationError(message, code="invalid")

    if is_eu(country):
        prefix = vat_prefix(country)
        if not client.vat_number:
            yield (
                "vat_number",
                ValidationError(
                    _("A company registered in another EU member state must have a VAT number."),
                    code="required",
                ),
            )
        elif not client.vat_number.startswith(prefix):
            yield (
                "vat_number",
                ValidationError(
                    _(
                        "The VAT number of a company registered in %(country)s starts"
                        " with %(prefix)s."
                    ),
                    code="vat_country_mismatch",
                    params={"country": country, "prefix": prefix},
                ),
            )
        else:
            try:
                validate_vat(client.vat_number)
            except ValidationError as error:
                yield "vat_number", error
    elif client.vat_number:
        error = _other_country_vat_error(client.vat_number, country)
        if error:
            yield "vat_number", error


def company_identifier_errors(client) -> Iterator[tuple[str, object]]:
    """(field, message) pairs for a ClientCompany whose identifiers are already compact.

    Values that failed their own field validator (bad SIREN checksum...) are not checked
    again here, so each problem is reported once.
    """
    yield from _legal_form_errors(client)
    if client.country == FRANCE:
        yield from _french_errors(client)
    elif client.country:
        yield from _foreign_errors(client)
    if client.siret and stdnum_siret.is_valid(client.siret):
        if not client.siren and client.country != FRANCE:
            yield "siren", _("Enter the SIREN of the company: its SIRET starts with it.")
        elif stdnum_siren.is_valid(client.siren) and not client.siret.startswith(client.siren):
            yield (
                "siret",
                ValidationError(
                    _("The SIRET must start with the SIREN %(siren)s."),
                    code="siret_siren_mismatch",
                    params={"siren": client.siren},
                ),
            )
