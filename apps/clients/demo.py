"""Demo client companies: fictitious French companies with valid-looking identifiers.

Deterministic (random.Random(seed)) and idempotent (a client is looked up by its SIREN and
created only when missing), so `seed_clients()` can run on every `make demo`.
The SIRENs are generated with a valid Luhn key: they may collide with real companies'
numbers, which is harmless for a demo but is why the names are obviously fictitious.
"""

import random
import unicodedata

from stdnum import luhn

from .identifiers import french_vat_for_siren, normalize_registration_id
from .models import ClientCompany, ContactKind, LegalForm
from .rules import PaymentTermsKind
from .services import client_create

NAME_FIRST = [
    "Atelier",
    "Groupe",
    "Société",
    "Compagnie",
    "Laboratoires",
    "Ateliers",
    "Manufacture",
    "Bureau",
]
NAME_SECOND = [
    "Lumière",
    "Vauban",
    "Colbert",
    "Rivoli",
    "Marceau",
    "Cévennes",
    "Garonne",
    "Iroise",
    "Quercy",
    "Morvan",
    "Vercors",
    "Armor",
]
NAME_ACTIVITY = [
    "Ingénierie",
    "Conseil",
    "Logistique",
    "Numérique",
    "Énergies",
    "Industrie",
    "Santé",
    "Finance",
]
# (street, postal code, city, phone area code): real streets of real cities.
ADDRESSES = [
    ("rue de la République", "69002", "Lyon", "4"),
    ("boulevard Haussmann", "75009", "Paris", "1"),
    ("cours de l'Intendance", "33000", "Bordeaux", "5"),
    ("rue Sainte-Catherine", "33000", "Bordeaux", "5"),
    ("allées Jean Jaurès", "31000", "Toulouse", "5"),
    ("rue Nationale", "59000", "Lille", "3"),
    ("quai de la Fosse", "44000", "Nantes", "2"),
    ("avenue Jean Médecin", "06000", "Nice", "4"),
    ("rue de Siam", "29200", "Brest", "2"),
    ("place Kléber", "67000", "Strasbourg", "3"),
    ("rue de la Liberté", "21000", "Dijon", "3"),
    ("avenue Félix Faure", "75015", "Paris", "1"),
    ("rue d'Alsace-Lorraine", "31000", "Toulouse", "5"),
    ("la Canebière", "13001", "Marseille", "4"),
]
FIRST_NAMES = ["Claire", "Julien", "Nadia", "Thomas", "Élodie", "Karim", "Sophie", "Marc"]
LAST_NAMES = ["Martin", "Bernard", "Durand", "Lefèvre", "Moreau", "Garnier", "Roux", "Fabre"]
LEGAL_FORMS = [LegalForm.SAS, LegalForm.SARL, LegalForm.SA, LegalForm.SASU, LegalForm.EURL]
PAYMENT_TERMS = [
    (PaymentTermsKind.NET, 30),
    (PaymentTermsKind.NET, 45),
    (PaymentTermsKind.NET, 60),
    (PaymentTermsKind.END_OF_MONTH, 30),
    (PaymentTermsKind.END_OF_MONTH, 45),
]

# Foreign examples. DE136695976 is python-stdnum's documented valid German VAT number;
# CHE-100.155.212 its documented valid Swiss UID.
FOREIGN_CLIENTS = [
    {
        "legal_name": "Nordlicht Systemtechnik GmbH",
        "legal_form": LegalForm.FOREIGN_COMPANY,
        "country": "DE",
        "vat_number": "DE136695976",
        "registration_id": "München HRB 12345",
        "billing_address_line1": "Leopoldstraße 120",
        "billing_postal_code": "80802",
        "billing_city": "München",
        "billing_country": "DE",
        "payment_terms_kind": PaymentTermsKind.NET,
        "payment_terms_days": 30,
        "document_language": "en",
    },
    {
        "legal_name": "Alpenblick Beratung AG",
        "legal_form": LegalForm.FOREIGN_COMPANY,
        "country": "CH",
        "registration_id": "CHE-100.155.212",
        "billing_address_line1": "Bahnhofstrasse 45",
        "billing_postal_code": "8001",
        "billing_city": "Zürich",
        "billing_country": "CH",
        "payment_terms_kind": PaymentTermsKind.NET,
        "payment_terms_days": 45,
        "document_language": "en",
    },
]


def _ascii(text: str) -> str:
    """ "Élodie Lefèvre" -> "elodielefevre": for e-mail addresses and domains."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in ".-"))


def _with_luhn(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


def _french_client(rng: random.Random, used_names: set[str]) -> tuple[dict, list[dict]]:
    siren = _with_luhn(str(rng.randint(10_000_000, 99_999_999)))
    siret = _with_luhn(siren + f"{rng.randint(1, 999):04d}")
    name = ""
    while not name or name in used_names:
        name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)} {rng.choice(NAME_ACTIVITY)}"
    used_names.add(name)
    street, postal_code, city, area = rng.choice(ADDRESSES)
    kind, days = rng.choice(PAYMENT_TERMS)
    domain = _ascii(name.replace(" ", "-")) + ".example"
    fields = {
        "legal_name": name,
        "legal_form": rng.choice(LEGAL_FORMS),
        "country": "FR",
        "siren": siren,
        "siret": siret,
        "vat_number": french_vat_for_siren(siren),
        "billing_address_line1": f"{rng.randint(1, 180)} {street}",
        "billing_postal_code": postal_code,
        "billing_city": city,
        "billing_country": "FR",
        "payment_terms_kind": kind,
        "payment_terms_days": days,
    }
    contacts = []
    people: set[tuple[str, str]] = set()
    for contact_kind, title in (
        (ContactKind.BILLING, "Comptable fournisseurs"),
        (ContactKind.OPERATIONAL, "Directeur de projet"),
    ):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        while (first, last) in people:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.add((first, last))
        local = _ascii(f"{first}.{last}")
        contacts.append(
            {
                "kind": contact_kind,
                "first_name": first,
                "last_name": last,
                "job_title": title,
                "email": f"{local}@{domain}",
                "phone": f"+33 {area} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                "is_primary": True,
            }
        )
    return fields, contacts


def _get_or_create(lookup: dict, fields: dict, contacts: list[dict]) -> ClientCompany:
    existing = ClientCompany.objects.filter(**lookup).first()
    return existing or client_create(contacts=contacts, **fields)


def seed_clients(count: int = 10, *, seed: int = 2026) -> list[ClientCompany]:
    """`count` French clients plus one German (EU) and one Swiss (non-EU) client."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    clients = []
    used_names: set[str] = set()
    for _index in range(count):
        fields, contacts = _french_client(rng, used_names)
        clients.append(_get_or_create({"siren": fields["siren"]}, fields, contacts))
    for fields in FOREIGN_CLIENTS:
        contacts = [
            {
                "kind": ContactKind.BILLING,
                "first_name": "Anna",
                "last_name": "Keller",
                "job_title": "Accounts payable",
                "email": f"invoices@{fields['legal_name'].split()[0].lower()}.example",
            }
        ]
        registration_id = normalize_registration_id(fields["registration_id"], fields["country"])
        lookup = {"country": fields["country"], "registration_id": registration_id}
        clients.append(_get_or_create(lookup, fields, contacts))
    return clients
