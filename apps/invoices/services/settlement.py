"""What is still owed on an issued invoice, and the payment status that follows from it.

open amount = total incl. VAT − issued credit notes − payments allocated. Called by the credit
note service and the allocation service inside their transactions, after they lock the
invoice, so the status never disagrees with the money.
"""

from decimal import Decimal

from django.db.models import Sum

from apps.core.money import quantize_eur

from ..models import DocumentKind, Invoice, InvoiceStatus

ZERO = Decimal("0.00")
# Statuses the settlement may move between; drafts and credit notes never change here.
_SETTLED_STATUSES = {
    InvoiceStatus.ISSUED,
    InvoiceStatus.SENT,
    InvoiceStatus.PARTIALLY_PAID,
    InvoiceStatus.PAID,
    InvoiceStatus.CANCELLED,
}


def invoice_credited_amount(invoice: Invoice) -> Decimal:
    """Sum of the issued credit notes of this invoice (incl. VAT)."""
    total = (
        Invoice.objects.filter(credited_invoice=invoice, kind=DocumentKind.CREDIT_NOTE)
        .exclude(status=InvoiceStatus.DRAFT)
        .aggregate(total=Sum("total_incl_tax"))["total"]
    )
    return quantize_eur(total or ZERO)


def invoice_paid_amount(invoice: Invoice) -> Decimal:
    """Sum of the payment allocations to this invoice."""
    total = invoice.allocations.aggregate(total=Sum("amount"))["total"]
    return quantize_eur(total or ZERO)


def invoice_open_amount(invoice: Invoice) -> Decimal:
    """What the client still owes on the invoice (never below zero)."""
    if invoice.kind != DocumentKind.INVOICE or invoice.status == InvoiceStatus.DRAFT:
        return ZERO
    owed = invoice.total_incl_tax - invoice_credited_amount(invoice) - invoice_paid_amount(invoice)
    return max(quantize_eur(owed), ZERO)


def invoice_settlement_refresh(*, invoice: Invoice) -> Invoice:
    """Set the status from the money: paid, partially paid, cancelled (fully credited, nothing
    paid) or back to issued/sent. The caller holds the invoice's row lock."""
    if invoice.kind != DocumentKind.INVOICE or invoice.status not in _SETTLED_STATUSES:
        return invoice
    credited = invoice_credited_amount(invoice)
    paid = invoice_paid_amount(invoice)
    open_amount = invoice.total_incl_tax - credited - paid
    if open_amount <= ZERO:
        status = InvoiceStatus.PAID if paid > ZERO else InvoiceStatus.CANCELLED
    elif paid > ZERO:
        status = InvoiceStatus.PARTIALLY_PAID
    elif invoice.sendings.filter(status="sent").exists():
        status = InvoiceStatus.SENT
    else:
        status = InvoiceStatus.ISSUED
    if status != invoice.status:
        invoice.status = status
        invoice.save(update_fields=["status", "updated_at"])
    return invoice
