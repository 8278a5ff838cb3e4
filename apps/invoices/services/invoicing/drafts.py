"""Draft invoices typed by hand: create, edit, add and remove lines, delete.

Only a draft changes. Every write locks the invoice row, re-checks that it is still a
draft (an issued invoice is a legal document: DESIGN §3.4) and recomputes the totals.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from apps.core.errors import InvalidTransition

from ...models import DocumentKind, Invoice, InvoiceLine, InvoiceStatus, LineUnit, VatRegime
from .vat import (
    invoice_totals_recompute,
    line_total,
    regime_default_rate,
    vat_regime_for_client,
)

# Fields a draft accepts from a form or the API besides the parties.
DRAFT_FIELDS = frozenset(
    {
        "purchase_order_reference",
        "notes",
        "service_period_start",
        "service_period_end",
        "language",
    }
)
LANGUAGES = ("fr", "en")
DATE_FIELDS = frozenset({"service_period_start", "service_period_end"})


def frozen_error(invoice: Invoice) -> InvalidTransition:
    return InvalidTransition(
        _(
            "%(document)s is %(status)s: an issued invoice or credit note can no longer be"
            " changed or deleted; correct it with a credit note."
        )
        % {"document": invoice.number or str(invoice), "status": invoice.get_status_display()},
        code="invoice_frozen",
    )


def lock_draft(invoice: Invoice) -> Invoice:
    """The invoice's row, locked, or a 409 error if it is no longer a draft."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.status != InvoiceStatus.DRAFT:
        raise frozen_error(locked)
    return locked


