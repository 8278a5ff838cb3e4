"""Output serializers of payslips (read-only API)."""

from rest_framework import serializers

from .models import Payslip, PayslipLine


class PayslipLineOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayslipLine
        fields = [
            "position",
            "code",
            "group",
            "label_fr",
            "label_en",
            "base",
            "employee_rate",
            "employee_amount",
            "employer_rate",
            "employer_amount",
        ]


SUMMARY_FIELDS = [
    "id",
    "number",
    "kind",
    "period",
    "consultant",
    "employment_contract",
    "corrects",
    "gross",
    "net_before_income_tax",
    "income_tax",
    "net_paid",
    "employer_cost",
    "created_at",
]


class PayslipOutputSerializer(serializers.ModelSerializer):
    consultant_name = serializers.CharField(source="consultant.full_name", read_only=True)

    class Meta:
        model = Payslip
        fields = [*SUMMARY_FIELDS, "consultant_name"]


class PayslipDetailOutputSerializer(serializers.ModelSerializer):
    consultant_name = serializers.CharField(source="consultant.full_name", read_only=True)
    lines = PayslipLineOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Payslip
        fields = [
            *SUMMARY_FIELDS,
            "consultant_name",
            "correction_reason",
            "available_amount",
            "base_salary",
            "business_bonus",
            "paid_leave_allowance",
            "end_of_contract_indemnity",
            "financial_reserve",
            "employee_contributions",
            "employer_contributions",
            "net_taxable",
            "net_social",
            "income_tax_rate",
            "income_tax_kind",
            "reductions",
            "ytd_gross",
            "ytd_net_taxable",
            "ytd_employer_cost",
            "rates_file",
            "lines",
        ]
