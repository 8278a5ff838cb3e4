"""Payments received and their allocation to invoices (lettrage).

An allocation is the only thing that moves a client's money onto the consultant's compte
d'activité (PR-24: on cash receipt): in the allocation's transaction we post
+ the share excl. VAT of the allocated amount (TURNOVER_COLLECTED) and
− the management fee on that share (MANAGEMENT_FEE), both with the allocation as source, so a
retried posting never doubles (the ledger is unique per (source, kind)).

Rounding: shares are computed on the cumulative amount paid on the invoice and differenced
(share_k = round(paid_after × HT/TTC) − round(paid_before × HT/TTC)), so that when an invoice
is paid in several instalments the shares add up to exactly its total excl. VAT; the fee is
differenced the same way. Each share is rounded half-up to the cent (DESIGN §3.3).

The fee rate is the one of the consultant's employment contract in force on the invoice's
service date (end of the service period, else the issue date); the consultant's default rate
when no contract covers that date (e.g. demo data, or an invoice issued before the contract).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError
from apps.core.money import CENT, quantize_eur
from apps.ledger.models import LedgerEntryKind
from apps.ledger.services import LedgerPosting, ledger_post_many

from ..models import (
    DocumentKind,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentSource,
)
from ..selectors.payments import ALLOCATABLE_STATUSES
from .settlement import invoice_open_amount, invoice_settlement_refresh

ZERO = Decimal("0.00")
# Employment contract statuses whose fee rate applies (signed or later).
_CONTRACT_STATUSES_WITH_RATE = ("signed", "active", "ended", "terminated")


class AllocationRefused(DomainError):
    code = "allocation_refused"
    status_code = 409


def format_eur(amount: Decimal) -> str:
    """1 200,00 € in French, 1,200.00 € in English (the active language's separators)."""
    return _("%(amount)s €") % {"amount": number_format(amount, 2, force_grouping=True)}


def parse_amount(value, *, field: str = "amount") -> Decimal:
    """A positive amount to the cent; never rounds silently, refuses floats."""
    if isinstance(value, float):
        raise ValidationError({field: _("The amount must be a decimal number, not a float.")})
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({field: _("Enter a valid amount.")}) from error
    if not amount.is_finite():
        raise ValidationError({field: _("Enter a valid amount.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("The amount cannot have more than 2 decimal places.")})
    if amount <= ZERO:
        raise ValidationError({field: _("The amount must be greater than zero.")})
    return amount.quantize(CENT)


# --- payments ----------------------------------------------------------------------------
def payment_unallocated_amount(payment: Payment) -> Decimal:
    """What the payment has not allocated yet (the payer's unallocated credit)."""
    allocated = payment.allocations.aggregate(total=Sum("amount"))["total"] or ZERO
    return quantize_eur(payment.amount - quantize_eur(allocated))


def payment_record(
    *,
    received_on: date,
    amount,
    payer_name: str,
    bank_reference: str = "",
    client=None,
    created_by,
    source: str = PaymentSource.MANUAL,
    notes: str = "",
) -> Payment:
    """Record a payment received (not yet allocated)."""
    errors: dict[str, list[str]] = {}
    try:
        amount = parse_amount(amount)
    except ValidationError as error:
        errors.update(error.message_dict)
    if received_on is None:
        errors["received_on"] = [_("Give the date the payment was received.")]
    elif received_on > timezone.localdate():
        errors["received_on"] = [_("A payment cannot be received in the future.")]
    payer_name = (payer_name or "").strip()
    if not payer_name:
        errors["payer_name"] = [_("Give the name of the payer.")]
    if errors:
        raise ValidationError(errors)
    return Payment.objects.create(
        received_on=received_on,
        amount=amount,
        payer_name=payer_name[:200],
        bank_reference=(bank_reference or "").strip()[:200],
        client=client,
        source=source,
        notes=notes,
        created_by=created_by,
    )


# --- allocation ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AllocationShares:
    turnover: Decimal  # + excl. VAT share of the allocated amount
    fee: Decimal  # management fee on that share (positive number, posted negative)
    fee_rate: Decimal


def consultant_fee_rate(invoice: Invoice) -> Decimal:
    """The management fee rate (%) that applies to this invoice's turnover (see module doc)."""
    from apps.employment_contracts.selectors import employment_contracts_for_consultant

    on = invoice.service_period_end or invoice.issue_date or timezone.localdate()
    rate = (
        employment_contracts_for_consultant(invoice.consultant)
        .filter(status__in=_CONTRACT_STATUSES_WITH_RATE, start_date__lte=on)
        .order_by("-start_date", "-pk")
        .values_list("management_fee_rate", flat=True)
        .first()
    )
    if rate is not None:
        return rate
    return invoice.consultant.management_fee_rate or ZERO


def _excl_tax(invoice: Invoice, paid: Decimal) -> Decimal:
    if invoice.total_incl_tax == invoice.total_excl_tax:  # 0 % VAT: the whole amount
        return quantize_eur(paid)
    return quantize_eur(paid * invoice.total_excl_tax / invoice.total_incl_tax)


def fee_base_ratio(invoice: Invoice) -> Decimal:
    """The share of the invoice's total excl. VAT that bears the management fee.

    PR-28 puts the fee on the turnover excl. VAT; expenses rebilled to the client at cost
    (lines from an expense claim) are money the consultant advanced and gets back, so by
    default they bear no fee: ratio = (total − rebilled expenses) / total.
    `MANAGEMENT_FEE_ON_REBILLED_EXPENSES = True` (setting) charges the fee on them too.
    """
    if getattr(settings, "MANAGEMENT_FEE_ON_REBILLED_EXPENSES", False):
        return Decimal(1)
    if not invoice.total_excl_tax:
        return Decimal(1)
    rebilled = (
        invoice.lines.filter(expense_line__isnull=False).aggregate(total=Sum("total_excl_tax"))[
            "total"
        ]
        or ZERO
    )
    return (invoice.total_excl_tax - rebilled) / invoice.total_excl_tax


def allocation_shares(allocation: PaymentAllocation) -> AllocationShares:
    """Turnover and fee of one allocation, by difference of the cumulative amounts paid on
    the invoice before and after it (deterministic: a retry computes the same numbers)."""
    invoice = allocation.invoice
    before = (
        invoice.allocations.filter(pk__lt=allocation.pk).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    before = quantize_eur(before)
    after = before + allocation.amount
    rate = consultant_fee_rate(invoice)
    ht_before, ht_after = _excl_tax(invoice, before), _excl_tax(invoice, after)
    turnover = ht_after - ht_before
    # The fee base follows the same cumulative differencing, so instalments add up exactly.
    base = fee_base_ratio(invoice) * rate / 100
    fee = quantize_eur(ht_after * base) - quantize_eur(ht_before * base)
    return AllocationShares(turnover=turnover, fee=fee, fee_rate=rate)


TURNOVER_LABEL = gettext_lazy("Payment received for %(number)s (%(client)s)")
FEE_LABEL = gettext_lazy("Management fee on %(number)s (%(client)s)")


def _label(template, invoice: Invoice) -> str:
    """A ledger label in the consultant's language (it is shown to them)."""
    user = getattr(invoice.consultant, "user", None)
    language = getattr(user, "language", "") or translation.get_language()
    with translation.override(language):
        text = str(template) % {"number": invoice.number, "client": invoice.client.legal_name}
    return text[:255]


def payment_allocation_post_ledger(*, allocation: PaymentAllocation, created_by=None) -> list:
    """Post the allocation's two ledger entries; idempotent (a retry returns the same)."""
    invoice = allocation.invoice
    shares = allocation_shares(allocation)
    postings = []
    if shares.turnover > ZERO:
        postings.append(
            LedgerPosting(
                consultant=invoice.consultant,
                kind=LedgerEntryKind.TURNOVER_COLLECTED,
                amount=shares.turnover,
                entry_date=allocation.allocated_on,
                label=_label(TURNOVER_LABEL, invoice),
                source=allocation,
                created_by=created_by,
            )
        )
    if shares.fee > ZERO:
        postings.append(
            LedgerPosting(
                consultant=invoice.consultant,
                kind=LedgerEntryKind.MANAGEMENT_FEE,
                amount=-shares.fee,
                entry_date=allocation.allocated_on,
                label=_label(FEE_LABEL, invoice),
                source=allocation,
                created_by=created_by,
            )
        )
    return ledger_post_many(entries=postings) if postings else []


def _check_allocatable(invoice: Invoice) -> None:
    if invoice.kind == DocumentKind.CREDIT_NOTE:
        raise AllocationRefused(
            _("%(invoice)s is a credit note: a payment is allocated to invoices only.")
            % {"invoice": invoice},
            code="allocation_credit_note",
        )
    if invoice.status == InvoiceStatus.DRAFT:
        raise AllocationRefused(
            _("%(invoice)s is a draft: issue it before allocating a payment to it.")
            % {"invoice": invoice},
            code="allocation_draft",
        )
    if invoice.status not in ALLOCATABLE_STATUSES:
        raise AllocationRefused(
            _("%(invoice)s is %(status)s: nothing is left to pay on it.")
            % {"invoice": invoice, "status": invoice.get_status_display().lower()},
            code="allocation_settled",
        )


def _allocate_locked(
    *, payment: Payment, invoice: Invoice, amount: Decimal, allocated_by, allocated_on: date
) -> PaymentAllocation:
    """Caller holds the payment's and the invoice's row locks."""
    _check_allocatable(invoice)
    open_amount = invoice_open_amount(invoice)
    if amount > open_amount:
        raise AllocationRefused(
            _(
                "The payment exceeds what is left to pay on %(invoice)s: %(open)s open, "
                "%(asked)s asked."
            )
            % {"invoice": invoice, "open": format_eur(open_amount), "asked": format_eur(amount)},
            code="allocation_exceeds_invoice",
            fields={"amount": [_("At most %(open)s.") % {"open": format_eur(open_amount)}]},
        )
    available = payment_unallocated_amount(payment)
    if amount > available:
        raise AllocationRefused(
            _(
                "The payment has only %(available)s left to allocate, %(asked)s asked for "
                "%(invoice)s."
            )
            % {
                "available": format_eur(available),
                "asked": format_eur(amount),
                "invoice": invoice,
            },
            code="allocation_exceeds_payment",
            fields={"amount": [_("At most %(max)s.") % {"max": format_eur(available)}]},
        )
    allocation = PaymentAllocation.objects.create(
        payment=payment,
        invoice=invoice,
        amount=amount,
        allocated_on=allocated_on,
        allocated_by=allocated_by,
    )
    payment_allocation_post_ledger(allocation=allocation, created_by=allocated_by)
    invoice_settlement_refresh(invoice=invoice)
    return allocation


def payment_allocate_many(
    *,
    payment: Payment,
    allocations: list[tuple[Invoice, object]],
    allocated_by,
    allocated_on: date | None = None,
) -> list[PaymentAllocation]:
    """Allocate one payment to several invoices, all or nothing.

    Locks the payment first, then the invoices by id (one order everywhere: no deadlock).
    """
    if not allocations:
        raise ValidationError({"allocations": _("Give at least one invoice to allocate to.")})
    parsed: list[tuple[int, Decimal]] = []
    seen: set[int] = set()
    for index, (invoice, raw_amount) in enumerate(allocations):
        if invoice.pk in seen:
            raise ValidationError(
                {"allocations": _("%(invoice)s is listed twice.") % {"invoice": invoice}}
            )
        seen.add(invoice.pk)
        try:
            parsed.append((invoice.pk, parse_amount(raw_amount)))
        except ValidationError as error:
            raise ValidationError(
                {
                    "allocations": [
                        _("Line %(index)s: %(message)s") % {"index": index + 1, "message": m}
                        for m in error.messages
                    ]
                }
            ) from error
    allocated_on = allocated_on or timezone.localdate()
    with transaction.atomic():
        locked_payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if allocated_on < locked_payment.received_on:
            raise ValidationError(
                {
                    "allocated_on": _(
                        "An allocation cannot be dated before the payment was received (%(date)s)."
                    )
                    % {"date": locked_payment.received_on.isoformat()}
                }
            )
        invoices = {
            inv.pk: inv
            for inv in Invoice.objects.select_for_update()
            .filter(pk__in=[pk for pk, _amount in parsed])
            .order_by("pk")
        }
        # Related rows read after the lock, without locking them (PostgreSQL refuses
        # FOR UPDATE on the nullable side of an outer join).
        related = Invoice.objects.select_related("client", "consultant__user").in_bulk(
            list(invoices)
        )
        result = []
        for pk, amount in parsed:
            invoice = invoices[pk]
            invoice.client = related[pk].client
            invoice.consultant = related[pk].consultant
            result.append(
                _allocate_locked(
                    payment=locked_payment,
                    invoice=invoice,
                    amount=amount,
                    allocated_by=allocated_by,
                    allocated_on=allocated_on,
                )
            )
        if locked_payment.client_id is None:
            clients = {invoice.client_id for invoice in invoices.values()}
            if len(clients) == 1:
                locked_payment.client_id = clients.pop()
                locked_payment.save(update_fields=["client", "updated_at"])
    return result


def payment_allocate(
    *, payment: Payment, invoice: Invoice, amount, allocated_by, allocated_on: date | None = None
) -> PaymentAllocation:
    """Allocate (part of) a payment to an issued invoice; posts to the compte d'activité."""
    return payment_allocate_many(
        payment=payment,
        allocations=[(invoice, amount)],
        allocated_by=allocated_by,
        allocated_on=allocated_on,
    )[0]
