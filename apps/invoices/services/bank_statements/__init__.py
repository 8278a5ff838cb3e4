"""Bank statement import (CSV or CAMT.053), matching proposals, confirmation by finance.

The whole import is one transaction: a bad line refuses the file and nothing is written.
The same file (same SHA-256) is refused the second time. Only credits in EUR are kept.
Confirming a line creates the payment (source: bank statement) and its allocations through
`payment_allocate_many`, in one transaction; what is not allocated stays an unallocated
credit of the payer.
"""

import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, InvalidTransition

from ...models import (
    BankStatementFormat,
    BankStatementImport,
    BankStatementLine,
    BankStatementLineStatus,
    Invoice,
    PaymentSource,
)
from ..payments import payment_allocate_many, payment_record
from .camt053 import is_camt053, parse_camt053
from .csv_format import parse_csv
from .matching import Matcher, invoice_numbers_in
from .parsed import ParsedLine, StatementFormatError

__all__ = [
    "StatementFormatError",
    "bank_statement_import",
    "bank_statement_line_confirm",
    "bank_statement_line_ignore",
    "bank_statement_confirm_proposals",
    "invoice_numbers_in",
]

MAX_SIZE = 10 * 1024 * 1024
OPEN_LINE_STATUSES = (BankStatementLineStatus.PROPOSED, BankStatementLineStatus.UNMATCHED)


class DuplicateStatement(DomainError):
    code = "bank_statement_duplicate"
    status_code = 409


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementFormatError(_("The file is neither UTF-8 nor Windows-1252 text."))


def _parse(content: bytes) -> tuple[str, list[ParsedLine]]:
    stripped = content.lstrip()
    if stripped.startswith((b"<", b"\xef\xbb\xbf<")):
        if not is_camt053(content):
            raise StatementFormatError(
                _(
                    "This XML file is not a CAMT.053 statement: expected the namespace "
                    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx."
                )
            )
        return BankStatementFormat.CAMT053, parse_camt053(content)
    if b"\x00" in content[:1024] or stripped.startswith(b"%PDF"):
        raise StatementFormatError(
            _("Unsupported file: upload a CSV export or a CAMT.053 XML statement.")
        )
    return BankStatementFormat.CSV, parse_csv(_decode(content))


def bank_statement_import(*, file, imported_by) -> BankStatementImport:
    """Read a statement file (an UploadedFile or any file object with a name), store its
    credit lines and propose matches. Raises StatementFormatError (a ValidationError) for
    a file we cannot read, DuplicateStatement (409) for a file already imported."""
    content = file.read()
    if isinstance(content, str):
        content = content.encode()
    name = getattr(file, "name", "") or "statement"
    name = name.rsplit("/", 1)[-1][:255]
    if not content.strip():
        raise StatementFormatError({"file": _("The file is empty.")})
    if len(content) > MAX_SIZE:
        raise StatementFormatError({"file": _("The file is larger than 10 MB.")})
    digest = hashlib.sha256(content).hexdigest()
    existing = BankStatementImport.objects.filter(sha256=digest).first()
    if existing is not None:
        raise DuplicateStatement(
            _("This file was already imported on %(date)s (%(name)s).")
            % {"date": existing.created_at.date().isoformat(), "name": existing.file_name},
            fields={"file": [_("Already imported.")]},
        )
    try:
        file_format, parsed = _parse(content)
    except StatementFormatError as error:
        raise StatementFormatError({"file": error.messages}) from error
    matcher = Matcher()
    with transaction.atomic():
        statement = BankStatementImport(
            file_name=name, format=file_format, sha256=digest, imported_by=imported_by
        )
        statement.file.save(name, ContentFile(content), save=False)
        statement.save()
        lines = []
        proposals = []
        for row in parsed:
            invoices, reason = matcher.propose(
                amount=row.amount, counterparty=row.counterparty, reference=row.reference
            )
            lines.append(
                BankStatementLine(
                    statement=statement,
                    line_number=row.line_number,
                    booking_date=row.booking_date,
                    amount=row.amount,
                    currency=row.currency,
                    counterparty=row.counterparty,
                    reference=row.reference,
                    status=(
                        BankStatementLineStatus.PROPOSED
                        if invoices
                        else BankStatementLineStatus.UNMATCHED
                    ),
                    proposal_reason=str(reason),
                )
            )
            proposals.append(invoices)
        created = BankStatementLine.objects.bulk_create(lines)
        through = BankStatementLine.proposed_invoices.through
        through.objects.bulk_create(
            [
                through(bankstatementline_id=line.pk, invoice_id=invoice.pk)
                for line, invoices in zip(created, proposals, strict=True)
                for invoice in invoices
            ]
        )
    return statement


