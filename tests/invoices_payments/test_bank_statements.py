"""Bank statement import (CSV, CAMT.053), proposals and confirmation."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.errors import InvalidTransition
from apps.invoices.models import (
    BankStatementImport,
    BankStatementLine,
    BankStatementLineStatus,
    InvoiceStatus,
    PaymentSource,
)
from apps.invoices.services.bank_statements import (
    bank_statement_confirm_proposals,
    bank_statement_import,
    bank_statement_line_confirm,
    bank_statement_line_ignore,
    invoice_numbers_in,
)
from apps.invoices.services.bank_statements.matching import Matcher
from apps.invoices.services.bank_statements.parsed import StatementFormatError
from apps.invoices.services.payments import AllocationRefused, payment_unallocated_amount
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from tests.clients.factories import ClientCompanyFactory

from .factories import issued_invoice

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def _upload(content: bytes | str, name="releve.csv"):
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content)


def _invoices():
    acme = ClientCompanyFactory(legal_name="ACME Industrie SAS")
    beta = ClientCompanyFactory(legal_name="Beta Conseil")
    # F-2026-000101: 10 000 HT + 2 000 VAT = 12 000.00; F-2026-000102: 500 + 100 = 600.00
    return (
        issued_invoice(excl_tax="10000.00", client=acme, number=101),
        issued_invoice(excl_tax="500.00", client=beta, number=102),
    )


def test_invoice_numbers_tolerate_missing_separators():
    text = "VIR F2026000101 + f 2026 000102 / F-2026-000101 and F_2026_000003; not XF2026000004"
    assert invoice_numbers_in(text) == ["F-2026-000101", "F-2026-000102", "F-2026-000003"]


def test_csv_french_bank_export_with_proposals(finance_user):
    first, second = _invoices()
    statement = bank_statement_import(
        file=_upload((DATA / "statement_fr.csv").read_bytes()), imported_by=finance_user
    )
    assert statement.format == "csv"
    lines = list(statement.lines.order_by("line_number"))
    # The EDF debit (row 3) is not kept.
    assert [(line.line_number, line.amount) for line in lines] == [
        (2, Decimal("12000.00")),
        (4, Decimal("600.00")),
    ]
    acme, beta = lines
    assert acme.booking_date == date(2026, 4, 9)
    assert acme.counterparty == "ACME INDUSTRIE SAS"
    assert (acme.status, acme.proposal_reason) == (
        BankStatementLineStatus.PROPOSED,
        "invoice number in the reference",
    )
    assert list(acme.proposed_invoices.all()) == [first]
    assert (beta.status, beta.proposal_reason) == (BankStatementLineStatus.PROPOSED, "same amount")
    assert list(beta.proposed_invoices.all()) == [second]


def test_csv_comma_delimiter_iso_dates_and_amount_column(finance_user):
    content = (
        "date,amount,counterparty,reference\n"
        '2026-04-09,"1234,56",Gamma,ref 1\n'
        "2026-04-10,-50.00,Bank fees,fees\n"
        "2026-04-10,99.90,Delta,ref 2\n"
    )
    statement = bank_statement_import(file=_upload(content), imported_by=finance_user)
    amounts = list(statement.lines.values_list("amount", flat=True))
    assert amounts == [Decimal("1234.56"), Decimal("99.90")]
    assert set(statement.lines.values_list("status", flat=True)) == {"unmatched"}


def test_csv_unknown_column_lists_the_accepted_names(finance_user):
    content = "Date;Montant;Libellé;Commentaire\n09/04/2026;10,00;X;y\n"
    with pytest.raises(ValidationError) as error:
        bank_statement_import(file=_upload(content), imported_by=finance_user)
    message = error.value.message_dict["file"][0]
    assert message.startswith("Unknown column(s): Commentaire. Accepted columns: Date, ")
    assert not BankStatementImport.objects.exists()


def test_csv_missing_amount_column(finance_user):
    with pytest.raises(ValidationError, match=r"Missing column\(s\): Montant/Amount or"):
        bank_statement_import(
            file=_upload("Date;Libellé\n09/04/2026;X\n"), imported_by=finance_user
        )


def test_a_bad_row_refuses_the_whole_file(finance_user):
    content = "Date;Montant;Libellé\n09/04/2026;10,00;A\n31/02/2026;12,00;B\n10/04/2026;abc;C\n"
    with pytest.raises(ValidationError) as error:
        bank_statement_import(file=_upload(content), imported_by=finance_user)
    assert error.value.message_dict["file"] == [
        "Row 3: “31/02/2026” is not a date (dd/mm/yyyy or yyyy-mm-dd).",
        "Row 4: “abc” is not an amount.",
    ]
    assert not BankStatementImport.objects.exists()
    assert not BankStatementLine.objects.exists()


def test_wrong_format_is_refused(finance_user):
    with pytest.raises(ValidationError, match="Unsupported file"):
        bank_statement_import(
            file=_upload(b"%PDF-1.7\n\x00\x01", name="x.pdf"), imported_by=finance_user
        )
    with pytest.raises(ValidationError, match="not a CAMT.053 statement"):
        bank_statement_import(
            file=_upload("<?xml version='1.0'?><Invoice/>", name="x.xml"),
            imported_by=finance_user,
        )


def test_the_same_file_twice_is_refused(finance_user):
    content = (DATA / "statement_fr.csv").read_bytes()
    bank_statement_import(file=_upload(content), imported_by=finance_user)
    from apps.invoices.services.bank_statements import DuplicateStatement

    with pytest.raises(DuplicateStatement, match="already imported"):
        bank_statement_import(file=_upload(content, name="again.csv"), imported_by=finance_user)
    assert BankStatementImport.objects.count() == 1


def test_camt053_sample(finance_user):
    first, second = _invoices()
    statement = bank_statement_import(
        file=_upload((DATA / "camt053_sample.xml").read_bytes(), name="camt.xml"),
        imported_by=finance_user,
    )
    assert statement.format == "camt053"
    # Entry 2 is a debit and entry 4 is in USD: only entries 1 and 3 are kept.
    rows = list(
        statement.lines.order_by("line_number").values_list(
            "line_number", "booking_date", "amount", "counterparty", "reference", "status"
        )
    )
    assert rows == [
        (1, date(2026, 4, 9), Decimal("12000.00"), "ACME INDUSTRIE SAS",
         "VIR SEPA FACTURE F2026000101", "proposed"),
        (3, date(2026, 4, 9), Decimal("600.00"), "BETA CONSEIL", "REGLEMENT MARS", "proposed"),
    ]  # fmt: skip


def test_same_amount_several_invoices_narrowed_by_client_name(finance_user):
    beta = ClientCompanyFactory(legal_name="Beta Conseil")
    issued_invoice(excl_tax="500.00")  # 600.00, another client
    mine = issued_invoice(excl_tax="500.00", client=beta)  # 600.00
    matcher = Matcher()
    invoices, reason = matcher.propose(
        amount=Decimal("600.00"), counterparty="VIR BETA CONSEIL", reference=""
    )
    assert (invoices, str(reason)) == ([mine], "same amount and client name")
    invoices, reason = matcher.propose(
        amount=Decimal("600.00"), counterparty="Someone", reference=""
    )
    assert invoices == []


def test_confirm_the_proposal_creates_payment_allocation_and_ledger(finance_user):
    first, _second = _invoices()
    statement = bank_statement_import(
        file=_upload((DATA / "statement_fr.csv").read_bytes()), imported_by=finance_user
    )
    line = statement.lines.get(line_number=2)
    line = bank_statement_line_confirm(line=line, confirmed_by=finance_user)
    assert line.status == BankStatementLineStatus.CONFIRMED
    payment = line.payment
    assert (payment.source, payment.amount, payment.received_on, payment.client) == (
        PaymentSource.BANK_STATEMENT,
        Decimal("12000.00"),
        date(2026, 4, 9),
        first.client,
    )
    first.refresh_from_db()
    assert first.status == InvoiceStatus.PAID
    # 12 000 TTC → 10 000.00 HT collected, fee 7 % = 700.00
    amounts = dict(LedgerEntry.objects.values_list("kind", "amount"))
    assert amounts == {
        LedgerEntryKind.TURNOVER_COLLECTED: Decimal("10000.00"),
        LedgerEntryKind.MANAGEMENT_FEE: Decimal("-700.00"),
    }
    with pytest.raises(InvalidTransition, match="already confirmed"):
        bank_statement_line_confirm(line=line, confirmed_by=finance_user)


def test_confirm_edited_allocations_and_overpayment(finance_user):
    _first, second = _invoices()
    content = "Date;Montant;Libellé;Référence\n10/04/2026;1000,00;BETA CONSEIL;acompte\n"
    statement = bank_statement_import(file=_upload(content), imported_by=finance_user)
    line = statement.lines.get()
    line = bank_statement_line_confirm(
        line=line, confirmed_by=finance_user, allocations=[(second, Decimal("600.00"))]
    )
    assert payment_unallocated_amount(line.payment) == Decimal("400.00")
    second.refresh_from_db()
    assert second.status == InvoiceStatus.PAID


def test_a_refused_confirmation_writes_nothing(finance_user):
    _first, second = _invoices()
    content = "Date;Montant;Libellé\n10/04/2026;1000,00;BETA CONSEIL\n"
    line = bank_statement_import(file=_upload(content), imported_by=finance_user).lines.get()
    with pytest.raises(AllocationRefused, match="exceeds what is left to pay"):
        bank_statement_line_confirm(
            line=line, confirmed_by=finance_user, allocations=[(second, Decimal("700.00"))]
        )
    line.refresh_from_db()
    assert (line.status, line.payment) == (BankStatementLineStatus.UNMATCHED, None)
    from apps.invoices.models import Payment

    assert not Payment.objects.exists()


def test_ignore_and_bulk_confirm(finance_user):
    first, second = _invoices()
    statement = bank_statement_import(
        file=_upload((DATA / "statement_fr.csv").read_bytes()), imported_by=finance_user
    )
    beta_line = statement.lines.get(line_number=4)
    bank_statement_line_ignore(line=beta_line, ignored_by=finance_user)
    result = bank_statement_confirm_proposals(statement=statement, confirmed_by=finance_user)
    acme_line = statement.lines.get(line_number=2)
    assert result == {"confirmed": [acme_line.pk], "errors": {}}
    beta_line.refresh_from_db()
    assert beta_line.status == BankStatementLineStatus.IGNORED
    second.refresh_from_db()
    assert second.status == InvoiceStatus.ISSUED


def test_csv_parser_rejects_non_statement_text():
    from apps.invoices.services.bank_statements.csv_format import parse_csv

    with pytest.raises(StatementFormatError, match="Unknown column"):
        parse_csv("hello world\nfoo\n")