def _decimal(value, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if isinstance(value, float) or not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return number


def _assign(invoice: Invoice, fields: dict) -> None:
    unknown = sorted(set(fields) - DRAFT_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set on an invoice.") for name in unknown}
        )
    for name, value in fields.items():
        if value is None and name not in DATE_FIELDS:
            value = ""
        setattr(invoice, name, value)
    if invoice.language not in LANGUAGES:
        raise ValidationError({"language": _("Choose French (fr) or English (en).")})
    start, end = invoice.service_period_start, invoice.service_period_end
    if start and end and start > end:
        raise ValidationError(
            {"service_period_end": _("The service period ends before it starts.")}
        )


def invoice_create(
    *, client, consultant, commercial_contract=None, created_by, **fields
) -> Invoice:
    """A draft invoice (no number) for a client; the VAT regime follows from the client."""
    if commercial_contract is not None:
        errors = {}
        if commercial_contract.client_id != client.pk:
            errors["commercial_contract"] = _("This contract is with another client.")
        elif commercial_contract.consultant_id != consultant.pk:
            errors["commercial_contract"] = _("This contract is for another consultant.")
        if errors:
            raise ValidationError(errors)
        fields.setdefault("purchase_order_reference", commercial_contract.purchase_order_reference)
    fields.setdefault("language", client.document_language or "fr")
    invoice = Invoice(
        kind=DocumentKind.INVOICE,
        status=InvoiceStatus.DRAFT,
        client=client,
        consultant=consultant,
        commercial_contract=commercial_contract,
        vat_regime=vat_regime_for_client(client),
        created_by=created_by,
        recovery_indemnity=Decimal("40.00"),
        language="fr",
    )
    _assign(invoice, fields)
    invoice.save()
    return invoice


@transaction.atomic
def invoice_update(*, invoice: Invoice, **fields) -> Invoice:
    """Change a draft's header fields (purchase order, notes, period, language)."""
    invoice = lock_draft(invoice)
    _assign(invoice, fields)
    invoice.save()
    return invoice


def _validated_line(
    invoice: Invoice, *, description, quantity, unit, unit_price_excl_tax, vat_rate
) -> dict:
    errors = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Describe the service.")
    elif len(description) > 300:
        errors["description"] = _("At most 300 characters.")
    if unit not in LineUnit.values:
        errors["unit"] = _("Choose a unit among: %(units)s.") % {
            "units": ", ".join(LineUnit.values)
        }
    values = {}
    for field, value in (
        ("quantity", quantity),
        ("unit_price_excl_tax", unit_price_excl_tax),
        ("vat_rate", vat_rate),
    ):
        try:
            values[field] = _decimal(value, field)
        except ValidationError as error:
            errors.update(error.message_dict)
    quantity, price, rate = (
        values.get("quantity"),
        values.get("unit_price_excl_tax"),
        values.get("vat_rate"),
    )
    if quantity is not None and (quantity <= 0 or quantity != quantity.quantize(Decimal("0.01"))):
        errors["quantity"] = _("The quantity must be positive, with at most 2 decimals.")
    if price is not None and (price < 0 or price != price.quantize(Decimal("0.01"))):
        errors["unit_price_excl_tax"] = _(
            "The unit price must be zero or positive, in euros and cents."
        )
    if rate is not None:
        if invoice.vat_regime != VatRegime.DOMESTIC and rate != 0:
            errors["vat_rate"] = _(
                "No French VAT on this invoice (%(regime)s): the VAT rate must be 0."
            ) % {"regime": invoice.get_vat_regime_display()}
        elif invoice.vat_regime == VatRegime.DOMESTIC and not (0 < rate <= 100):
            errors["vat_rate"] = _("A French VAT rate is between 0 (excluded) and 100 %.")
    if errors:
        raise ValidationError(errors)
    return {
        "description": description,
        "quantity": quantity,
        "unit": unit,
        "unit_price_excl_tax": price,
        "vat_rate": rate.quantize(Decimal("0.01")),
    }


def invoice_line_check(invoice: Invoice, *, vat_rate=None, **values) -> dict:
    """The line's values checked against the draft (forms call it before saving)."""
    if vat_rate is None:
        vat_rate = regime_default_rate(invoice.vat_regime)
    return _validated_line(invoice, vat_rate=vat_rate, **values)


def line_create(invoice: Invoice, *, vat_rate=None, **values) -> InvoiceLine:
    """Insert a validated line at the end of a locked draft (no totals recomputation)."""
    if vat_rate is None:
        vat_rate = regime_default_rate(invoice.vat_regime)
    extra = {
        key: values.pop(key)
        for key in (
            "service_date_start",
            "service_date_end",
            "activity_report",
            "expense_line",
            "credited_line",
        )
        if key in values
    }
    clean = _validated_line(invoice, vat_rate=vat_rate, **values)
    position = (invoice.lines.aggregate(last=Max("position"))["last"] or 0) + 1

    return InvoiceLine.objects.create(
        invoice=invoice,
        position=position,
        total_excl_tax=line_total(clean["quantity"], clean["unit_price_excl_tax"]),
        **clean,
        **extra,
    )


@transaction.atomic
def invoice_line_add(
    *,
    invoice: Invoice,
    description: str,
    quantity,
    unit: str,
    unit_price_excl_tax,
    vat_rate=None,
    service_date_start=None,
    service_date_end=None,
) -> InvoiceLine:
    """Add a line typed by hand to a draft (VAT rate: the regime's when not given)."""
    invoice = lock_draft(invoice)
    if invoice.kind == DocumentKind.CREDIT_NOTE:
        raise InvalidTransition(
            _("Lines of a credit note come from the credited invoice."),
            code="credit_note_lines",
        )
    line = line_create(
        invoice,
        description=description,
        quantity=quantity,
        unit=unit,
        unit_price_excl_tax=unit_price_excl_tax,
        vat_rate=vat_rate,
        service_date_start=service_date_start,
        service_date_end=service_date_end,
    )
    invoice_totals_recompute(invoice=invoice)
    return line


@transaction.atomic
def invoice_line_remove(*, line: InvoiceLine) -> Invoice:
    """Remove a line from a draft (a report or expense on it becomes invoiceable again)."""
    invoice = lock_draft(line.invoice)
    InvoiceLine.objects.filter(pk=line.pk, invoice=invoice).delete()
    return invoice_totals_recompute(invoice=invoice)


@transaction.atomic
def invoice_delete_draft(*, invoice: Invoice) -> None:
    """Delete a draft and its lines; an issued document is never deleted."""
    invoice = lock_draft(invoice)
    invoice.lines.all().delete()
    invoice.delete()
