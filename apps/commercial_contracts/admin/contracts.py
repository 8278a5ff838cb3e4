"""Back-office screens for commercial contracts. Drafts are saved through the services; a
contract sent for signature or later is read-only and changes only through the action pages
(send, sign, activate, amend, terminate, end), each a small form calling one service."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from apps.compliance.engine import Severity
from apps.compliance.selectors import acknowledgements_for

from .. import services
from ..forms import CommercialContractAdminForm, ReadOnlyContractForm
from ..models import CommercialContract, CommercialContractVersion, ContractStatus
from ..selectors import commercial_contract_latest_terms
from .actions import ContractActionsMixin

FINDINGS_TEMPLATE = "commercial_contracts/admin/findings.html"

STATUS_LABELS = {
    ContractStatus.DRAFT: "info",
    ContractStatus.SENT_FOR_SIGNATURE: "warning",
    ContractStatus.SIGNED: "primary",
    ContractStatus.ACTIVE: "success",
    ContractStatus.ENDED: "default",
    ContractStatus.TERMINATED: "danger",
}


class CommercialContractVersionInline(TabularInline):
    """Original terms and amendments: read-only, an amendment is added with “Amend”."""

    model = CommercialContractVersion
    extra = 0
    can_delete = False
    show_change_link = False
    fields = [
        "number",
        "effective_from",
        "start_date",
        "end_date",
        "pricing_kind",
        "daily_rate",
        "fixed_price",
        "estimated_days",
        "reason",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    ordering = ["number"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CommercialContract)
class CommercialContractAdmin(ContractActionsMixin, SimpleHistoryAdmin, ModelAdmin):
    form = CommercialContractAdminForm
    inlines = [CommercialContractVersionInline]
    list_display = [
        "reference",
        "client",
        "consultant",
        "status_badge",
        "start_date",
        "end_date",
        "price_display",
    ]
    list_filter = ["status", "activity_category", "start_date"]
    search_fields = [
        "reference",
        "client__legal_name",
        "consultant__last_name",
        "consultant__first_name",
        "description",
        "purchase_order_reference",
    ]
    list_select_related = ["client", "consultant"]
    autocomplete_fields: list[str] = []
    ordering = ["-start_date", "-pk"]
    history_list_display = ["status", "end_date"]
    actions_detail = [
        "action_send_for_signature",
        "action_reopen",
        "action_sign",
        "action_activate",
        "action_amend",
        "action_end",
        "action_terminate",
    ]
    base_readonly = [
        "reference",
        "status",
        "findings_display",
        "acknowledgements_display",
        "sent_for_signature_at",
        "signed_at",
        "signed_by_client_name",
        "signed_pdf_link",
        "activated_at",
        "ended_on",
        "terminated_on",
        "termination_reason",
        "pdf_link",
        "created_by",
        "created_at",
        "updated_at",
    ]
    editable_main = (
        ("client", "consultant"),
        "activity_category",
        "description",
        "consultant_expertise",
        ("place_of_work", "remote_allowed"),
        "protective_equipment",
    )
    editable_compliance = (
        "occasional_task_justification",
        ("not_replacing_striker", "dangerous_work"),
    )
    editable_terms = (
        ("start_date", "end_date"),
        ("pricing_kind", "daily_rate", "fixed_price", "estimated_days"),
        ("rebill_expenses", "purchase_order_reference"),
        "payment_terms_note",
    )

    # --- form layout ----------------------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        terms = self.editable_terms
        if obj is not None and not obj.is_editable:
            terms = (
                ("start_date", "end_date"),
                "current_terms_display",
                ("rebill_expenses", "purchase_order_reference"),
                "payment_terms_note",
            )
        fieldsets = [
            (None, {"fields": ("reference", "status")}) if obj else (None, {"fields": ()}),
            (_("Prestation"), {"fields": self.editable_main}),
            (_("Compliance"), {"fields": (*self.editable_compliance, "findings_display")}),
            (_("Dates and price"), {"fields": terms}),
        ]
        if obj is not None:
            fieldsets += [
                (
                    _("Signature and life of the contract"),
                    {
                        "fields": (
                            ("sent_for_signature_at", "signed_at", "signed_by_client_name"),
                            "signed_pdf_link",
                            "acknowledgements_display",
                            ("activated_at", "ended_on", "terminated_on"),
                            "termination_reason",
                            "pdf_link",
                            ("created_by", "created_at", "updated_at"),
                        )
                    },
                )
            ]
        return [fieldset for fieldset in fieldsets if fieldset[1]["fields"]]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.base_readonly) + ["current_terms_display"]
        if obj is not None and not obj.is_editable:
            fields += [name for name in services.CONTRACT_FIELDS if name not in fields]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and not obj.is_editable:
            kwargs["form"] = ReadOnlyContractForm
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class RequestForm(form):
            def __init__(self, *args, **inner):
                if issubclass(form, CommercialContractAdminForm):
                    inner.setdefault("request_user", user)
                super().__init__(*args, **inner)

        return RequestForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not obj.is_editable:
            context.update(
                {
                    "show_save": False,
                    "show_save_and_continue": False,
                    "show_save_and_add_another": False,
                }
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Contracts are kept (history, invoices): terminate a draft to abandon it.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("versions")

    # --- saving drafts through the services ---------------------------------------------------
    def save_model(self, request, obj, form, change):
        if not isinstance(form, CommercialContractAdminForm):
            return  # read-only contract: nothing to save here
        saved = form.save_through_services()
        obj.pk = saved.pk
        obj.refresh_from_db()
        for finding in getattr(saved, "findings", []):
            level = messages.ERROR if finding.severity == Severity.BLOCK else messages.WARNING
            self.message_user(request, f"{finding.rule_id}: {finding.message}", level)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        contract = self._contract(request, object_id)
        if request.method == "POST" and contract is not None and not contract.is_editable:
            # Only the action pages change a contract once it has left the draft status.
            self.message_user(
                request,
                _("Contract %(reference)s is no longer a draft: use the actions above.")
                % {"reference": contract.reference},
                messages.WARNING,
            )
            return HttpResponseRedirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)

    # --- read-only displays -------------------------------------------------------------------
    @display(description=_("status"), ordering="status", label=STATUS_LABELS)
    def status_badge(self, obj: CommercialContract):
        return obj.status, obj.get_status_display()

    @display(description=_("price excl. VAT"))
    def price_display(self, obj: CommercialContract) -> str:
        terms = commercial_contract_latest_terms(obj)
        return _terms_price(terms) if terms else "-"

    @display(description=_("current terms"))
    def current_terms_display(self, obj: CommercialContract) -> str:
        terms = commercial_contract_latest_terms(obj) if obj and obj.pk else None
        if terms is None:
            return "-"
        return _(
            "%(version)s, from %(date)s: %(price)s, %(days)s estimated days, until %(end)s."
        ) % {
            "version": terms,
            "date": terms.effective_from.isoformat(),
            "price": _terms_price(terms),
            "days": terms.estimated_days if terms.estimated_days is not None else "-",
            "end": terms.end_date.isoformat(),
        }

    @display(description=_("compliance findings"))
    def findings_display(self, obj: CommercialContract) -> str:
        if obj is None or obj.pk is None:
            return _("The compliance check runs when the contract is saved.")
        findings = services.commercial_contract_check(contract=obj)
        return render_to_string(FINDINGS_TEMPLATE, {"findings": findings})

    @display(description=_("acknowledged warnings"))
    def acknowledgements_display(self, obj: CommercialContract) -> str:
        if obj is None or obj.pk is None:
            return "-"
        return render_to_string(
            "commercial_contracts/admin/acknowledgements.html",
            {"acknowledgements": acknowledgements_for(obj)},
        )

    @display(description=_("signed contract"))
    def signed_pdf_link(self, obj: CommercialContract) -> str:
        if not obj or not obj.signed_pdf:
            return "-"
        url = reverse("admin:commercial_contracts_commercialcontract_signed_pdf", args=[obj.pk])
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("Download"))

    @display(description=_("contract PDF"))
    def pdf_link(self, obj: CommercialContract) -> str:
        if not obj or not obj.pdf_file:
            return _("Not generated yet.")
        url = reverse("admin:commercial_contracts_commercialcontract_pdf", args=[obj.pk])
        return format_html(
            '<a class="text-primary-600" href="{}">{}</a> ({})',
            url,
            _("Download"),
            obj.pdf_generated_at.isoformat(timespec="minutes") if obj.pdf_generated_at else "",
        )


def _terms_price(terms: CommercialContractVersion) -> str:
    if terms.daily_rate is not None:
        return _("%(amount)s € / day") % {"amount": terms.daily_rate}
    return _("%(amount)s € fixed price") % {"amount": terms.fixed_price}
