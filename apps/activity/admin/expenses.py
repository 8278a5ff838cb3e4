"""Back-office screens for expense claims.

The list filters claims by what they wait for (staff approval, reimbursement); the change
page is read-only with the lines inline and a link to each receipt, served through an
admin-only view (never a public media URL). Changes go through the services only: "approve
the selected claims" on the list; on one claim the actions approve, reject (a form asking
the reason) and reimburse (a form with the date, showing the available balance).
Staff approve and reject; staff and finance (change permission) reimburse.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminDateWidget, UnfoldAdminTextareaWidget

from apps.accounts.roles import Role, user_has_role
from apps.core.admin_mixins import ActionsOnlyAdminMixin
from apps.core.errors import DomainError
from apps.ledger.selectors import ledger_available

from ..api.expenses import receipt_response
from ..models.expenses import ExpenseClaim, ExpenseClaimStatus, ExpenseLine
from ..selectors.expenses import expense_claim_list
from ..services import expenses as services

Status = ExpenseClaimStatus
ACTION_TEMPLATE = "activity/expenses/admin/action_form.html"

STATUS_LABELS = {
    Status.DRAFT: "info",
    Status.SUBMITTED: "warning",
    Status.APPROVED: "primary",
    Status.REJECTED: "danger",
    Status.REIMBURSED: "success",
}


class AwaitingFilter(SimpleListFilter):
    title = _("waiting for")
    parameter_name = "awaiting"

    CHOICES = {
        "approval": (_("To approve"), {"status": Status.SUBMITTED}),
        "reimbursement": (_("To reimburse"), {"status": Status.APPROVED}),
        "rejected": (_("Rejected"), {"status": Status.REJECTED}),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _filters) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        choice = self.CHOICES.get(self.value() or "")
        return queryset.filter(**choice[1]) if choice else queryset


# --- forms ------------------------------------------------------------------------------------
class ConfirmForm(forms.Form):
    def service_kwargs(self) -> dict:
        return {}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for rejection"),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=_("Shown to the consultant, who may correct the claim and submit it again."),
    )

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class ReimburseForm(forms.Form):
    on_date = forms.DateField(
        label=_("date of the reimbursement"),
        widget=UnfoldAdminDateWidget,
        help_text=_("Date of the movement on the consultant's activity account."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_date"].initial = timezone.localdate()

    def service_kwargs(self) -> dict:
        return {"on_date": self.cleaned_data["on_date"]}


def add_service_errors(form: forms.Form, error: Exception) -> None:
    """Show a service's error next to its field (others at the top of the form)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message)
    elif isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(error))


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


