"""What a bank statement parser returns: the credit lines in EUR, already validated."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class ParsedLine:
    line_number: int  # the row (CSV, header = 1) or the entry's position (CAMT.053)
    booking_date: date
    amount: Decimal
    currency: str
    counterparty: str
    reference: str


class StatementFormatError(ValidationError):
    """The file is not a statement we can read; the message says why and what is expected."""
