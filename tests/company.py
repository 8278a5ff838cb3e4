"""The portage company's profile used by tests: complete, so every document mention exists."""

from decimal import Decimal

from apps.core.models import CompanyProfile


def make_company_profile(**overrides) -> CompanyProfile:
    # SIREN 732 829 320 / SIRET 732 829 320 00074 / FR44732829320: python-stdnum's
    # documented examples (stdnum.fr.siren, siret, tva).
    fields = {
        "legal_name": "Portage Exemple SAS",
        "siren": "732829320",
        "siret": "73282932000074",
        "vat_number": "FR44732829320",
        "rcs_city": "Paris",
        "address_line1": "1 rue de Rivoli",
        "postal_code": "75001",
        "city": "Paris",
        "email": "contact@example.test",
        "default_management_fee_rate": Decimal("7.00"),
        "financial_guarantor_name": "Banque Garante Exemple",
        "financial_guarantor_address": "2 place de la Bourse, 75002 Paris",
        "rc_insurer_name": "Assureur RC Exemple",
        "rc_insurer_address": "3 rue Halévy, 75009 Paris",
        "rc_policy_number": "RCP-000123",
        "pension_fund_name": "Caisse AGIRC-ARRCO Exemple",
        "pension_fund_address": "4 rue du Louvre, 75001 Paris",
        "provident_body_name": "Prévoyance Exemple",
        "provident_body_address": "5 rue Vivienne, 75002 Paris",
    }
    fields.update(overrides)
    return CompanyProfile.objects.create(**fields)