# --- inline -----------------------------------------------------------------------------------
class ExpenseLineInline(TabularInline):
    """The lines, read-only; the receipt opens through the admin-only view."""

    model = ExpenseLine
    extra = 0
    can_delete = False
    show_change_link = False
    fields = [
        "date",
        "category",
        "description",
        "amount_ttc",
        "vat_amount",
        "mileage_display",
        "rebill_to_client",
        "rebilled_invoice_reference",
        "receipt_link",
    ]
    readonly_fields = fields
    ordering = ["date", "pk"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # The roles grant permissions on claims only; lines are part of the claim.
        return request.user.has_perm("activity.view_expenseclaim")

    @display(description=_("mileage"))
    def mileage_display(self, line: ExpenseLine) -> str:
        if not line.is_mileage:
            return "-"
        return _("%(distance)s km of %(yearly)s km/year, %(rate)s €/km (barème %(edition)s)") % {
            "distance": line.distance_km,
            "yearly": line.yearly_distance_km,
            "rate": line.mileage_rate_per_km,
            "edition": line.mileage_scale,
        }

    @display(description=_("receipt"))
    def receipt_link(self, line: ExpenseLine) -> str:
        if not line or not line.receipt:
            return "-"
        url = reverse("admin:activity_expenseclaim_receipt", args=[line.claim_id, line.pk])
        return format_html(
            '<a class="text-primary-600" href="{}" target="_blank" rel="noopener">{}</a>',
            url,
            _("Open the receipt"),
        )


# --- the claim --------------------------------------------------------------------------------
@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(ActionsOnlyAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = [
        "claim_display",
        "consultant",
        "contract_display",
        "status_badge",
        "total_ttc",
        "total_vat",
        "line_count_display",
        "submitted_at",
    ]
    list_filter = [AwaitingFilter, "status", "submitted_at"]
    search_fields = [
        "title",
        "consultant__last_name",
        "consultant__first_name",
        "commercial_contract__reference",
    ]
    ordering = ["-created_at", "-pk"]
    inlines = [ExpenseLineInline]
    actions = ["approve_selected"]
    actions_detail = ["action_approve", "action_reject", "action_reimburse"]
    history_list_display = ["status", "total_ttc"]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    ("consultant", "commercial_contract"),
                    ("title", "status"),
                    ("total_ttc", "total_vat"),
                )
            },
        ),
        (
            _("Approval and reimbursement"),
            {
                "fields": (
                    ("submitted_at", "submitted_by"),
                    ("approved_at", "approved_by"),
                    ("reimbursed_at", "reimbursed_by", "reimbursement_date"),
                )
            },
        ),
        (
            _("Last rejection"),
            {"fields": (("rejected_at", "rejected_by"), "rejection_reason")},
        ),
        (None, {"fields": (("created_by", "created_at", "updated_at"),)}),
    ]
    readonly_fields = [
        "consultant",
        "commercial_contract",
        "title",
        "status",
        "total_ttc",
        "total_vat",
        "submitted_at",
        "submitted_by",
        "approved_at",
        "approved_by",
        "reimbursed_at",
        "reimbursed_by",
        "reimbursement_date",
        "rejected_at",
        "rejected_by",
        "rejection_reason",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return expense_claim_list()

    # Created by consultants (portal, API); changed only through the actions.
    actions_only_message = _("Expense claims change through the actions only.")

    # --- displays -----------------------------------------------------------------------------
    @display(description=_("claim"), ordering="pk")
    def claim_display(self, claim: ExpenseClaim) -> str:
        return f"#{claim.pk} — {claim.title}"

    @display(description=_("mission"), ordering="commercial_contract__reference")
    def contract_display(self, claim: ExpenseClaim) -> str:
        contract = claim.commercial_contract
        if contract is None:
            return "-"
        return f"{contract.reference} — {contract.client.legal_name}"

    @display(description=_("status"), ordering="status", label=STATUS_LABELS)
    def status_badge(self, claim: ExpenseClaim):
        return claim.status, claim.get_status_display()

    @display(description=_("lines"))
    def line_count_display(self, claim: ExpenseClaim) -> int:
        return getattr(claim, "line_count", 0)

    # --- receipts (admin only, never a public media URL) --------------------------------------
    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/lines/<int:line_id>/receipt/",
                self.admin_site.admin_view(self.receipt_view),
                name="activity_expenseclaim_receipt",
            )
        ]
        return urls + super().get_urls()

    def receipt_view(self, request, object_id, line_id):
        claim = self.get_queryset(request).filter(pk=object_id).first()
        if claim is None or not self.has_view_permission(request, claim):
            raise Http404
        line = ExpenseLine.objects.filter(pk=line_id, claim=claim).first()
        if line is None:
            raise Http404
        return receipt_response(line)

    # --- permissions of the actions -----------------------------------------------------------
    def _claim(self, request, object_id) -> ExpenseClaim | None:
        if not str(object_id).isdigit():
            return None
        cache = request.__dict__.setdefault("_expense_claims", {})
        if str(object_id) not in cache:
            cache[str(object_id)] = self.get_queryset(request).filter(pk=object_id).first()
        return cache[str(object_id)]

    def _can_decide(self, request) -> bool:
        user = request.user
        is_staff_role = user.is_superuser or user_has_role(user, Role.STAFF)
        return is_staff_role and self.has_change_permission(request)

    def _claim_in(self, request, object_id, status) -> bool:
        claim = self._claim(request, object_id)
        return claim is not None and claim.status == status

    def has_approve_permission(self, request, object_id=None) -> bool:
        if not self._can_decide(request):
            return False
        return object_id is None or self._claim_in(request, object_id, Status.SUBMITTED)

    def has_reject_permission(self, request, object_id=None) -> bool:
        return self.has_approve_permission(request, object_id)

    def has_reimburse_permission(self, request, object_id=None) -> bool:
        if not self.has_change_permission(request):
            return False
        return object_id is None or self._claim_in(request, object_id, Status.APPROVED)

    # --- list action --------------------------------------------------------------------------
    @admin.action(description=_("Approve the selected claims"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        approved, refused = 0, []
        for claim in queryset.order_by("submitted_at", "pk"):
            try:
                services.expense_claim_approve(claim=claim, by=request.user)
                approved += 1
            except (DomainError, ValidationError) as error:
                refused.append((claim, error))
        if approved:
            self.message_user(
                request,
                ngettext("%(count)d claim approved.", "%(count)d claims approved.", approved)
                % {"count": approved},
                messages.SUCCESS,
            )
        for claim, error in refused:
            self.message_user(
                request,
                _("Not approved: %(claim)s — %(reason)s")
                % {"claim": claim, "reason": _error_text(error)},
                messages.ERROR,
            )

    # --- detail actions -----------------------------------------------------------------------
    def _action_page(
        self, request, object_id, *, title, form_class, run, success, intro="", danger=False
    ):
        claim = self._claim(request, object_id)
        if claim is None:
            raise Http404
        if not self.has_change_permission(request, claim):
            raise PermissionDenied
        posted = request.method == "POST"
        form = form_class(request.POST if posted else None)
        change_url = reverse("admin:activity_expenseclaim_change", args=[claim.pk])
        if posted and form.is_valid():
            try:
                run(claim=claim, by=request.user, **form.service_kwargs())
            except (ValidationError, DomainError) as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, success % {"claim": claim}, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": claim,
            "lines": claim.lines.order_by("date", "pk"),
            "available": ledger_available(claim.consultant),
            "title": title,
            "subtitle": str(claim),
            "form": form,
            "intro": intro,
            "danger": danger,
            "change_url": change_url,
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    @action(
        description=_("Approve"), permissions=["approve"], url_path="approve", icon="check_circle"
    )
    def action_approve(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Approve the claim"),
            form_class=ConfirmForm,
            run=services.expense_claim_approve,
            success=_("%(claim)s approved."),
            intro=_(
                "Check each receipt. Once approved, the claim can be reimbursed from the"
                " consultant's activity account and its rebillable lines go on the next invoice."
            ),
        )

    @action(description=_("Reject"), permissions=["reject"], url_path="reject", icon="cancel")
    def action_reject(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Reject the claim"),
            form_class=RejectForm,
            run=services.expense_claim_reject,
            success=_("%(claim)s rejected."),
            danger=True,
        )

    @action(
        description=_("Reimburse"), permissions=["reimburse"], url_path="reimburse", icon="payments"
    )
    def action_reimburse(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Reimburse the claim"),
            form_class=ReimburseForm,
            run=services.expense_claim_reimburse,
            success=_("%(claim)s reimbursed: the amount is taken from the activity account."),
            intro=_(
                "The total is taken from the consultant's activity account (one movement,"
                " never beyond the available balance)."
            ),
        )
