"""Credit notes (avoirs): the only way to correct an issued invoice (invoicing.md §2).

A credit note copies the parties and the VAT regime of the invoice it corrects, points to it
(and each of its lines to the credited line), and never credits more than what is left:
the invoice's total minus its other credit notes, issued or still draft. It is issued like
an invoice, in its own series (AV), and the invoice's status follows (settlement).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.money import quantize_eur

from ...models import DocumentKind, Invoice, InvoiceLine, InvoiceStatus, LineUnit
from .drafts import _decimal, line_create
from .vat import invoice_totals_recompute, line_total

ZERO = Decimal("0.00")
CREDITABLE = {
    InvoiceStatus.ISSUED,
    InvoiceStatus.SENT,
    InvoiceStatus.PARTIALLY_PAID,
    InvoiceStatus.PAID,
}


def _euros(value: Decimal) -> str:
    return f"{quantize_eur(value)} €"


def credit_note_credited_total(*, original: Invoice, exclude: Invoice | None = None) -> Decimal:
    """Incl. VAT total of the credit notes of `original`, drafts included."""
    notes = Invoice.objects.filter(credited_invoice=original, kind=DocumentKind.CREDIT_NOTE)
    if exclude is not None:
        notes = notes.exclude(pk=exclude.pk)
    return quantize_eur(notes.aggregate(total=Sum("total_incl_tax"))["total"] or ZERO)


def credit_note_check_limit(
    *, original: Invoice, amount: Decimal, exclude: Invoice | None = None
) -> None:
    """Refuse a credit note of `amount` (incl. VAT) beyond what is left to credit."""
    credited = credit_note_credited_total(original=original, exclude=exclude)
    left = original.total_incl_tax - credited
    if amount > left:
        raise DomainError(
            _(
                "This credit note (%(amount)s incl. VAT) exceeds what is left to credit on"
                " %(invoice)s: %(total)s − %(credited)s already credited = %(left)s."
            )
            % {
                "amount": _euros(amount),
                "invoice": original.number,
                "total": _euros(original.total_incl_tax),
                "credited": _euros(credited),
                "left": _euros(max(left, ZERO)),
            },
            code="credit_note_exceeds_invoice",
        )


def _line_credited(line: InvoiceLine) -> Decimal:
    total = InvoiceLine.objects.filter(credited_line=line).aggregate(total=Sum("total_excl_tax"))
    return total["total"] or ZERO


def _requested_lines(original: Invoice, lines) -> list[dict]:
    """[{"line": InvoiceLine|id, "quantity": ..} or {"line": .., "amount": excl. VAT}]"""
    by_id = {line.pk: line for line in original.lines.all()}
    if lines is None:
        return [
            {"line": line, "quantity": line.quantity, "price": line.unit_price_excl_tax}
            for line in by_id.values()
        ]
    requested = []
    for index, item in enumerate(lines):
        key = f"lines[{index}]"
        line_id = getattr(item.get("line"), "pk", item.get("line"))
        line = by_id.get(line_id)
        if line is None:
            raise ValidationError(
                {
                    key: _("Line #%(id)s is not a line of %(invoice)s.")
                    % {"id": line_id, "invoice": original.number}
                }
            )
        quantity, amount = item.get("quantity"), item.get("amount")
        if (quantity is None) == (amount is None):
            raise ValidationError({key: _("Give either a quantity or an amount to credit.")})
        if quantity is not None:
            quantity = _decimal(quantity, key)
            if quantity <= 0 or quantity > line.quantity:
                raise ValidationError(
                    {
                        key: _("Credit between 0 and %(max)s of line “%(line)s”.")
                        % {"max": line.quantity, "line": line.description}
                    }
                )
            requested.append(
                {"line": line, "quantity": quantity, "price": line.unit_price_excl_tax}
            )
        else:
            amount = _decimal(amount, key)
            if amount <= 0 or amount != quantize_eur(amount):
                raise ValidationError({key: _("The amount must be positive, in euros and cents.")})
            requested.append({"line": line, "quantity": Decimal("1"), "price": amount})
    if not requested:
        raise ValidationError({"lines": _("Choose at least one line to credit.")})
    return requested


def _check_line_limits(requested: list[dict]) -> None:
    for item in requested:
        line = item["line"]
        left = line.total_excl_tax - _line_credited(line)
        wanted = line_total(item["quantity"], item["price"])
        if wanted > left:
            raise DomainError(
                _(
                    "Line “%(line)s”: %(wanted)s excl. VAT exceeds what is left to credit on it"
                    " (%(total)s − %(credited)s already credited = %(left)s)."
                )
                % {
                    "line": line.description,
                    "wanted": _euros(wanted),
                    "total": _euros(line.total_excl_tax),
                    "credited": _euros(line.total_excl_tax - left),
                    "left": _euros(max(left, ZERO)),
                },
                code="credit_note_exceeds_line",
            )


@transaction.atomic
def credit_note_create(*, invoice: Invoice, created_by, lines=None, reason: str) -> Invoice:
    """A draft credit note of `invoice`: every line in full when `lines` is None, else the
    chosen lines, each by quantity (at the line's unit price) or by amount excl. VAT."""
    original = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if original.kind != DocumentKind.INVOICE or original.status not in CREDITABLE:
        raise DomainError(
            _("Only an issued invoice can be credited; %(invoice)s is %(status)s.")
            % {"invoice": original, "status": original.get_status_display()},
            code="invoice_not_creditable",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the credit note.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("At most 300 characters.")})
    requested = _requested_lines(original, lines)
    _check_line_limits(requested)
    note = Invoice.objects.create(
        kind=DocumentKind.CREDIT_NOTE,
        status=InvoiceStatus.DRAFT,
        client=original.client,
        consultant=original.consultant,
        commercial_contract=original.commercial_contract,
        credited_invoice=original,
        credit_reason=reason,
        vat_regime=original.vat_regime,
        language=original.language,
        purchase_order_reference=original.purchase_order_reference,
        service_period_start=original.service_period_start,
        service_period_end=original.service_period_end,
        created_by=created_by,
    )
    for item in requested:
        line = item["line"]
        line_create(
            note,
            description=line.description,
            quantity=item["quantity"],
            unit=line.unit if item["price"] == line.unit_price_excl_tax else LineUnit.LUMP_SUM,
            unit_price_excl_tax=item["price"],
            vat_rate=line.vat_rate,
            service_date_start=line.service_date_start,
            service_date_end=line.service_date_end,
            credited_line=line,
        )
    note = invoice_totals_recompute(invoice=note)
    credit_note_check_limit(original=original, amount=note.total_incl_tax, exclude=note)
    return note
