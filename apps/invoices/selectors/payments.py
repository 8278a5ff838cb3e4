"""Reads of payments, allocations and bank statements (back-office only: consultants never
see payments; their compte d'activité shows the ledger entries instead)."""

from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from apps.core.money import quantize_eur

from ..models import (
    BankStatementImport,
    BankStatementLine,
    DocumentKind,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
)

# Invoices that can receive money: issued and not fully settled or cancelled.
ALLOCATABLE_STATUSES = (
    InvoiceStatus.ISSUED,
    InvoiceStatus.SENT,
    InvoiceStatus.PARTIALLY_PAID,
)

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def payments_list() -> QuerySet[Payment]:
    """Payments with `allocated_amount` and `unallocated_amount` annotated (no N+1)."""
    return (
        Payment.objects.select_related("client", "created_by")
        .annotate(
            allocated_amount=Coalesce(
                Sum("allocations__amount"), Value(Decimal("0.00")), output_field=_MONEY
            )
        )
        .annotate(unallocated_amount=F("amount") - F("allocated_amount"))
    )


def payments_with_unallocated_credit() -> QuerySet[Payment]:
    return payments_list().filter(unallocated_amount__gt=0)


def payment_with_allocations(pk: int) -> Payment | None:
    allocations = PaymentAllocation.objects.select_related("invoice", "invoice__client")
    return (
        payments_list()
        .prefetch_related(Prefetch("allocations", queryset=allocations.order_by("pk")))
        .filter(pk=pk)
        .first()
    )


def open_invoices_with_amounts():
    """Invoices that can receive money, annotated with `open_amount_raw` (one query)."""
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
    money = DecimalField(max_digits=14, decimal_places=2)
    paid = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    credited = (
        Invoice.objects.filter(credited_invoice=OuterRef("pk"), kind=DocumentKind.CREDIT_NOTE)
        .exclude(status=InvoiceStatus.DRAFT)
        .order_by()
        .values("credited_invoice")
        .annotate(total=Sum("total_incl_tax"))
        .values("total")
    )
    return (
        Invoice.objects.filter(kind=DocumentKind.INVOICE, status__in=ALLOCATABLE_STATUSES)
        .select_related("client")
        .annotate(
            paid_raw=Coalesce(Subquery(paid, output_field=money), zero),
            credited_raw=Coalesce(Subquery(credited, output_field=money), zero),
        )
    )


def annotated_open_amount(invoice) -> Decimal:
    return quantize_eur(
        Decimal(str(invoice.total_incl_tax))
        - quantize_eur(Decimal(str(invoice.paid_raw)))
        - quantize_eur(Decimal(str(invoice.credited_raw)))
    )


def payment_open_invoices(payment: Payment) -> list[Invoice]:
    """Open invoices the payment could settle: the payer's if the client is known, else all;
    each with `open_amount` (one query)."""
    from ..services.bank_statements.matching import (
        annotated_open_amount,
        open_invoices_with_amounts,
    )

    invoices = open_invoices_with_amounts().order_by("due_date", "number")
    if payment.client_id:
        invoices = invoices.filter(client_id=payment.client_id)
    result = []
    for invoice in invoices:
        invoice.open_amount = annotated_open_amount(invoice)
        if invoice.open_amount > 0:
            result.append(invoice)
    return result


def bank_statements_list() -> QuerySet[BankStatementImport]:
    from django.db.models import Count, Q

    return BankStatementImport.objects.select_related("imported_by").annotate(
        line_count=Count("lines"),
        open_line_count=Count("lines", filter=Q(lines__status__in=["proposed", "unmatched"])),
    )


def bank_statement_lines() -> QuerySet[BankStatementLine]:
    return BankStatementLine.objects.select_related("statement", "payment").prefetch_related(
        Prefetch(
            "proposed_invoices",
            queryset=Invoice.objects.select_related("client").order_by("number"),
        )
    )


def bank_statement_with_lines(pk: int) -> BankStatementImport | None:
    return (
        bank_statements_list()
        .prefetch_related(Prefetch("lines", queryset=bank_statement_lines()))
        .filter(pk=pk)
        .first()
    )
