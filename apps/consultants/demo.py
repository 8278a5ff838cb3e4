"""Demo consultants for `seed_demo`: deterministic, idempotent, valid identifiers.

Every identifier is computed with the official check-digit algorithms (NIR key, RIB key,
IBAN ISO 7064 mod 97-10 via python-stdnum) so the demo data passes the same validation as
real data. Running the seed twice creates nothing new (get-or-create by e-mail).
"""

import random
import unicodedata
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from stdnum import iban as stdnum_iban
from stdnum.fr import nir as stdnum_nir

from apps.accounts.roles import Role
from apps.accounts.services import user_create

from . import services
from .models import Consultant
from .rules import management_fee_bounds

DEMO_DOMAIN = "demo.portage.test"
DEMO_PORTAL_EMAIL = f"consultant@{DEMO_DOMAIN}"
SEED = 20260101

FIRST_NAMES = [
    ("Camille", "F"), ("Julie", "F"), ("Sophie", "F"), ("Claire", "F"), ("Nathalie", "F"),
    ("Isabelle", "F"), ("Aurélie", "F"), ("Émilie", "F"), ("Céline", "F"), ("Hélène", "F"),
    ("Thomas", "M"), ("Nicolas", "M"), ("Julien", "M"), ("Pierre", "M"), ("Antoine", "M"),
    ("François", "M"), ("Sébastien", "M"), ("Laurent", "M"), ("Mathieu", "M"), ("Olivier", "M"),
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Durand", "Lefèvre", "Moreau", "Laurent", "Simon",
    "Michel", "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
    "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier",
]  # fmt: skip
# (city, postal code, INSEE commune code used in the NIR for people born there)
CITIES = [
    ("Paris", "75015", "75115"), ("Lyon", "69003", "69383"), ("Marseille", "13008", "13208"),
    ("Toulouse", "31000", "31555"), ("Nantes", "44000", "44109"),
    ("Bordeaux", "33000", "33063"), ("Lille", "59000", "59350"), ("Rennes", "35000", "35238"),
    ("Strasbourg", "67000", "67482"), ("Montpellier", "34000", "34172"),
    ("Grenoble", "38000", "38185"), ("Nice", "06000", "06088"),
]  # fmt: skip
STREETS = [
    "rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo", "rue Pasteur",
    "rue du Général de Gaulle", "place de la Mairie", "rue des Lilas", "avenue Foch",
    "rue Nationale", "quai Saint-Pierre",
]  # fmt: skip
# (bank code of the RIB, BIC) of French banks
BANKS = [
    ("30004", "BNPAFRPP"), ("30003", "SOGEFRPP"), ("30002", "CRLYFRPP"),
    ("20041", "PSSTFRPPPAR"), ("30066", "CMCIFRPP"), ("10278", "CMCIFR2A"),
    ("40618", "BOUSFRPPXXX"), ("18206", "AGRIFRPP882"),
]  # fmt: skip
FEE_RATES = ["5.00", "6.00", "6.50", "7.00", "8.00"]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def rib_key(bank: str, branch: str, account: str) -> str:
    """French RIB key: 97 - ((89 x bank + 15 x branch + 3 x account) mod 97), digits only."""
    return f"{97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97):02d}"


def french_iban(bank: str, branch: str, account: str) -> str:
    bban = f"{bank}{branch}{account}{rib_key(bank, branch, account)}"
    return f"FR{stdnum_iban.calc_check_digits('FR00' + bban)}{bban}"


def nir_for(*, sex: str, birth_date: date, insee_code: str, order: int) -> str:
    first13 = f"{1 if sex == 'M' else 2}{birth_date:%y}{birth_date:%m}{insee_code}{order:03d}"
    return first13 + stdnum_nir.calc_check_digits(first13)


def _fee_rate(rng: random.Random) -> Decimal:
    bounds = management_fee_bounds()
    rate = Decimal(rng.choice(FEE_RATES))
    return min(max(rate, bounds["min"]), bounds["max"])


