"""Demo compte d'activité for `seed_demo`: deterministic, idempotent.

- every demo consultant gets an opening balance dated 1 January of the current year. Its
  source document is the consultant record itself ("balance carried over when the account
  started"), so the (source, kind) uniqueness makes a rerun a no-op and no author is needed;
- the first three demo consultants created (the portal demo account first) get a few staff
  adjustments: source-less, so they need an author, the first superuser (without one they
  are skipped). A rerun finds them by consultant and label and posts nothing.

Amounts come from a random generator seeded per consultant e-mail: adding consultants to the
demo never changes the amounts of the existing ones (which would be refused as a conflict).
Labels are data, written in French like the rest of the demo data set.
"""

import random
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.consultants.demo import DEMO_DOMAIN
from apps.consultants.models import Consultant

from .models import LedgerEntry, LedgerEntryKind
from .services import LedgerPosting, ledger_adjust, ledger_post_many

SEED = 20260101
OPENING_LABEL = "Solde repris à l'ouverture du compte d'activité"
ADJUSTMENTS = [
    # (month, amount, label)
    (2, Decimal("150.00"), "Régularisation des frais de gestion de l'exercice précédent"),
    (3, Decimal("-48.90"), "Frais bancaires de virement international refacturés"),
]


def _opening_amount(consultant: Consultant) -> Decimal:
    rng = random.Random(f"{SEED}-{consultant.email}")
    # between 500.00 and 15,000.00 €, to the cent
    return Decimal(rng.randrange(50_000, 1_500_001)) / 100


@transaction.atomic
def seed_ledger(*, today: date | None = None) -> int:
    """Post the demo entries that are missing; returns how many were created."""
    today = today or timezone.localdate()
    consultants = list(Consultant.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("pk"))
    if not consultants:
        return 0
    before = LedgerEntry.objects.count()
    opening_date = date(today.year, 1, 1)
    ledger_post_many(
        entries=[
            LedgerPosting(
                consultant=consultant,
                kind=LedgerEntryKind.OPENING_BALANCE,
                amount=_opening_amount(consultant),
                entry_date=opening_date,
                label=OPENING_LABEL,
                source=consultant,
            )
            for consultant in consultants
        ]
    )

    author = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if author is not None:
        targets = consultants[:3]
        existing = set(
            LedgerEntry.objects.filter(
                consultant__in=targets, kind=LedgerEntryKind.ADJUSTMENT
            ).values_list("consultant_id", "label")
        )
        for consultant in targets:
            for month, amount, label in ADJUSTMENTS:
                if (consultant.pk, label) in existing:
                    continue
                ledger_adjust(
                    consultant=consultant,
                    amount=amount,
                    label=label,
                    entry_date=min(date(today.year, month, 15), today),
                    created_by=author,
                )
    return LedgerEntry.objects.count() - before