def _default_allocations(line: BankStatementLine) -> list[tuple[Invoice, Decimal]]:
    """The proposal as allocations: the line's amount spread over the proposed invoices in
    order of number, each up to its open amount; the rest stays unallocated."""
    from ..settlement import invoice_open_amount

    left = line.amount
    allocations = []
    for invoice in line.proposed_invoices.order_by("number"):
        amount = min(left, invoice_open_amount(invoice))
        if amount > 0:
            allocations.append((invoice, amount))
            left -= amount
    return allocations


def bank_statement_line_confirm(
    *,
    line: BankStatementLine,
    confirmed_by,
    allocations: list[tuple[Invoice, object]] | None = None,
    invoices_amounts: list[tuple[Invoice, object]] | None = None,
) -> BankStatementLine:
    """Turn a line into a payment and allocate it: `allocations` [(invoice, amount)] as
    edited by finance, the proposal when None, nothing (an unallocated credit) when []."""
    if allocations is None:
        allocations = invoices_amounts
    with transaction.atomic():
        locked = BankStatementLine.objects.select_for_update().get(pk=line.pk)
        if locked.status not in OPEN_LINE_STATUSES:
            raise InvalidTransition(
                _("This line is already %(status)s.")
                % {"status": locked.get_status_display().lower()}
            )
        if allocations is None:
            allocations = _default_allocations(locked)
        total = sum((Decimal(str(amount)) for _invoice, amount in allocations), Decimal(0))
        if total > locked.amount:
            raise ValidationError(
                {
                    "allocations": _(
                        "The allocations (%(total)s) exceed the amount received (%(amount)s)."
                    )
                    % {"total": total, "amount": locked.amount}
                }
            )
        clients = {invoice.client_id for invoice, _amount in allocations}
        payment = payment_record(
            received_on=locked.booking_date,
            amount=locked.amount,
            payer_name=locked.counterparty or _("Unknown payer"),
            bank_reference=locked.reference,
            client=allocations[0][0].client if len(clients) == 1 else None,
            created_by=confirmed_by,
            source=PaymentSource.BANK_STATEMENT,
        )
        if allocations:
            payment_allocate_many(
                payment=payment,
                allocations=allocations,
                allocated_by=confirmed_by,
                allocated_on=None,
            )
        locked.payment = payment
        locked.status = BankStatementLineStatus.CONFIRMED
        locked.save(update_fields=["payment", "status"])
    return locked


def bank_statement_line_ignore(*, line: BankStatementLine, ignored_by) -> BankStatementLine:
    """Not a client payment (a refund, an internal transfer): set aside, nothing recorded."""
    with transaction.atomic():
        locked = BankStatementLine.objects.select_for_update().get(pk=line.pk)
        if locked.status not in OPEN_LINE_STATUSES:
            raise InvalidTransition(
                _("This line is already %(status)s.")
                % {"status": locked.get_status_display().lower()}
            )
        locked.status = BankStatementLineStatus.IGNORED
        locked.save(update_fields=["status"])
    return locked


def bank_statement_confirm_proposals(*, statement: BankStatementImport, confirmed_by) -> dict:
    """Confirm every proposed line as proposed; each line in its own transaction, so one
    refused line (e.g. paid meanwhile) does not block the others. Returns
    {"confirmed": [line ids], "errors": {line id: message}}."""
    confirmed, errors = [], {}
    for line in statement.lines.filter(status=BankStatementLineStatus.PROPOSED):
        try:
            bank_statement_line_confirm(line=line, confirmed_by=confirmed_by)
        except (DomainError, ValidationError) as error:
            errors[line.pk] = "; ".join(getattr(error, "messages", None) or [str(error)])
        else:
            confirmed.append(line.pk)
    return {"confirmed": confirmed, "errors": errors}
