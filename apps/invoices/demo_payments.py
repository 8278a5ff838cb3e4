"""Demo payments for `seed_demo` (called after seed_invoices): on the demo issued invoices,
one paid in full, one partially, one overpaid (the surplus stays an unallocated credit of the
client), so the payments list, the "unallocated credits" filter and the compte d'activité
have something to show. Idempotent: each demo payment is found again by its bank reference.
Everything goes through the services (ledger entries included)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.core.money import quantize_eur

from .models import Payment
from .selectors.payments import payment_open_invoices
from .services.payments import payment_allocate, payment_record

DEMO_FINANCE_EMAIL = "finance@demo.portage.test"
# (bank reference, share of the open amount paid, surplus)
SCENARIOS = [
    ("DEMO-VIR-FULL", Decimal("1"), Decimal("0.00")),
    ("DEMO-VIR-PARTIAL", Decimal("0.5"), Decimal("0.00")),
    ("DEMO-VIR-OVER", Decimal("1"), Decimal("150.00")),
]


def _finance_user():
    users = get_user_model().objects
    return (
        users.filter(email=DEMO_FINANCE_EMAIL).first()
        or users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    )


def seed_payments() -> list[Payment]:
    """Record and allocate the demo payments not recorded yet; returns the new payments."""
    user = _finance_user()
    today = timezone.localdate()
    done = set(
        Payment.objects.filter(
            bank_reference__in=[reference for reference, _share, _surplus in SCENARIOS]
        ).values_list("bank_reference", flat=True)
    )
    invoices = [
        invoice
        for invoice in payment_open_invoices(Payment(client=None))
        if not invoice.allocations.exists()
    ]
    invoices.sort(key=lambda invoice: invoice.number or "")
    created = []
    for reference, share, surplus in SCENARIOS:
        if reference in done or not invoices:
            continue
        invoice = invoices.pop(0)
        amount = quantize_eur(invoice.open_amount * share)
        received_on = min(today, invoice.issue_date + timedelta(days=25))
        with transaction.atomic():
            payment = payment_record(
                received_on=received_on,
                amount=amount + surplus,
                payer_name=invoice.client.legal_name,
                bank_reference=reference,
                client=invoice.client,
                created_by=user,
            )
            payment_allocate(
                payment=payment,
                invoice=invoice,
                amount=amount,
                allocated_by=user,
                allocated_on=today,
            )
        created.append(payment)
    return created
