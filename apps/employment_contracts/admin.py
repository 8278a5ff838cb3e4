"""Back-office screens for employment contracts. Saving and every business action go through
the services; the findings of the compliance check are shown on the contract page."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from apps.compliance.selectors import acknowledgements_for
from apps.core.errors import DomainError

from . import services
from .forms import (
    EmploymentContractAdminForm,
    EndForm,
    ProspectionExtensionForm,
    RenewForm,
    SignForm,
    TerminateForm,
)
from .models import EmploymentContract, EmploymentContractRenewal
from .selectors import employment_contract_list

S = EmploymentContract.Status


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class RenewalInline(TabularInline):
    """Renewals are amendments: added with the “Renew” action, never edited."""

    model = EmploymentContractRenewal
    extra = 0
    can_delete = False
    fields = ["number", "previous_end_date", "new_end_date", "signed_on", "reason", "created_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EmploymentContract)
class EmploymentContractAdmin(SimpleHistoryAdmin, ModelAdmin):
    form = EmploymentContractAdminForm
    inlines = [RenewalInline]
    list_display = [
        "reference",
        "consultant",
        "kind",
        "status_badge",
        "start_date",
        "end_display",
        "renewals_display",
    ]
    list_filter = ["status", "kind", "classification", "working_time_mode"]
    search_fields = ["reference", "consultant__last_name", "consultant__first_name"]
    autocomplete_fields = ["consultant"]
    filter_horizontal = ["commercial_contracts"]
    ordering = ["-start_date", "-pk"]
    history_list_display = ["status"]
    actions_detail = [
        "action_send_for_signature",
        "action_sign",
        "action_activate",
        "action_renew",
        "action_extend",
        "action_end",
        "action_terminate",
    ]
    readonly_fields = [
        "reference",
        "status",
        "findings_display",
        "acknowledgements_display",
        "planned_end_display",
        "prospection_extension_end",
        "prospection_extension_reason",
        "sent_for_signature_at",
        "signed_at",
        "signed_pdf",
        "activated_at",
        "ended_on",
        "terminated_on",
        "termination_reason",
        "pdf_link",
        "created_at",
        "updated_at",
    ]
    fieldsets = (
        (
            None,
            {"fields": (("reference", "status"), "findings_display", "acknowledgements_display")},
        ),
        (
            _("Contract"),
            {
                "fields": (
                    ("consultant", "kind"),
                    "commercial_contracts",
                    "cdd_reason",
                    ("term_type", "start_date"),
                    ("initial_end_date", "minimum_duration_months"),
                    "imprecise_term_event",
                    "planned_end_display",
                    ("prospection_extension_end", "prospection_extension_reason"),
                    "trial_period_end",
                    "consultant_expertise",
                )
            },
        ),
        (
            _("Working time and classification"),
            {
                "fields": (
                    ("working_time_mode", "days_per_year", "hours_per_week"),
                    ("status_cadre", "classification", "level_1_since"),
                )
            },
        ),
        (
            _("Salary terms"),
            {
                "fields": (
                    "salary_rule",
                    ("business_bonus_rate", "management_fee_rate"),
                    ("reserve_rate", "end_of_contract_indemnity_rate"),
                    "paid_leave_mode",
                    "professional_expenses_terms",
                )
            },
        ),
        (
            _("Signature and end"),
            {
                "fields": (
                    ("sent_for_signature_at", "signed_at", "activated_at"),
                    "signed_pdf",
                    ("ended_on", "terminated_on"),
                    "termination_reason",
                    "pdf_link",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )

    def get_queryset(self, request):
        return employment_contract_list()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != S.DRAFT:
            fields += [name for name in self.form.Meta.fields if name not in fields]
        elif obj is not None:
            fields.append("consultant")
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # A contract is a legal record: terminate it instead.
        return False

    # --- columns and read-only fields --------------------------------------------------------
    @display(
        description=_("status"),
        ordering="status",
        label={
            S.DRAFT: "info",
            S.SENT_FOR_SIGNATURE: "warning",
            S.SIGNED: "primary",
            S.ACTIVE: "success",
            S.ENDED: "default",
            S.TERMINATED: "danger",
        },
    )
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()

    @display(description=_("end"))
    def end_display(self, obj):
        return obj.effective_end_date or "-"

    @display(description=_("renewals"))
    def renewals_display(self, obj):
        return obj.renewal_count if obj.is_cdd else "-"

    @display(description=_("current planned end"))
    def planned_end_display(self, obj):
        if obj is None or obj.pk is None or not obj.planned_end_date:
            return "-"
        return obj.planned_end_date

    @display(description=_("compliance findings"))
    def findings_display(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        findings = services.employment_contract_check(contract=obj)
        return render_to_string("employment_contracts/admin/findings.html", {"findings": findings})

    @display(description=_("acknowledged warnings"))
    def acknowledgements_display(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return render_to_string(
            "employment_contracts/admin/acknowledgements.html",
            {"acknowledgements": acknowledgements_for(obj)},
        )

    @display(description=_("contract PDF"))
    def pdf_link(self, obj):
        if obj is None or not obj.pdf_file:
            return "-"
        url = reverse("api:employment-contract-pdf", args=[obj.pk])
        return mark_safe(f'<a href="{url}" class="text-primary-600">{obj.reference}.pdf</a>')  # noqa: S308 - url and reference are ours

    # --- saving through the services ---------------------------------------------------------
    def save_model(self, request, obj, form, change):
        editable = services.EDITABLE_FIELDS
        if not change:
            data = {k: v for k, v in form.cleaned_data.items() if k in editable}
            saved = services.employment_contract_create(
                consultant=form.cleaned_data["consultant"],
                commercial_contracts=form.cleaned_data.get("commercial_contracts") or [],
                created_by=request.user,
                **data,
            )
            obj.pk = saved.pk
            obj.refresh_from_db()
            return
        data = {k: form.cleaned_data[k] for k in form.changed_data if k in editable}
        links = None
        if "commercial_contracts" in form.changed_data:
            links = form.cleaned_data["commercial_contracts"]
        services.employment_contract_update(
            contract=obj, updated_by=request.user, commercial_contracts=links, **data
        )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The links to commercial contracts were saved by the service (no form.save_m2m());
        # the renewals inline is read-only, its formset saves nothing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (DomainError, ValidationError) as exc:
            self.message_user(request, _error_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # --- business actions (buttons on the contract page) ------------------------------------
    def _change_url(self, contract) -> str:
        return reverse("admin:employment_contracts_employmentcontract_change", args=[contract.pk])

    def _run(self, request, contract, run, success) -> HttpResponseRedirect | None:
        """Call a service; a refusal becomes an error message. None when refused."""
        try:
            run()
        except (DomainError, ValidationError) as exc:
            self.message_user(request, _error_text(exc), messages.ERROR)
            return None
        self.message_user(request, success, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(contract))

    def _simple(self, request, object_id, service, success):
        contract = get_object_or_404(EmploymentContract, pk=object_id)
        self._run(request, contract, lambda: service(contract=contract, by=request.user), success)
        return HttpResponseRedirect(self._change_url(contract))

    def _form_action(self, request, object_id, *, form_class, title, service, success, **extra):
        """A page with the action's form (GET), the service call (POST)."""
        contract = get_object_or_404(employment_contract_list(), pk=object_id)
        posted = request.method == "POST"
        form = form_class(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            data = {key: value for key, value in form.cleaned_data.items() if value is not None}
            done = self._run(
                request,
                contract,
                lambda: service(contract=contract, by=request.user, **data),
                success,
            )
            if done:
                return done
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": contract,
            "title": title,
            "form": form,
            "change_url": self._change_url(contract),
            **extra,
        }
        return TemplateResponse(request, "employment_contracts/admin/action_form.html", context)

    @action(
        description=_("Send for signature"), url_path="send-for-signature", permissions=["change"]
    )
    def action_send_for_signature(self, request, object_id):
        return self._simple(
            request,
            object_id,
            services.employment_contract_send_for_signature,
            _("The contract was sent for signature."),
        )

    @action(description=_("Sign"), url_path="sign", permissions=["change"])
    def action_sign(self, request, object_id):
        contract = get_object_or_404(employment_contract_list(), pk=object_id)
        return self._form_action(
            request,
            object_id,
            form_class=SignForm,
            title=_("Sign %(reference)s") % {"reference": contract.reference},
            service=services.employment_contract_sign,
            success=_("The contract is signed."),
            findings=services.employment_contract_check(contract=contract),
        )

    @action(description=_("Activate"), url_path="activate", permissions=["change"])
    def action_activate(self, request, object_id):
        return self._simple(
            request, object_id, services.employment_contract_activate, _("The contract is active.")
        )

    @action(description=_("Renew (CDD)"), url_path="renew", permissions=["change"])
    def action_renew(self, request, object_id):
        return self._form_action(
            request,
            object_id,
            form_class=RenewForm,
            title=_("Renew the CDD"),
            service=services.employment_contract_renew,
            success=_("The CDD was renewed."),
        )

    @action(
        description=_("Extend for prospection (CDD)"),
        url_path="extend-for-prospection",
        permissions=["change"],
    )
    def action_extend(self, request, object_id):
        return self._form_action(
            request,
            object_id,
            form_class=ProspectionExtensionForm,
            title=_("Postpone the term for prospection (L1254-13)"),
            service=services.employment_contract_extend_for_prospection,
            success=_("The term was postponed for prospection."),
        )

    @action(description=_("End of contract"), url_path="end", permissions=["change"])
    def action_end(self, request, object_id):
        return self._form_action(
            request,
            object_id,
            form_class=EndForm,
            title=_("End of contract"),
            service=services.employment_contract_end,
            success=_("The contract has ended."),
        )

    @action(description=_("Terminate early"), url_path="terminate", permissions=["change"])
    def action_terminate(self, request, object_id):
        return self._form_action(
            request,
            object_id,
            form_class=TerminateForm,
            title=_("Terminate early"),
            service=services.employment_contract_terminate,
            success=_("The contract was terminated."),
        )
