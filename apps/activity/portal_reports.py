"""The consultant's activity reports in the portal (routed under /portal/, namespace "portal").

- activity-reports/                 my reports and the "new report" form
- activity-reports/new/             POST: create a draft (contract + month), then edit it
- activity-reports/<id>/            the month calendar: save as draft or submit

Someone else's report is a 404 (the reads go through activity_reports_for_user).
"""

import re
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.commercial_contracts.selectors import commercial_contract_terms_at
from apps.core.errors import DomainError
from apps.portal.views import consultant_required

from .models.reports import ActivityReportStatus
from .selectors.reports import (
    activity_report_amount,
    activity_report_amount_preview,
    activity_report_calendar,
    activity_report_contract_choices,
    activity_report_with_days,
    activity_reports_for_user,
)
from .services.calendar import month_calendar, month_first, parse_fraction
from .services.reports import (
    activity_report_create,
    activity_report_set_days,
    activity_report_submit,
)

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
DAY_FIELD = "day-%s"

STATUS_BADGES = {
    ActivityReportStatus.DRAFT: "",
    ActivityReportStatus.SUBMITTED: "badge--warning",
    ActivityReportStatus.CLIENT_APPROVED: "badge--success",
    ActivityReportStatus.VALIDATED: "badge--success",
    ActivityReportStatus.INVOICED: "badge--success",
}


class NewReportForm(forms.Form):
    commercial_contract = forms.TypedChoiceField(label=_("Mission"), coerce=int)
    month = forms.CharField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("Format YYYY-MM, e.g. 2026-05."),
    )

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.contracts = {contract.pk: contract for contract in contracts}
        self.fields["commercial_contract"].choices = [
            (contract.pk, f"{contract.reference} — {contract.client.legal_name}")
            for contract in contracts
        ]
        self.fields["month"].widget.attrs["max"] = timezone.localdate().strftime("%Y-%m")

    def clean_month(self) -> date:
        match = MONTH_RE.match((self.cleaned_data.get("month") or "").strip())
        if not match or not (
            2000 <= int(match.group(1)) <= 2100 and 1 <= int(match.group(2)) <= 12
        ):
            raise ValidationError(_("Give the month as YYYY-MM, e.g. 2026-05."))
        return date(int(match.group(1)), int(match.group(2)), 1)

    def clean_commercial_contract(self):
        return self.contracts[self.cleaned_data["commercial_contract"]]


def _add_errors(form: forms.Form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    elif isinstance(error, DomainError):
        form.add_error(None, error.message)
    else:
        for message in getattr(error, "messages", [str(error)]):
            form.add_error(None, message)


def _list_page(request, form: NewReportForm, status: int = 200):
    reports = activity_reports_for_user(request.user).order_by("-month", "-pk")
    return render(
        request,
        "portal/activity_reports.html",
        {
            "nav_active": "activity_reports",
            "reports": [
                {"report": report, "badge": STATUS_BADGES.get(report.status, "")}
                for report in reports
            ],
            "form": form,
            "has_contracts": bool(form.contracts),
            "current_month": month_first(timezone.localdate()).strftime("%Y-%m"),
        },
        status=status,
    )


@consultant_required
def activity_reports(request):
    contracts = activity_report_contract_choices(request.consultant)
    form = NewReportForm(
        contracts=contracts,
        initial={"month": month_first(timezone.localdate()).strftime("%Y-%m")},
    )
    return _list_page(request, form)


@consultant_required
@require_POST
def activity_report_new(request):
    contracts = activity_report_contract_choices(request.consultant)
    form = NewReportForm(request.POST, contracts=contracts)
    if form.is_valid():
        try:
            report = activity_report_create(
                commercial_contract=form.cleaned_data["commercial_contract"],
                month=form.cleaned_data["month"],
                created_by=request.user,
            )
        except (ValidationError, DomainError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Report created: fill in the days worked, then submit it."))
            return redirect("portal:activity_report_edit", pk=report.pk)
    return _list_page(request, form, status=400)


def _posted_days(request, report) -> dict:
    """{day: raw value} for every day of the month (a missing field = not worked)."""
    return {
        calendar_day.day: request.POST.get(DAY_FIELD % calendar_day.day.isoformat(), "")
        for calendar_day in month_calendar(month=report.month).days
    }


def _preview_calendar(report, posted: dict):
    """The calendar with what was posted (valid values only), to show the form again."""
    base = activity_report_calendar(report)
    worked = {}
    for day, raw in posted.items():
        try:
            fraction = parse_fraction(raw)
        except ValueError:
            continue
        if fraction:
            worked[day] = fraction
    return month_calendar(
        month=report.month,
        contract_start=base.contract_start,
        contract_end=base.contract_end,
        worked=worked,
    )


def _day_rates(report, calendar) -> dict[str, str | None]:
    """{"2026-05-04": "600.00"} for the selectable days: the live total in the page."""
    rates = {}
    for day in calendar.days:
        if day.selectable:
            terms = commercial_contract_terms_at(
                contract=report.commercial_contract, on_date=day.day
            )
            rate = terms.daily_rate if terms is not None else None
            rates[day.day.isoformat()] = str(rate) if rate is not None else None
    return rates


@consultant_required
@require_http_methods(["GET", "POST"])
def activity_report_edit(request, pk: int):
    report = activity_report_with_days(pk, activity_reports_for_user(request.user))
    if report is None:
        raise Http404
    errors: list[str] = []
    calendar = None
    if request.method == "POST":
        if not report.is_editable:
            messages.error(
                request,
                _("This report is “%(status)s”: it can no longer be changed.")
                % {"status": report.get_status_display()},
            )
            return redirect("portal:activity_report_edit", pk=report.pk)
        posted = _posted_days(request, report)
        submit = request.POST.get("action") == "submit"
        try:
            activity_report_set_days(report=report, days=posted, by=request.user)
        except ValidationError as error:
            errors = error.messages
            calendar = _preview_calendar(report, posted)
        except DomainError as error:
            errors = [str(error.message)]
        else:
            if not submit:
                messages.success(request, _("Draft saved."))
                return redirect("portal:activity_report_edit", pk=report.pk)
            try:
                activity_report_submit(report=report, by=request.user)
            except (ValidationError, DomainError) as error:
                message = (
                    error.message if isinstance(error, DomainError) else " ".join(error.messages)
                )
                messages.error(
                    request,
                    _("Days saved as a draft, but the report was not submitted: %(reason)s")
                    % {"reason": message},
                )
            else:
                messages.success(
                    request,
                    _("Report submitted: the client has been sent a link to approve it."),
                )
            return redirect("portal:activity_report_edit", pk=report.pk)
    if calendar is None:
        calendar = activity_report_calendar(report)
    if report.is_editable:
        amount = activity_report_amount(
            contract=report.commercial_contract,
            worked={day.day: day.fraction for day in calendar.worked_days},
        )
    else:
        amount = activity_report_amount_preview(report)
    return render(
        request,
        "portal/activity_report_edit.html",
        {
            "nav_active": "activity_reports",
            "report": report,
            "contract": report.commercial_contract,
            "calendar": calendar,
            "amount": amount,
            "day_rates": _day_rates(report, calendar),
            "errors": errors,
            "badge": STATUS_BADGES.get(report.status, ""),
        },
        status=400 if errors else 200,
    )


urlpatterns = [
    path("activity-reports/", activity_reports, name="activity_reports"),
    path("activity-reports/new/", activity_report_new, name="activity_report_create"),
    path("activity-reports/<int:pk>/", activity_report_edit, name="activity_report_edit"),
]
