"""Demo data for the company itself (used by `seed_demo`)."""

from datetime import date
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
        financial_guarantor_name="Caisse de Garantie Demo (caution bancaire)",
        financial_guarantor_address="8 place Bellecour, 69002 Lyon",
        rc_insurer_name="Mutuelle Assurances Pro Demo",
        rc_insurer_address="20 cours Lafayette, 69003 Lyon",
        rc_policy_number="RCP-2026-004512",
        pension_fund_name="Caisse de retraite complémentaire Demo (AGIRC-ARRCO)",
        pension_fund_address="16-18 rue Jules César, 75012 Paris",
        provident_body_name="Institution de prévoyance Demo",
        provident_body_address="5 rue de la Paix, 75002 Paris",
        administrative_declaration_date=date(2024, 9, 2),
        administrative_declaration_reference="DREETS-ARA-2024-0173",
    )
    profile.full_clean()
    profile.save()
    return profile
