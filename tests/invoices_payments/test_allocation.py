"""payment_record / payment_allocate: amounts, refusals, ledger postings (hand-calculated)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.invoices.models import Invoice, InvoiceStatus, PaymentAllocation
from apps.invoices.services import payments as payment_services
from apps.invoices.services.payments import (
    AllocationRefused,
    payment_allocate,
    payment_allocate_many,
    payment_allocation_post_ledger,
    payment_record,
    payment_unallocated_amount,
)
from apps.invoices.services.settlement import invoice_open_amount
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

from .factories import credit_note, issued_invoice

pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 4, 1)


def _payment(amount, user, **kwargs):
    return payment_record(
        received_on=RECEIVED, amount=amount, payer_name="Client SAS", created_by=user, **kwargs
    )


def _entries(invoice):
    return {
        entry.kind: entry.amount
        for entry in LedgerEntry.objects.filter(consultant=invoice.consultant)
    }


# --- payment_record -----------------------------------------------------------------------
def test_record_validates_amount_date_and_payer(finance_user):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        payment_record(received_on=tomorrow, amount="0", payer_name=" ", created_by=finance_user)
    assert error.value.message_dict == {
        "amount": ["The amount must be greater than zero."],
        "received_on": ["A payment cannot be received in the future."],
        "payer_name": ["Give the name of the payer."],
    }
    with pytest.raises(ValidationError, match="more than 2 decimal places"):
        _payment("10.005", finance_user)
    with pytest.raises(ValidationError, match="not a float"):
        _payment(10.5, finance_user)


def test_record_keeps_the_amount_to_the_cent(finance_user):
    payment = _payment("1200.5", finance_user)
    assert payment.amount == Decimal("1200.50")
    assert payment_unallocated_amount(payment) == Decimal("1200.50")


# --- allocation ---------------------------------------------------------------------------
def test_partial_allocation_posts_turnover_and_fee_by_hand(finance_user):
    # 10 000 HT + 20 % VAT = 12 000 TTC; 6 000 received → HT share 6 000 × 10 000 / 12 000
    # = 5 000.00; fee 7 % (the consultant's default rate) → 350.00.
    invoice = issued_invoice(excl_tax="10000.00")
    payment = _payment("6000.00", finance_user)
    allocation = payment_allocate(
        payment=payment, invoice=invoice, amount="6000.00", allocated_by=finance_user
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTIALLY_PAID
    assert invoice_open_amount(invoice) == Decimal("6000.00")
    assert _entries(invoice) == {
        LedgerEntryKind.TURNOVER_COLLECTED: Decimal("5000.00"),
        LedgerEntryKind.MANAGEMENT_FEE: Decimal("-350.00"),
    }
    entries = LedgerEntry.objects.filter(consultant=invoice.consultant)
    assert {entry.source for entry in entries} == {allocation}
    assert {entry.entry_date for entry in entries} == {timezone.localdate()}
    label = entries.get(kind=LedgerEntryKind.TURNOVER_COLLECTED).label
    assert label == f"Payment received for {invoice.number} ({invoice.client.legal_name})"


def test_instalments_add_up_to_the_exact_total_excl_tax(finance_user):
    # 1 000.00 HT + 200.00 VAT = 1 200.00, paid 3 × 400.00. Per instalment 400 × 5/6 =
    # 333.333…: cumulative shares round(333.33), round(666.67) − 333.33 = 333.34,
    # 1 000.00 − 666.67 = 333.33 → total exactly 1 000.00. Fee 7 %: 23.33, 46.67 − 23.33 =
    # 23.34, 70.00 − 46.67 = 23.33 → 70.00 = 7 % of 1 000.00.
    invoice = issued_invoice(excl_tax="1000.00")
    payment = _payment("1200.00", finance_user)
    for _ in range(3):
        payment_allocate(
            payment=payment, invoice=invoice, amount="400.00", allocated_by=finance_user
        )
    turnover = LedgerEntry.objects.filter(kind=LedgerEntryKind.TURNOVER_COLLECTED).order_by("pk")
    fees = LedgerEntry.objects.filter(kind=LedgerEntryKind.MANAGEMENT_FEE).order_by("pk")
    assert [e.amount for e in turnover] == [
        Decimal("333.33"),
        Decimal("333.34"),
        Decimal("333.33"),
    ]
    assert [e.amount for e in fees] == [Decimal("-23.33"), Decimal("-23.34"), Decimal("-23.33")]
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_zero_vat_invoice_turnover_is_the_whole_amount(finance_user):
    # Export: 0 % VAT, 2 500.00 TTC = HT; fee 8 % of 2 500.00 = 200.00.
    consultant = ConsultantFactory(management_fee_rate=Decimal("8.00"))
    invoice = issued_invoice(excl_tax="2500.00", vat_rate="0", consultant=consultant)
    payment = _payment("2500.00", finance_user)
    payment_allocate(payment=payment, invoice=invoice, amount="2500.00", allocated_by=finance_user)
    assert _entries(invoice) == {
        LedgerEntryKind.TURNOVER_COLLECTED: Decimal("2500.00"),
        LedgerEntryKind.MANAGEMENT_FEE: Decimal("-200.00"),
    }


def test_overpayment_leaves_an_unallocated_credit(finance_user):
    invoice = issued_invoice(excl_tax="1000.00")  # 1 200.00 TTC
    payment = _payment("1500.00", finance_user)
    payment_allocate(payment=payment, invoice=invoice, amount="1200.00", allocated_by=finance_user)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert payment_unallocated_amount(payment) == Decimal("300.00")
    payment.refresh_from_db()
    assert payment.client_id == invoice.client_id  # identified by the allocation


def test_beyond_the_open_amount_is_refused_and_nothing_is_written(finance_user):
    invoice = issued_invoice(excl_tax="1000.00")  # 1 200.00 TTC
    payment = _payment("1500.00", finance_user)
    with pytest.raises(AllocationRefused) as error:
        payment_allocate(
            payment=payment, invoice=invoice, amount="1500.00", allocated_by=finance_user
        )
    assert str(error.value) == (
        f"The payment exceeds what is left to pay on {invoice.number}: 1,200.00 € open,"
        " 1,500.00 € asked."
    )
    assert not PaymentAllocation.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_the_message_is_in_french_with_french_amounts(finance_user):
    from django.utils import translation

    invoice = issued_invoice(excl_tax="1000.00")
    payment = _payment("1500.00", finance_user)
    with translation.override("fr"), pytest.raises(AllocationRefused) as error:
        payment_allocate(
            payment=payment, invoice=invoice, amount="1500.00", allocated_by=finance_user
        )
    # French separators: narrow no-break or no-break space for thousands, decimal comma.
    message = str(error.value).replace("\u202f", " ").replace("\u00a0", " ")
    assert "1 200,00" in message and "1 500,00" in message


def test_beyond_the_payment_is_refused(finance_user):
    invoice = issued_invoice(excl_tax="1000.00")
    payment = _payment("500.00", finance_user)
    with pytest.raises(AllocationRefused, match="only 500.00 € left to allocate"):
        payment_allocate(
            payment=payment, invoice=invoice, amount="600.00", allocated_by=finance_user
        )


def test_credit_notes_reduce_the_open_amount(finance_user):
    invoice = issued_invoice(excl_tax="1000.00")  # 1 200.00 TTC
    credit_note(invoice=invoice, excl_tax="500.00")  # 600.00 TTC credited
    payment = _payment("1000.00", finance_user)
    with pytest.raises(AllocationRefused, match="600.00 € open"):
        payment_allocate(
            payment=payment, invoice=invoice, amount="700.00", allocated_by=finance_user
        )


@pytest.mark.parametrize("case", ["draft", "credit_note", "paid"])
def test_invoices_that_cannot_receive_money(finance_user, case):
    invoice = issued_invoice(excl_tax="100.00")
    if case == "draft":
        # Back to a draft behind the model's frozen-field guard, as a corrupt row would be.
        Invoice.objects.filter(pk=invoice.pk).update(
            status=InvoiceStatus.DRAFT, number=None, sequence_number=None
        )
        invoice.refresh_from_db()
        expected = "is a draft"
    elif case == "credit_note":
        invoice = credit_note(invoice=invoice, excl_tax="10.00")
        expected = "is a credit note"
    else:
        invoice.status = InvoiceStatus.PAID
        invoice.save()
        expected = "is paid: nothing is left to pay"
    payment = _payment("10.00", finance_user)
    with pytest.raises(AllocationRefused, match=expected):
        payment_allocate(
            payment=payment, invoice=invoice, amount="10.00", allocated_by=finance_user
        )


def test_several_invoices_in_one_transaction(finance_user):
    client = ClientCompanyFactory()
    first = issued_invoice(excl_tax="1000.00", client=client)  # 1 200.00
    second = issued_invoice(excl_tax="500.00", client=client)  # 600.00
    payment = _payment("1800.00", finance_user)
    payment_allocate_many(
        payment=payment,
        allocations=[(first, "1200.00"), (second, "600.00")],
        allocated_by=finance_user,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (InvoiceStatus.PAID, InvoiceStatus.PAID)
    assert payment_unallocated_amount(payment) == Decimal("0.00")
    # 1 000.00 + 500.00 collected; fees 70.00 + 35.00 (7 %)
    assert LedgerEntry.objects.filter(kind=LedgerEntryKind.TURNOVER_COLLECTED).count() == 2


def test_several_invoices_all_or_nothing(finance_user):
    first = issued_invoice(excl_tax="1000.00")
    second = issued_invoice(excl_tax="500.00")  # 600.00 open
    payment = _payment("2000.00", finance_user)
    with pytest.raises(AllocationRefused):
        payment_allocate_many(
            payment=payment,
            allocations=[(first, "1200.00"), (second, "700.00")],
            allocated_by=finance_user,
        )
    assert not PaymentAllocation.objects.exists()
    assert not LedgerEntry.objects.exists()
    first.refresh_from_db()
    assert first.status == InvoiceStatus.ISSUED


def test_ledger_failure_leaves_no_allocation(finance_user, monkeypatch):
    invoice = issued_invoice(excl_tax="1000.00")
    payment = _payment("1200.00", finance_user)

    def broken(**kwargs):
        raise RuntimeError("ledger down")

    monkeypatch.setattr(payment_services, "ledger_post_many", broken)
    with pytest.raises(RuntimeError):
        payment_allocate(
            payment=payment, invoice=invoice, amount="1200.00", allocated_by=finance_user
        )
    assert not PaymentAllocation.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED


def test_a_retried_posting_never_posts_twice(finance_user):
    invoice = issued_invoice(excl_tax="10000.00")
    payment = _payment("6000.00", finance_user)
    allocation = payment_allocate(
        payment=payment, invoice=invoice, amount="6000.00", allocated_by=finance_user
    )
    again = payment_allocation_post_ledger(allocation=allocation)
    assert [entry.amount for entry in again] == [Decimal("5000.00"), Decimal("-350.00")]
    assert LedgerEntry.objects.count() == 2


def test_fee_rate_of_the_employment_contract_in_force(finance_user):
    from apps.employment_contracts.models import EmploymentContract
    from tests.employment_contracts.factories import cdi_create

    consultant = ConsultantFactory(management_fee_rate=Decimal("7.00"))
    # Service period of the invoice: February 2026 (issued 2 March 2026).
    invoice = issued_invoice(excl_tax="1000.00", consultant=consultant)
    contract = cdi_create(
        consultant=consultant, start_date=date(2026, 1, 1), management_fee_rate=Decimal("9.00")
    )
    # A draft contract is not in force: the consultant's default rate applies.
    assert payment_services.consultant_fee_rate(invoice) == Decimal("7.00")
    EmploymentContract.objects.filter(pk=contract.pk).update(status="active")
    assert payment_services.consultant_fee_rate(invoice) == Decimal("9.00")
    payment = _payment("1200.00", finance_user)
    payment_allocate(payment=payment, invoice=invoice, amount="1200.00", allocated_by=finance_user)
    # 1 200.00 TTC → 1 000.00 HT; fee 9 % = 90.00
    assert _entries(invoice)[LedgerEntryKind.MANAGEMENT_FEE] == Decimal("-90.00")


def _invoice_with_rebilled_expense(consultant):
    """1 000.00 HT of services + 100.00 HT of expenses rebilled at cost = 1 100.00 HT,
    1 320.00 TTC (20 %)."""
    from apps.invoices.models import InvoiceLine
    from tests.activity.factories import expense_claim, expense_line

    invoice = issued_invoice(excl_tax="1100.00", consultant=consultant)
    claim = expense_claim(consultant)
    spent = expense_line(claim, amount="120.00", vat="20.00")
    common = {"invoice": invoice, "quantity": Decimal("1"), "vat_rate": Decimal("20.00")}
    InvoiceLine.objects.create(
        position=1,
        description="Prestation",
        unit="day",
        unit_price_excl_tax=Decimal("1000.00"),
        total_excl_tax=Decimal("1000.00"),
        **common,
    )
    InvoiceLine.objects.create(
        position=2,
        description="Frais refacturés",
        unit="unit",
        unit_price_excl_tax=Decimal("100.00"),
        total_excl_tax=Decimal("100.00"),
        expense_line=spent,
        **common,
    )
    return invoice


def test_rebilled_expenses_bear_no_management_fee(finance_user):
    # Turnover collected: the whole 1 100.00 HT; fee 7 % of the services only: 70.00
    # (not 77.00). Paid in two halves of 660.00: HT shares 550.00 + 550.00; fee base
    # 550 × 1 000 / 1 100 = 500 → 35.00, then 70.00 − 35.00 = 35.00.
    consultant = ConsultantFactory(management_fee_rate=Decimal("7.00"))
    invoice = _invoice_with_rebilled_expense(consultant)
    payment = _payment("1320.00", finance_user)
    for _ in range(2):
        payment_allocate(
            payment=payment, invoice=invoice, amount="660.00", allocated_by=finance_user
        )
    turnover = LedgerEntry.objects.filter(kind=LedgerEntryKind.TURNOVER_COLLECTED)
    fees = LedgerEntry.objects.filter(kind=LedgerEntryKind.MANAGEMENT_FEE).order_by("pk")
    assert sum(e.amount for e in turnover) == Decimal("1100.00")
    assert [e.amount for e in fees] == [Decimal("-35.00"), Decimal("-35.00")]


def test_fee_on_rebilled_expenses_when_the_company_says_so(finance_user, settings):
    settings.MANAGEMENT_FEE_ON_REBILLED_EXPENSES = True
    consultant = ConsultantFactory(management_fee_rate=Decimal("7.00"))
    invoice = _invoice_with_rebilled_expense(consultant)
    payment = _payment("1320.00", finance_user)
    payment_allocate(payment=payment, invoice=invoice, amount="1320.00", allocated_by=finance_user)
    assert _entries(invoice)[LedgerEntryKind.MANAGEMENT_FEE] == Decimal("-77.00")  # 7 % × 1 100
