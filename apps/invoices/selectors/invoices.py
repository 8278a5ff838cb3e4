"""Reads on invoices and credit notes: lists in a constant number of queries, scoped to the
user (a consultant sees only the invoices of their own missions), overdue invoices, and the
validated activity reports still waiting for an invoice."""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.accounts.roles import user_is_back_office, user_is_consultant
from apps.activity.models import ActivityReport, ActivityReportStatus
from apps.activity.selectors.reports import activity_reports_list

from ..models import Invoice, InvoiceLine, InvoiceStatus

# Issued and not settled: what can be overdue.
OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)


def invoices_list() -> QuerySet[Invoice]:
    return Invoice.objects.select_related(
        "client", "consultant", "commercial_contract", "credited_invoice"
    )


def invoices_for_user(user) -> QuerySet[Invoice]:
    """Back-office: every invoice; a consultant: those of their own consultant profile."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Invoice.objects.none()
    if user_is_back_office(user):
        return invoices_list()
    if user_is_consultant(user):
        return invoices_list().filter(consultant__user=user)
    return Invoice.objects.none()


def invoice_with_lines(pk, queryset: QuerySet | None = None) -> Invoice | None:
    queryset = invoices_list() if queryset is None else queryset
    return (
        queryset.prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "pk"))
        )
        .filter(pk=pk)
        .first()
    )


def overdue_q(today: date | None = None) -> Q:
    """Issued, sent or partially paid, and the due date has passed (Europe/Paris today)."""
    today = today or timezone.localdate()
    return Q(kind="invoice", status__in=OPEN_STATUSES, due_date__lt=today)


def invoices_overdue(today: date | None = None) -> QuerySet[Invoice]:
    return invoices_list().filter(overdue_q(today)).order_by("due_date", "pk")


def invoice_is_overdue(invoice: Invoice, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        invoice.kind == "invoice"
        and invoice.status in OPEN_STATUSES
        and invoice.due_date is not None
        and invoice.due_date < today
    )


def activity_reports_to_invoice() -> QuerySet[ActivityReport]:
    """Validated reports that are on no invoice yet (not even a draft), oldest first."""
    on_invoice = InvoiceLine.objects.filter(activity_report=OuterRef("pk"))
    return (
        activity_reports_list()
        .filter(status=ActivityReportStatus.VALIDATED)
        .filter(~Exists(on_invoice))
        .order_by("month", "commercial_contract__client__legal_name", "pk")
    )
