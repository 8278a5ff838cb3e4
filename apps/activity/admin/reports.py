"""Back-office screens for activity reports (CRA).

Lists filtered by what each report waits for (the client's approval, staff validation,
invoicing); the change page is read-only and shows the month calendar. Changes go through
the services only: list actions "validate selected" (bulk, each report validated or refused
with its reason) and "reject selected" (a form asking the reason); on one report, the
actions validate, reject and record an approval received another way (with its proof).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display
from unfold.widgets import (
    UnfoldAdminFileFieldWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from apps.core.admin_mixins import ActionsOnlyAdminMixin
from apps.core.errors import DomainError

from ..models.reports import ActivityReport, ActivityReportStatus, ApprovalToken
from ..selectors.reports import activity_report_amount_preview, activity_report_calendar
from ..services import reports as services

Status = ActivityReportStatus
ACTION_TEMPLATE = "activity/reports/admin/action_form.html"
BULK_REJECT_TEMPLATE = "activity/reports/admin/bulk_reject.html"

STATUS_LABELS = {
    Status.DRAFT: "info",
    Status.SUBMITTED: "warning",
    Status.CLIENT_APPROVED: "primary",
    Status.VALIDATED: "success",
    Status.INVOICED: "default",
}


class AwaitingFilter(SimpleListFilter):
    title = _("waiting for")
    parameter_name = "awaiting"

    CHOICES = {
        "client": (_("Awaiting client approval"), {"status": Status.SUBMITTED}),
        "validation": (_("Awaiting validation"), {"status": Status.CLIENT_APPROVED}),
        "invoicing": (_("Awaiting invoicing"), {"status": Status.VALIDATED}),
        "rejected": (
            _("Rejected, back with the consultant"),
            {"status": Status.DRAFT, "rejected_at__isnull": False},
        ),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _filters) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        choice = self.CHOICES.get(self.value() or "")
        return queryset.filter(**choice[1]) if choice else queryset


# --- forms ------------------------------------------------------------------------------------
class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for rejection"),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=_("Sent to the consultant, who corrects the report and submits it again."),
    )

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class RecordApprovalForm(forms.Form):
    approver_name = forms.CharField(
        label=_("approved for the client by"), max_length=200, widget=UnfoldAdminTextInputWidget
    )
    proof_file = forms.FileField(
        label=_("proof of approval (PDF, PNG or JPEG, 10 MB max)"),
        widget=UnfoldAdminFileFieldWidget,
    )
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 2}),
    )

    def service_kwargs(self) -> dict:
        return {
            "approver_name": self.cleaned_data["approver_name"],
            "proof_file": self.cleaned_data["proof_file"],
            "comment": self.cleaned_data["comment"],
        }


class ConfirmForm(forms.Form):
    def service_kwargs(self) -> dict:
        return {}


def add_service_errors(form: forms.Form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    elif isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(error))


# --- admin ------------------------------------------------------------------------------------
class ApprovalTokenInline(TabularInline):
    """The approval links sent (only their hash is stored: the link itself is unknown)."""

    model = ApprovalToken
    extra = 0
    can_delete = False
    fields = ["sent_to", "created_at", "expires_at", "used_at", "used_action"]
    readonly_fields = fields
    ordering = ["-created_at"]
    verbose_name_plural = _("approval links sent")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActivityReport)
class ActivityReportAdmin(ActionsOnlyAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = [
        "month_display",
        "consultant",
        "contract_display",
        "status_badge",
        "days_total",
        "amount",
        "submitted_at",
    ]
    list_filter = [AwaitingFilter, "status", "month"]
    search_fields = [
        "consultant__last_name",
        "consultant__first_name",
        "commercial_contract__reference",
        "commercial_contract__client__legal_name",
    ]
    list_select_related = ["consultant", "commercial_contract", "commercial_contract__client"]
    ordering = ["-month", "-pk"]
    date_hierarchy = "month"
    inlines = [ApprovalTokenInline]
    actions = ["validate_selected", "reject_selected"]
    actions_detail = ["action_validate", "action_record_approval", "action_reject"]
    history_list_display = ["status", "days_total", "amount"]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    ("consultant", "commercial_contract"),
                    ("month", "status"),
                    ("days_total", "daily_rate", "amount"),
                    "calendar_display",
                )
            },
        ),
        (
            _("Approval and validation"),
            {
                "fields": (
                    ("submitted_at", "submitted_by"),
                    ("client_approved_at", "client_approver_name", "client_approval_channel"),
                    "client_approval_comment",
                    ("approval_proof_link", "approval_recorded_by"),
                    ("validated_at", "validated_by"),
                    ("invoiced_at", "invoice_reference"),
                )
            },
        ),
        (
            _("Last rejection"),
            {
                "fields": (
                    ("rejected_at", "rejected_by_kind", "rejected_by_name"),
                    "rejection_reason",
                )
            },
        ),
        (None, {"fields": (("created_by", "created_at", "updated_at"),)}),
    ]
    readonly_fields = [
        "consultant",
        "commercial_contract",
        "month",
        "status",
        "days_total",
        "daily_rate",
        "amount",
        "calendar_display",
        "submitted_at",
        "submitted_by",
        "client_approved_at",
        "client_approver_name",
        "client_approval_channel",
        "client_approval_comment",
        "approval_proof_link",
        "approval_recorded_by",
        "validated_at",
        "validated_by",
        "invoiced_at",
        "invoice_reference",
        "rejected_at",
        "rejected_by_kind",
        "rejected_by_name",
        "rejection_reason",
        "created_by",
        "created_at",
        "updated_at",
    ]

    # Created by consultants (portal, API); changed only through the actions.
    actions_only_message = _("Activity reports change through the actions only.")

    # --- displays -----------------------------------------------------------------------------
    @display(description=_("month"), ordering="month")
    def month_display(self, obj: ActivityReport) -> str:
        return obj.month.strftime("%m/%Y")

    @display(description=_("contract"), ordering="commercial_contract__reference")
    def contract_display(self, obj: ActivityReport) -> str:
        return f"{obj.commercial_contract.reference} — {obj.commercial_contract.client.legal_name}"

    @display(description=_("status"), ordering="status", label=STATUS_LABELS)
    def status_badge(self, obj: ActivityReport):
        return obj.status, obj.get_status_display()

    @display(description=_("calendar"))
    def calendar_display(self, obj: ActivityReport) -> str:
        if obj is None or obj.pk is None:
            return "-"
        return mark_safe(  # noqa: S308 - rendered by our own template with autoescape
            render_to_string(
                "activity/reports/admin/calendar.html",
                {
                    "calendar": activity_report_calendar(obj),
                    "amount": activity_report_amount_preview(obj),
                },
            )
        )

    @display(description=_("proof of approval"))
    def approval_proof_link(self, obj: ActivityReport) -> str:
        if not obj or not obj.approval_proof:
            return "-"
        url = reverse("admin:activity_activityreport_proof", args=[obj.pk])
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("Download"))

    # --- proof download (staff only, never a public media URL) --------------------------------
    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/download/proof/",
                self.admin_site.admin_view(self.download_proof),
                name="activity_activityreport_proof",
            )
        ]
        return urls + super().get_urls()

    def download_proof(self, request, object_id):
        report = self.get_queryset(request).filter(pk=object_id).first()
        if report is None or not self.has_view_permission(request, report):
            raise Http404
        proof = report.approval_proof
        if not proof or not proof.storage.exists(proof.name):
            raise Http404
        extension = proof.name.rsplit(".", 1)[-1]
        return FileResponse(
            proof.open("rb"), filename=f"approval-{report.pk}.{extension}", as_attachment=True
        )

    # --- list actions -------------------------------------------------------------------------
    @admin.action(description=_("Validate the selected reports"), permissions=["change"])
    def validate_selected(self, request, queryset):
        result = services.activity_reports_validate_bulk(
            reports=list(queryset.order_by("month", "pk")), by=request.user
        )
        if result.validated:
            count = len(result.validated)
            self.message_user(
                request,
                ngettext("%(count)d report validated.", "%(count)d reports validated.", count)
                % {"count": count},
                messages.SUCCESS,
            )
        for report, reason in result.refused:
            self.message_user(
                request,
                _("Not validated: %(report)s — %(reason)s") % {"report": report, "reason": reason},
                messages.ERROR,
            )

    @admin.action(
        description=_("Reject the selected reports (back to draft)"), permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            rejected, refused = 0, []
            for report in queryset.order_by("month", "pk"):
                try:
                    services.activity_report_reject(
                        report=report, by=request.user, reason=form.cleaned_data["reason"]
                    )
                    rejected += 1
                except (DomainError, ValidationError) as error:
                    refused.append((report, error))
            if rejected:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d report sent back to draft.",
                        "%(count)d reports sent back to draft.",
                        rejected,
                    )
                    % {"count": rejected},
                    messages.SUCCESS,
                )
            for report, error in refused:
                reason = (
                    error.message if isinstance(error, DomainError) else "; ".join(error.messages)
                )
                self.message_user(
                    request,
                    _("Not rejected: %(report)s — %(reason)s")
                    % {"report": report, "reason": reason},
                    messages.ERROR,
                )
            return None
        return TemplateResponse(
            request,
            BULK_REJECT_TEMPLATE,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Reject activity reports"),
                "form": form,
                "reports": queryset.select_related("consultant", "commercial_contract"),
                "action_name": "reject_selected",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # --- detail actions -----------------------------------------------------------------------
    def _report(self, request, object_id) -> ActivityReport | None:
        if not str(object_id).isdigit():
            return None
        cache = request.__dict__.setdefault("_activity_reports", {})
        if str(object_id) not in cache:
            cache[str(object_id)] = self.get_queryset(request).filter(pk=object_id).first()
        return cache[str(object_id)]

    def _in_status(self, request, object_id, statuses) -> bool:
        if object_id is None or not self.has_change_permission(request):
            return False
        report = self._report(request, object_id)
        return report is not None and report.status in statuses

    def has_validate_permission(self, request, object_id=None) -> bool:
        return self._in_status(request, object_id, {Status.CLIENT_APPROVED})

    def has_record_approval_permission(self, request, object_id=None) -> bool:
        return self._in_status(request, object_id, {Status.SUBMITTED})

    def has_reject_permission(self, request, object_id=None) -> bool:
        return self._in_status(request, object_id, ActivityReport.REJECTABLE)

    def _action_page(self, request, object_id, *, title, form_class, run, success, intro=""):
        report = self._report(request, object_id)
        if report is None:
            raise Http404
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        posted = request.method == "POST"
        form = form_class(request.POST if posted else None, request.FILES if posted else None)
        change_url = reverse("admin:activity_activityreport_change", args=[report.pk])
        if posted and form.is_valid():
            try:
                run(report=report, by=request.user, **form.service_kwargs())
            except (ValidationError, DomainError) as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, success, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": report,
            "title": title,
            "form": form,
            "intro": intro,
            "multipart": any(field.widget.needs_multipart_form for field in form.fields.values()),
            "change_url": change_url,
            "calendar": activity_report_calendar(report),
            "amount": activity_report_amount_preview(report),
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    @action(
        description=_("Validate"), permissions=["validate"], url_path="validate", icon="task_alt"
    )
    def action_validate(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Validate the report"),
            form_class=ConfirmForm,
            run=services.activity_report_validate,
            success=_("Report validated."),
            intro=_(
                "The client approved these days. Once validated, the report is the basis of"
                " the invoice and of the consultant's pay (PR-22)."
            ),
        )

    @action(
        description=_("Record the client's approval"),
        permissions=["record_approval"],
        url_path="record-approval",
        icon="verified",
    )
    def action_record_approval(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Record an approval received another way"),
            form_class=RecordApprovalForm,
            run=services.activity_report_record_approval,
            success=_("Approval recorded."),
            intro=_(
                "Attach the client's approval (e-mail printed to PDF, signed scan or photo)."
                " The approval link sent to the client stops working."
            ),
        )

    @action(description=_("Reject"), permissions=["reject"], url_path="reject", icon="undo")
    def action_reject(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Send the report back to draft"),
            form_class=RejectForm,
            run=services.activity_report_reject,
            success=_("Report sent back to the consultant."),
        )
