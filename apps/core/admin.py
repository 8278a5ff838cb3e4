from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from .models import CompanyProfile


@admin.register(CompanyProfile)
class CompanyProfileAdmin(ModelAdmin):
    list_display = ["legal_name", "siren", "city", "headcount", "default_management_fee_rate"]
    fieldsets = (
        (
            _("Identity"),
            {
                "fields": (
                    "legal_name",
                    "legal_form",
                    "share_capital",
                    "siren",
                    "siret",
                    "vat_number",
                    "rcs_city",
                    "naf_code",
                )
            },
        ),
        (
            _("Address and contact"),
            {
                "fields": (
                    "address_line1",
                    "address_line2",
                    "postal_code",
                    "city",
                    "email",
                    "phone",
                    "website",
                    "iban",
                    "bic",
                    "logo",
                    "vat_on_debits",
                )
            },
        ),
        (
            _("Guarantee, insurance and social bodies"),
            {
                "fields": (
                    "financial_guarantor_name",
                    "financial_guarantor_address",
                    "rc_insurer_name",
                    "rc_insurer_address",
                    "rc_policy_number",
                    "pension_fund_name",
                    "pension_fund_address",
                    "provident_body_name",
                    "provident_body_address",
                    "administrative_declaration_date",
                    "administrative_declaration_reference",
                )
            },
        ),
        (
            _("Payroll and fees"),
            {
                "fields": (
                    "headcount",
                    "default_management_fee_rate",
                    "min_management_fee_rate",
                    "max_management_fee_rate",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # One company, one profile row.
        return not CompanyProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
