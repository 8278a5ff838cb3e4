"""Two allocations racing on the same invoice never exceed its open amount (PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from apps.invoices.models import PaymentAllocation
from apps.invoices.services.payments import AllocationRefused, payment_allocate, payment_record

from .factories import issued_invoice


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_allocations_racing_on_one_invoice(finance_user):
    import threading

    from django.db import connections

    invoice = issued_invoice(excl_tax="1000.00")  # 1 200.00 open
    payments = [
        payment_record(
            received_on=date(2026, 4, 1), amount="1000.00", payer_name=name, created_by=None
        )
        for name in ("A", "B")
    ]
    barrier = threading.Barrier(2, timeout=10)
    results, errors = [], []

    def worker(payment):
        try:
            barrier.wait()
            results.append(
                payment_allocate(
                    payment=payment, invoice=invoice, amount="1000.00", allocated_by=None
                )
            )
        except AllocationRefused as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(payment,)) for payment in payments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One wins (1 000.00), the other sees 200.00 open and is refused.
    assert (len(results), len(errors)) == (1, 1)
    assert "200.00 € open" in str(errors[0])
    total = sum(PaymentAllocation.objects.values_list("amount", flat=True), Decimal(0))
    assert total == Decimal("1000.00")
