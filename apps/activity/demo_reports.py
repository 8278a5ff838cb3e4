"""Demo activity reports for `seed_demo`, on the demo contracts in force (DEMO-CC-04/05/06 of
apps/commercial_contracts/demo.py), for the months before the current one, in every step:

- DEMO-CC-04 (the portal demo consultant): two months ago validated, last month submitted
  (its approval link is printed by the console e-mail backend); the current month is left
  free for the consultant to fill in the portal.
- DEMO-CC-05 (amended last month: two daily rates in the month): two months ago approved by
  the client (recorded by staff with a proof), last month rejected by the client, back in
  draft with the reason.
- DEMO-CC-06: three and two months ago validated, last month approved by the client through
  the link (ready for bulk validation).

Idempotent: a (contract, month) that already has a report is left alone. Everything goes
through the services. Dates are relative to today.
"""

import io
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.commercial_contracts.models import CommercialContract
from apps.commercial_contracts.selectors import contract_period

from .models.reports import ActivityReport, ActivityReportStatus
from .selectors.reports import activity_report_recipient
from .services import reports as services
from .services.calendar import add_months, month_calendar, month_last

DEMO_STAFF_EMAIL = "staff@demo.portage.test"

Status = ActivityReportStatus

# (contract purchase order reference, months before the current one, target step)
PLAN = [
    ("DEMO-CC-04", 2, Status.VALIDATED),
    ("DEMO-CC-04", 1, Status.SUBMITTED),
    ("DEMO-CC-05", 2, Status.CLIENT_APPROVED),
    ("DEMO-CC-05", 1, "rejected_by_client"),
    ("DEMO-CC-06", 3, Status.VALIDATED),
    ("DEMO-CC-06", 2, Status.VALIDATED),
    ("DEMO-CC-06", 1, Status.CLIENT_APPROVED),
]


def _staff_user():
    User = get_user_model()
    return (
        User.objects.filter(email=DEMO_STAFF_EMAIL).first()
        or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    )


def _proof_pdf() -> bytes:
    """A one-page PDF standing for the client's approval e-mail printed to PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _days(contract: CommercialContract, month: date) -> dict[date, Decimal]:
    """The working days of the month inside the contract, minus one in seven (leave,
    prospection), and one half day."""
    start, end = contract_period(contract)
    calendar = month_calendar(month=month, contract_start=start, contract_end=end)
    selectable = [day.day for day in calendar.days if day.selectable]
    days = {day: Decimal("1") for index, day in enumerate(selectable) if index % 7 != 6}
    if len(days) > 2:
        days[sorted(days)[2]] = Decimal("0.5")
    return days


def _advance(report: ActivityReport, target: str, staff) -> ActivityReport:
    consultant_user = report.consultant.user
    report = services.activity_report_set_days(
        report=report, days=_days(report.commercial_contract, report.month), by=consultant_user
    )
    if target == Status.DRAFT:
        return report
    report, token = services.submit_with_link(report=report, by=consultant_user)
    contact = activity_report_recipient(report)
    approver = f"{contact.first_name} {contact.last_name}".strip() if contact else "Client"
    if target == Status.SUBMITTED:
        return report
    if target == "rejected_by_client":
        return services.activity_report_client_reject(
            token=token,
            approver_name=approver,
            reason="Le 2e jour déclaré n'a pas été travaillé chez nous : merci de corriger.",
        )
    if target == Status.CLIENT_APPROVED and report.commercial_contract.purchase_order_reference == (
        "DEMO-CC-05"
    ):
        return services.activity_report_record_approval(
            report=report,
            by=staff,
            proof_file=_proof_pdf(),
            approver_name=approver,
            comment="Validation reçue par e-mail.",
        )
    report = services.activity_report_client_approve(
        token=token, approver_name=approver, comment="Conforme, merci."
    )
    if target == Status.CLIENT_APPROVED:
        return report
    return services.activity_report_validate(report=report, by=staff)


@transaction.atomic
def seed_activity_reports() -> list[ActivityReport]:
    """Create the missing demo reports; returns every demo report (found or created)."""
    today = timezone.localdate()
    current = today.replace(day=1)
    staff = _staff_user()
    contracts = {
        contract.purchase_order_reference: contract
        for contract in CommercialContract.objects.filter(
            purchase_order_reference__in={key for key, _months, _target in PLAN},
            status__in=CommercialContract.IN_FORCE,
        ).select_related("consultant", "consultant__user", "client")
    }
    reports = []
    for key, months_ago, target in PLAN:
        contract = contracts.get(key)
        if contract is None:
            continue
        month = add_months(current, -months_ago)
        period = contract_period(contract)
        if period is None or period[0] > month_last(month) or period[1] < month:
            continue
        existing = ActivityReport.objects.filter(commercial_contract=contract, month=month).first()
        if existing is None:
            existing = services.activity_report_create(
                commercial_contract=contract, month=month, created_by=contract.consultant.user
            )
            existing = _advance(existing, target, staff)
        reports.append(existing)
    return reports
