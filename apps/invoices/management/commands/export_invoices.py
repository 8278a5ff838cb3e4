"""Export issued invoices and credit notes (finance, acceptance checks; keep it stable):

    python manage.py export_invoices --format facturx --out DIR [--number F-2026-000123 ...]
                                     [--from 2026-01-01 --to 2026-12-31]

--format facturx writes <number>.pdf (the Factur-X PDF/A-3, rendered first when missing);
--format xml writes <number>.xml (the CII XML alone). Without a filter: every issued
document. Prints one written path per line. An unknown number is an error (exit code 1)
and nothing is written.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.invoices.models import Invoice, InvoiceStatus
from apps.invoices.services.documents import invoice_pdf_bytes
from apps.invoices.services.facturx import invoice_facturx_xml


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("Invalid date %(value)s: expected YYYY-MM-DD.") % {"value": value}
        ) from error


class Command(BaseCommand):
    help = "Write the Factur-X PDF (or the CII XML) of issued invoices and credit notes."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["facturx", "xml"], default="facturx")
        parser.add_argument("--out", required=True, help="Output directory (created if needed).")
        parser.add_argument("--number", nargs="+", default=[], help="Document numbers.")
        parser.add_argument("--from", dest="date_from", help="First issue date (YYYY-MM-DD).")
        parser.add_argument("--to", dest="date_to", help="Last issue date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        documents = (
            Invoice.objects.exclude(status=InvoiceStatus.DRAFT)
            .exclude(number__isnull=True)
            .select_related("credited_invoice")
            .order_by("issue_date", "number")
        )
        numbers = options["number"]
        if numbers:
            documents = documents.filter(number__in=numbers)
            unknown = sorted(set(numbers) - set(documents.values_list("number", flat=True)))
            if unknown:
                raise CommandError(
                    _("Unknown or not issued document number(s): %(numbers)s")
                    % {"numbers": ", ".join(unknown)}
                )
        if options["date_from"]:
            documents = documents.filter(issue_date__gte=_date(options["date_from"]))
        if options["date_to"]:
            documents = documents.filter(issue_date__lte=_date(options["date_to"]))

        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        as_xml = options["format"] == "xml"
        for invoice in documents:
            if as_xml:
                target = out / f"{invoice.number}.xml"
                target.write_bytes(invoice_facturx_xml(invoice))
            else:
                target = out / f"{invoice.number}.pdf"
                target.write_bytes(invoice_pdf_bytes(invoice=invoice))
            self.stdout.write(str(target))
