from decimal import Decimal

import pytest

from apps.invoices.demo_payments import seed_payments
from apps.invoices.models import InvoiceStatus, Payment
from apps.invoices.services.payments import payment_unallocated_amount

from .factories import issued_invoice

pytestmark = pytest.mark.django_db


def test_seed_payments_full_partial_over_and_idempotent(finance_user):
    first = issued_invoice(excl_tax="1000.00", number=201)  # 1 200.00
    second = issued_invoice(excl_tax="500.00", number=202)  # 600.00
    third = issued_invoice(excl_tax="100.00", number=203)  # 120.00
    created = seed_payments()
    assert [p.bank_reference for p in created] == [
        "DEMO-VIR-FULL",
        "DEMO-VIR-PARTIAL",
        "DEMO-VIR-OVER",
    ]
    for invoice in (first, second, third):
        invoice.refresh_from_db()
    assert (first.status, second.status, third.status) == (
        InvoiceStatus.PAID,
        InvoiceStatus.PARTIALLY_PAID,
        InvoiceStatus.PAID,
    )
    # 600.00 × 0.5 = 300.00 paid on the second; 120.00 + 150.00 received on the third
    assert created[1].amount == Decimal("300.00")
    assert payment_unallocated_amount(created[2]) == Decimal("150.00")
    assert seed_payments() == []
    assert Payment.objects.count() == 3
