"""CSV bank statements (docs/payments.md): a header row, then one transaction per row.

Columns (case, accents and spaces ignored): date (Date, Date opération, Date valeur),
amount (Montant, Amount) or credit (Crédit, Credit) with an optional debit column (Débit,
Debit), counterparty (Libellé, Tiers, Contrepartie, Counterparty, Payer), reference
(Référence, Reference, Motif), currency (Devise, Currency; EUR when absent). The delimiter
is ; or , (detected); amounts accept a decimal comma and spaces as thousand separators;
dates are dd/mm/yyyy or yyyy-mm-dd. A column we do not know is an error (strict: a bank
that changes its export must be noticed, not half-read). Only credits in EUR are kept.
"""

import csv
import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .parsed import ParsedLine, StatementFormatError

ALIASES = {
    "date": {"date", "date operation", "date de l'operation", "date valeur", "booking date"},
    "amount": {"montant", "amount"},
    "credit": {"credit"},
    "debit": {"debit"},
    "counterparty": {"libelle", "tiers", "contrepartie", "counterparty", "payer"},
    "reference": {"reference", "motif", "remittance information"},
    "currency": {"devise", "currency"},
}
_BY_ALIAS = {alias: key for key, aliases in ALIASES.items() for alias in aliases}
ACCEPTED_NAMES = (
    "Date, Montant/Amount, Crédit/Credit, Débit/Debit, Libellé/Counterparty, "
    "Référence/Reference, Devise/Currency"
)


def _normalise(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_accents.replace("_", " ").split())


def _parse_amount(raw: str) -> Decimal | None:
    text = (raw or "").strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = text.replace("€", "").replace("EUR", "")
    if not text:
        return None
    if "," in text and "." in text:  # 1.234,56 or 1,234.56: the last one is decimal
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(raw) from error
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValueError(raw)
    return value.quantize(Decimal("0.01"))


def _parse_date(raw: str) -> date:
    text = (raw or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(raw)


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    unknown = []
    for index, name in enumerate(header):
        if not name.strip():
            continue
        key = _BY_ALIAS.get(_normalise(name))
        if key is None:
            unknown.append(name.strip())
        elif key in columns:
            raise StatementFormatError(
                _("The column “%(name)s” appears twice.") % {"name": name.strip()}
            )
        else:
            columns[key] = index
    if unknown:
        raise StatementFormatError(
            _("Unknown column(s): %(unknown)s. Accepted columns: %(accepted)s.")
            % {"unknown": ", ".join(unknown), "accepted": ACCEPTED_NAMES}
        )
    missing = []
    if "date" not in columns:
        missing.append("Date")
    if "amount" not in columns and "credit" not in columns:
        missing.append("Montant/Amount " + _("or") + " Crédit/Credit")
    if missing:
        raise StatementFormatError(
            _("Missing column(s): %(missing)s. Accepted columns: %(accepted)s.")
            % {"missing": ", ".join(missing), "accepted": ACCEPTED_NAMES}
        )
    return columns


def parse_csv(text: str) -> list[ParsedLine]:
    """Credit lines in EUR of a CSV statement; raises StatementFormatError naming the problem."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=";,")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise StatementFormatError(_("The file is empty."))
    columns = _columns(rows[0])
    lines: list[ParsedLine] = []
    errors: list[str] = []

    def cell(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue
        try:
            booking_date = _parse_date(cell(row, "date"))
        except ValueError:
            errors.append(
                _("Row %(row)s: “%(value)s” is not a date (dd/mm/yyyy or yyyy-mm-dd).")
                % {"row": number, "value": cell(row, "date")}
            )
            continue
        try:
            if "amount" in columns:
                amount = _parse_amount(cell(row, "amount"))
            else:
                amount = _parse_amount(cell(row, "credit"))
                if amount is None and "debit" in columns and cell(row, "debit"):
                    _parse_amount(cell(row, "debit"))  # validated, then skipped
        except ValueError as error:
            errors.append(
                _("Row %(row)s: “%(value)s” is not an amount.")
                % {"row": number, "value": error.args[0]}
            )
            continue
        currency = (cell(row, "currency") or "EUR").upper()
        if amount is None or amount <= 0 or currency != "EUR":
            continue  # a debit, or a foreign currency: not a client payment we match
        lines.append(
            ParsedLine(
                line_number=number,
                booking_date=booking_date,
                amount=amount,
                currency=currency,
                counterparty=cell(row, "counterparty")[:200],
                reference=cell(row, "reference")[:500],
            )
        )
    if errors:
        raise StatementFormatError(errors)
    return lines
