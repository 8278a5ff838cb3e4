"""Back-office of payslips: read-only (frozen documents written by the payroll run), with
the lines grouped as on the bulletin clarifié."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from apps.core.admin_mixins import ActionsOnlyAdminMixin

from .models import Payslip, PayslipLine
from .selectors import payslip_list


class PayslipLineInline(TabularInline):
    model = PayslipLine
    extra = 0
    can_delete = False
    # The engine emits the lines group by group (bulletin clarifié order): by position, they
    # come out grouped.
    ordering = ["position"]
    fields = ["group", "code", "label_fr", "base", "employee_rate", "employee_amount"]
    fields += ["employer_rate", "employer_amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # Lines are part of the payslip: whoever may view the payslip sees them.
        return request.user.has_perm("payslips.view_payslip")


@admin.register(Payslip)
class PayslipAdmin(ActionsOnlyAdminMixin, ModelAdmin):
    actions_only_message = _("A payslip never changes: issue a corrective payslip instead.")
    list_display = ["number", "period", "kind", "consultant", "gross", "net_paid", "employer_cost"]
    list_filter = ["period", "kind", "consultant"]
    search_fields = ["number", "consultant__last_name", "consultant__first_name"]
    date_hierarchy = "period"
    inlines = [PayslipLineInline]
    list_select_related = ["consultant"]
    fieldsets = [
        (None, {"fields": ["number", "kind", "period", "consultant", "employment_contract"]}),
        (_("Correction"), {"fields": ["corrects", "correction_reason"]}),
        (
            _("Portage composition"),
            {
                "fields": [
                    "available_amount",
                    "base_salary",
                    "business_bonus",
                    "paid_leave_allowance",
                    "end_of_contract_indemnity",
                    "financial_reserve",
                ]
            },
        ),
        (
            _("Figures"),
            {
                "fields": [
                    "gross",
                    "employee_contributions",
                    "employer_contributions",
                    "net_before_income_tax",
                    "net_taxable",
                    "net_social",
                    "income_tax_rate",
                    "income_tax",
                    "net_paid",
                    "employer_cost",
                    "reductions",
                ]
            },
        ),
        (
            _("Year to date"),
            {"fields": ["ytd_gross", "ytd_net_taxable", "ytd_employer_cost", "ytd_rgdu"]},
        ),
        (_("Document"), {"fields": ["rates_file", "pdf_file", "pdf_rendered_at", "emailed_at"]}),
    ]

    def get_queryset(self, request):
        return payslip_list()

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Payslip._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
