"""Draft invoices from staff-validated activity reports (PR-22: the validated CRA is the
basis of the invoice): one draft per commercial contract, one line per month and daily
rate (days × TJM), plus the approved expenses the contract rebills, at cost excl. VAT."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from apps.activity.models import ActivityReport, ActivityReportStatus
from apps.activity.selectors.expenses import expense_lines_to_rebill
from apps.activity.selectors.reports import activity_report_amount_preview
from apps.activity.services.calendar import month_last
from apps.core.errors import DomainError

from ...models import Invoice, InvoiceLine, LineUnit
from .drafts import invoice_create, line_create
from .vat import invoice_totals_recompute

# The line texts are part of the document, written in the client's language when the draft
# is created and frozen at issue: they do not depend on the interface's language.
REPORT_LINE = {
    "fr": "Prestation de {consultant} — {month} : {days} jours × {rate} €",
    "en": "Services of {consultant} — {month}: {days} days × €{rate}",
}
EXPENSE_LINE = {
    "fr": "Frais refacturés — {date} : {description}",
    "en": "Rebilled expenses — {date}: {description}",
}


def _number(value: Decimal, places: int | None, language: str) -> str:
    with translation.override(language):
        return formats.number_format(value, decimal_pos=places, use_l10n=True)


def _report_lines(report: ActivityReport, language: str) -> list[dict]:
    amount = activity_report_amount_preview(report)
    with translation.override(language):
        month = date_format(report.month, "F Y")
    lines = []
    for segment in amount.lines:
        if segment.daily_rate is None or segment.days <= 0:
            continue  # fixed-price days: the price is invoiced by hand, per the contract
        days = segment.days.normalize()
        lines.append(
            {
                "description": REPORT_LINE[language].format(
                    consultant=report.consultant,
                    month=month,
                    days=_number(days, None, language),
                    rate=_number(segment.daily_rate, 2, language),
                ),
                "quantity": segment.days,
                "unit": LineUnit.DAY,
                "unit_price_excl_tax": segment.daily_rate,
                "service_date_start": segment.first_day,
                "service_date_end": segment.last_day,
            }
        )
    return lines


def _check_reports(reports: list[ActivityReport]) -> None:
    errors = []
    on_invoice = dict(
        InvoiceLine.objects.filter(activity_report__in=reports).values_list(
            "activity_report_id", "invoice_id"
        )
    )
    for report in reports:
        label = _("Activity report %(month)s of %(consultant)s") % {
            "month": report.month.strftime("%m/%Y"),
            "consultant": report.consultant,
        }
        if report.status != ActivityReportStatus.VALIDATED:
            errors.append(
                _("%(report)s is “%(status)s”: only validated reports can be invoiced.")
                % {"report": label, "status": report.get_status_display()}
            )
        elif report.pk in on_invoice:
            errors.append(
                _("%(report)s is already on invoice #%(invoice)s.")
                % {"report": label, "invoice": on_invoice[report.pk]}
            )
    if errors:
        raise DomainError(" ".join(str(e) for e in errors), code="reports_not_invoiceable")


@transaction.atomic
def invoice_create_from_reports(*, reports, created_by) -> list[Invoice]:
    """One draft per commercial contract, its lines in month order. Any report refused
    (not validated, already on an invoice) refuses the whole batch: nothing is written."""
    ids = sorted({getattr(report, "pk", report) for report in reports})
    if not ids:
        raise ValidationError({"report_ids": _("Choose at least one activity report.")})
    locked = list(
        ActivityReport.objects.select_for_update(of=("self",))
        .select_related("commercial_contract__client", "consultant")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    missing = sorted(set(ids) - {report.pk for report in locked})
    if missing:
        raise ValidationError(
            {
                "report_ids": _("Unknown activity report(s): %(ids)s.")
                % {"ids": ", ".join(map(str, missing))}
            }
        )
    _check_reports(locked)
    by_contract: dict[int, list[ActivityReport]] = defaultdict(list)
    for report in locked:
        by_contract[report.commercial_contract_id].append(report)
    invoices = []
    for contract_reports in by_contract.values():
        contract_reports.sort(key=lambda report: report.month)
        invoices.append(_draft_for_contract(contract_reports, created_by))
    return invoices


def _draft_for_contract(reports: list[ActivityReport], created_by) -> Invoice:
    contract = reports[0].commercial_contract
    last_month_end = month_last(reports[-1].month)
    invoice = invoice_create(
        client=contract.client,
        consultant=reports[0].consultant,
        commercial_contract=contract,
        created_by=created_by,
        service_period_start=reports[0].month,
        service_period_end=last_month_end,
    )
    language = invoice.language if invoice.language in REPORT_LINE else "fr"
    for report in reports:
        lines = _report_lines(report, language)
        if not lines:
            raise DomainError(
                _(
                    "The activity report of %(month)s has no day at a daily rate: invoice the"
                    " fixed price by hand."
                )
                % {"month": report.month.strftime("%m/%Y")},
                code="report_without_daily_rate",
            )
        for index, values in enumerate(lines):
            # The report is linked from its first line only (invoiced once: DB constraint).
            line_create(invoice, activity_report=report if index == 0 else None, **values)
    for expense in expense_lines_to_rebill(commercial_contract=contract, up_to=last_month_end):
        with translation.override(language):
            day = formats.date_format(expense.date, "SHORT_DATE_FORMAT")
        line_create(
            invoice,
            description=EXPENSE_LINE[language].format(
                date=day, description=expense.description or expense.get_category_display()
            )[:300],
            quantity=Decimal("1"),
            unit=LineUnit.UNIT,
            unit_price_excl_tax=expense.amount_ht,
            service_date_start=expense.date,
            service_date_end=expense.date,
            expense_line=expense,
        )
    return invoice_totals_recompute(invoice=invoice)
