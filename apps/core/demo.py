"""Demo data for the company itself (used by `seed_demo`)."""

from decimal import Decimal

from stdnum import luhn

from .models import CompanyProfile


def valid_siren(prefix8: str) -> str:
    """A SIREN is 8 digits plus a Luhn check digit."""
    return prefix8 + luhn.calc_check_digit(prefix8)


def valid_siret(siren: str, nic4: str) -> str:
    """A SIRET is the SIREN, a 4-digit establishment number and a Luhn check digit."""
    body = siren + nic4
    return body + luhn.calc_check_digit(body)


def french_vat(siren: str) -> str:
    """FR + a 2-digit key computed from the SIREN: (12 + 3 × (SIREN mod 97)) mod 97."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def seed_company_profile() -> CompanyProfile:
    existing = CompanyProfile.objects.order_by("pk").first()
    if existing:
        return existing
    siren = valid_siren("91234567")
    profile = CompanyProfile(
        legal_name="Portage Conseil Demo",
        legal_form="SAS",
        share_capital=Decimal("50000.00"),
        siren=siren,
        siret=valid_siret(siren, "0001"),
        vat_number=french_vat(siren),
        rcs_city="Lyon",
        naf_code="7830Z",
        address_line1="12 rue de la République",
        postal_code="69002",
        city="Lyon",
        email="contact@demo.portage.test",
        phone="+33 4 78 00 00 00",
        website="https://portage.example",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        headcount=20,
    )
    profile.full_clean()
    profile.save()
    return profile