def _eligibility(rng: random.Random, *, want_eligible: bool) -> dict:
    if want_eligible:
        level = rng.choice([5, 6, 7, 7, 7, 8, 4, 3])
        years = rng.randint(0, 20) if level >= 5 else rng.randint(3, 15)
        evidence = "Diplôme et certificats de travail vérifiés."
        return {
            "highest_diploma_level": level,
            "years_of_experience": Decimal(years),
            "eligibility_evidence": evidence,
        }
    return {"highest_diploma_level": 4, "years_of_experience": Decimal("1.5")}


def consultant_demo_fields(index: int, *, email: str | None = None, eligible: bool = True) -> dict:
    """The fields of demo consultant number `index`: same index, same person."""
    rng = random.Random(SEED + index)  # noqa: S311 - demo data, not security
    first_name, sex = rng.choice(FIRST_NAMES)
    last_name = rng.choice(LAST_NAMES)
    birth_date = date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
    birth_city, _postal, insee_code = rng.choice(CITIES)
    city, postal_code, _insee = rng.choice(CITIES)
    bank_code, bic = rng.choice(BANKS)
    branch = f"{rng.randint(1, 99999):05d}"
    account = f"{rng.randint(1, 10**11 - 1):011d}"
    return {
        "civility": Consultant.Civility.MR if sex == "M" else Consultant.Civility.MRS,
        "first_name": first_name,
        "last_name": last_name,
        "birth_date": birth_date,
        "birth_place": birth_city,
        "birth_country": "FR",
        "sex": sex,
        "nir": nir_for(
            sex=sex, birth_date=birth_date, insee_code=insee_code, order=rng.randint(1, 999)
        ),
        "nationality": "FR",
        "address_line1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        "postal_code": postal_code,
        "city": city,
        "country": "FR",
        "email": email or f"{_ascii(first_name)}.{_ascii(last_name)}.{index:03d}@{DEMO_DOMAIN}",
        "phone": f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        "iban": french_iban(bank_code, branch, account),
        "bic": bic,
        "status_cadre": (
            Consultant.StatusCadre.NON_CADRE if index % 5 == 4 else Consultant.StatusCadre.CADRE
        ),
        "management_fee_rate": _fee_rate(rng),
        **_eligibility(rng, want_eligible=eligible),
    }


def _target_status(index: int, count: int) -> str:
    if count >= 3 and index == count - 1:
        return Consultant.Status.LEFT
    if index % 6 == 3:
        return Consultant.Status.PROSPECT
    return Consultant.Status.ACTIVE


def _is_ineligible_prospect(index: int, count: int) -> bool:
    # Every other prospect lacks the qualification: the demo shows the PR-06 refusal.
    return _target_status(index, count) == Consultant.Status.PROSPECT and index % 12 == 9


def _portal_user(consultant: Consultant, password: str):
    User = get_user_model()
    user = User.objects.filter(email__iexact=consultant.email).first()
    if user is None:
        user = user_create(
            email=consultant.email,
            role=Role.CONSULTANT,
            first_name=consultant.first_name,
            last_name=consultant.last_name,
            password=password,
        )
    if consultant.user_id is None:
        services.consultant_attach_user(consultant=consultant, user=user)
    return user


@transaction.atomic
def seed_consultants(count: int = 20, consultant_password: str | None = None) -> list[Consultant]:
    """Create (or find) `count` demo consultants; number 0 is the portal demo account."""
    consultants = []
    for index in range(count):
        email = DEMO_PORTAL_EMAIL if index == 0 else None
        eligible = not _is_ineligible_prospect(index, count)
        fields = consultant_demo_fields(index, email=email, eligible=eligible)
        consultant = Consultant.objects.filter(email__iexact=fields["email"]).first()
        if consultant is None:
            consultant = services.consultant_create(**fields)
            target = _target_status(index, count)
            if target != Consultant.Status.PROSPECT:
                consultant = services.consultant_activate(consultant=consultant)
            if target == Consultant.Status.LEFT:
                consultant = services.consultant_mark_left(
                    consultant=consultant, left_on=consultant.activated_on
                )
        if index == 0 and consultant_password:
            _portal_user(consultant, consultant_password)
            consultant.refresh_from_db()
        consultants.append(consultant)
    return consultants
