"""Back-office of payroll runs: start a run (period form with its warnings), follow its
progress, resume it, read and export its journal. Runs change only through the services."""

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from apps.core.admin_mixins import ActionsOnlyAdminMixin
from apps.core.errors import DomainError

from .models import PayoutRequest, PayrollRun, PayrollRunStatus
from .selectors import (
    payroll_run_counts,
    payroll_run_failures,
    payroll_run_journal,
    payroll_run_list,
)
from .services import (
    journal_csv_stream,
    journal_filename,
    payout_request_cancel,
    payout_request_check,
    payout_request_set,
    payroll_run_start,
)
from .tasks import payroll_run_schedule

START_TEMPLATE = "payroll/admin/start_run.html"
DETAIL_TEMPLATE = "payroll/admin/run_progress.html"
JOURNAL_TEMPLATE = "payroll/admin/journal.html"


def _previous_month() -> date:
    today = timezone.localdate().replace(day=1)
    return (today - timezone.timedelta(days=1)).replace(day=1)


class StartRunForm(forms.Form):
    period = forms.DateField(
        label=_("Pay period"),
        help_text=_("Any day of the month to pay, e.g. 01/01/2026."),
        initial=_previous_month,
    )


@admin.register(PayrollRun)
class PayrollRunAdmin(ActionsOnlyAdminMixin, ModelAdmin):
    actions_only_message = _("A payroll run changes only through its actions.")
    list_display = ["__str__", "status_display", "done_count", "failed_count"]
    list_display += ["skipped_count", "pending_count", "started_by", "finished_at"]
    list_filter = ["status"]
    actions_list = ["action_start"]
    actions_detail = ["action_resume", "action_journal"]
    readonly_fields = ["period", "status", "started_by", "started_at", "finished_at"]
    fields = readonly_fields

    def get_queryset(self, request):
        return payroll_run_list()

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("payroll.view_payrollrun")

    @display(description=_("status"), label=True)
    def status_display(self, obj):
        return obj.get_status_display()

    @display(description=_("payslips created"))
    def done_count(self, obj):
        return obj.items_done

    @display(description=_("failed"))
    def failed_count(self, obj):
        return obj.items_failed

    @display(description=_("skipped"))
    def skipped_count(self, obj):
        return obj.items_skipped

    @display(description=_("to do"))
    def pending_count(self, obj):
        return obj.items_pending

    def get_urls(self):
        return [
            path(
                "<path:object_id>/journal.csv",
                self.admin_site.admin_view(self.journal_csv),
                name="payroll_payrollrun_journal_csv",
            )
        ] + super().get_urls()

    # --- start ---------------------------------------------------------------------------
    def has_start_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("payroll.add_payrollrun")

    @action(description=_("Start the run"), permissions=["start"], url_path="start", icon="play")
    def action_start(self, request):
        form = StartRunForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = payroll_run_start(period=form.cleaned_data["period"], started_by=request.user)
            except (ValidationError, DomainError) as error:
                form.add_error("period", str(getattr(error, "message", error)))
            else:
                level = messages.WARNING if run.already_started else messages.SUCCESS
                self.message_user(request, run.notice, level)
                if not run.already_started:
                    payroll_run_schedule(run.pk)
                    for warning in run.warnings:
                        self.message_user(request, warning["message"], messages.WARNING)
                return HttpResponseRedirect(self._change_url(run))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Start the payroll run"),
            "form": form,
            "cancel_url": reverse("admin:payroll_payrollrun_changelist"),
        }
        return TemplateResponse(request, START_TEMPLATE, context)

    # --- detail: progress ------------------------------------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self._run(request, object_id)
        if request.method == "POST" or run is None:
            return super().change_view(request, object_id, form_url, extra_context)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": run,
            "title": _("Payroll run %(period)s") % {"period": run},
            "counts": payroll_run_counts(run),
            "failures": payroll_run_failures(run),
            "running": run.status in (PayrollRunStatus.PENDING, PayrollRunStatus.RUNNING),
            "journal_url": reverse("admin:payroll_payrollrun_action_journal", args=[run.pk]),
            "journal_csv_url": reverse("admin:payroll_payrollrun_journal_csv", args=[run.pk]),
            "resume_url": reverse("admin:payroll_payrollrun_action_resume", args=[run.pk]),
            "can_resume": self.has_resume_permission(request, object_id),
        }
        return TemplateResponse(request, DETAIL_TEMPLATE, context)

    def has_resume_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("payroll.change_payrollrun")

    @action(description=_("Resume (retry failures)"), permissions=["resume"], url_path="resume")
    def action_resume(self, request, object_id):
        run = self._run(request, object_id)
        if run is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(run))
        payroll_run_schedule(run.pk, retry_failed=True)
        self.message_user(request, _("The run resumes: pending and failed items are processed."))
        return HttpResponseRedirect(self._change_url(run))

    # --- journal ---------------------------------------------------------------------------
    @action(description=_("Journal"), url_path="journal", icon="table")
    def action_journal(self, request, object_id):
        run = self._run(request, object_id)
        if run is None:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": run,
            "title": _("Payroll journal %(period)s") % {"period": run},
            "journal": payroll_run_journal(run),
            "change_url": self._change_url(run),
            "csv_url": reverse("admin:payroll_payrollrun_journal_csv", args=[run.pk]),
        }
        return TemplateResponse(request, JOURNAL_TEMPLATE, context)

    def journal_csv(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = self._run(request, object_id)
        if run is None:
            raise Http404
        journal = payroll_run_journal(run)
        response = StreamingHttpResponse(
            journal_csv_stream(journal), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{journal_filename(journal)}"'
        return response

    def _run(self, request, object_id) -> PayrollRun | None:
        if not str(object_id).isdigit():
            return None
        return self.get_queryset(request).filter(pk=object_id).first()

    def _change_url(self, run) -> str:
        return reverse("admin:payroll_payrollrun_change", args=[run.pk])


class PayoutRequestAdminForm(forms.ModelForm):
    """Checked by the service (balance, minimum, month still open) before saving."""

    class Meta:
        model = PayoutRequest
        fields = ["consultant", "period", "amount"]

    def clean(self):
        data = super().clean()
        consultant, period, amount = (data.get(k) for k in ("consultant", "period", "amount"))
        if self.instance.pk:  # consultant and period are read-only on a change
            consultant, period = self.instance.consultant, self.instance.period
        if consultant and period and amount is not None:
            try:
                payout_request_check(consultant=consultant, period=period, amount=amount)
            except DomainError as error:
                raise ValidationError(str(error)) from error
        return data


@admin.register(PayoutRequest)
class PayoutRequestAdmin(ModelAdmin):
    """Staff record a consultant's pay-out request (asked by e-mail or phone); the portal
    is where consultants make their own. Saved and cancelled through the services."""

    form = PayoutRequestAdminForm
    list_display = ["consultant", "period_display", "amount", "requested_by", "updated_at"]
    list_filter = ["period"]
    search_fields = ["consultant__last_name", "consultant__first_name", "consultant__email"]
    autocomplete_fields = ["consultant"]
    list_select_related = ["consultant", "requested_by"]

    @display(description=_("pay period"), ordering="period")
    def period_display(self, obj: PayoutRequest) -> str:
        return obj.period.strftime("%m/%Y")

    def get_readonly_fields(self, request, obj=None):
        # Another consultant or month is another request.
        return ["consultant", "period"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = payout_request_set(
            consultant=obj.consultant, period=obj.period, amount=obj.amount, by=request.user
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        payout_request_cancel(consultant=obj.consultant, period=obj.period, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
