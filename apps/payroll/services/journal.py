"""The payroll journal of a run as CSV: one row per line code, then the payslip totals.

Format (docs/payroll-run.md): UTF-8 with a BOM, `;` separator and French decimal comma, so
that a French spreadsheet opens it as numbers; streamed row by row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.payroll.selectors import Journal


class _Echo:
    def write(self, value: str) -> str:
        return value


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def journal_csv_rows(journal: Journal) -> Iterator[list[str]]:
    yield [
        _("Code"),
        _("Group"),
        _("Label"),
        _("Payslips"),
        _("Base"),
        _("Employee amount"),
        _("Employer amount"),
    ]
    for line in journal.lines:
        yield [
            line.code,
            line.group,
            line.label_fr,
            str(line.count),
            _amount(line.base),
            _amount(line.employee_amount),
            _amount(line.employer_amount),
        ]
    totals = [
        (_("Total gross"), journal.gross),
        (_("Total employee contributions"), journal.employee_contributions),
        (_("Total employer contributions"), journal.employer_contributions),
        (_("Total net before income tax"), journal.net_before_income_tax),
        (_("Total income tax withheld"), journal.income_tax),
        (_("Total net paid"), journal.net_paid),
        (_("Total employer cost"), journal.employer_cost),
    ]
    for label, value in totals:
        yield ["TOTAL", "", str(label), str(journal.payslip_count), _amount(value), "", ""]


def journal_csv_stream(journal: Journal) -> Iterator[str]:
    """Lines of the CSV file, for a StreamingHttpResponse."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    for row in journal_csv_rows(journal):
        yield writer.writerow(row)


def journal_filename(journal: Journal) -> str:
    return f"payroll-journal-{journal.run.period:%Y-%m}.csv"
