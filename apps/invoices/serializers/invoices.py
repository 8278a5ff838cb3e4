"""Serializers of /api/v1/invoices/: inputs parse and scope, outputs show; services decide."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.activity.models import ActivityReport
from apps.clients.models import ClientCompany
from apps.commercial_contracts.models import CommercialContract
from apps.consultants.models import Consultant

from ..models import Invoice, InvoiceLine, LineUnit
from ..selectors.invoices import invoice_is_overdue

MONEY = {"max_digits": 14, "decimal_places": 2}


# --- input ------------------------------------------------------------------------------------
def _related(model):
    return serializers.PrimaryKeyRelatedField(
        queryset=model.objects.all(), pk_field=serializers.IntegerField()
    )


class InvoiceHeaderInputSerializer(serializers.Serializer):
    purchase_order_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True
    )
    notes = serializers.CharField(required=False, allow_blank=True)
    service_period_start = serializers.DateField(required=False, allow_null=True)
    service_period_end = serializers.DateField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=["fr", "en"], required=False)


class InvoiceCreateInputSerializer(InvoiceHeaderInputSerializer):
    client = _related(ClientCompany)
    consultant = _related(Consultant)
    commercial_contract = serializers.PrimaryKeyRelatedField(
        queryset=CommercialContract.objects.all(),
        pk_field=serializers.IntegerField(),
        required=False,
        allow_null=True,
    )


class InvoiceLineInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit = serializers.ChoiceField(choices=LineUnit.choices)
    unit_price_excl_tax = serializers.DecimalField(**MONEY)
    vat_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Default: the rate of the invoice's VAT regime (20.00 in France, else 0).",
    )
    service_date_start = serializers.DateField(required=False, allow_null=True)
    service_date_end = serializers.DateField(required=False, allow_null=True)


class FromReportsInputSerializer(serializers.Serializer):
    report_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=500
    )

    def validate_report_ids(self, value):
        known = set(ActivityReport.objects.filter(pk__in=value).values_list("pk", flat=True))
        missing = sorted(set(value) - known)
        if missing:
            raise serializers.ValidationError(
                _("Unknown activity report(s): %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            )
        return sorted(set(value))


class IssueInputSerializer(serializers.Serializer):
    issue_date = serializers.DateField(
        required=False, allow_null=True, help_text="Default: today (Europe/Paris)."
    )


class CreditLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, help_text="Id of the credited invoice line.")
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    amount = serializers.DecimalField(
        **MONEY, required=False, help_text="Amount excl. VAT to credit on the line."
    )

    def validate(self, attrs):
        if ("quantity" in attrs) == ("amount" in attrs):
            raise serializers.ValidationError(_("Give either a quantity or an amount to credit."))
        return attrs


class CreditNoteInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    lines = CreditLineInputSerializer(
        many=True,
        required=False,
        allow_null=True,
        help_text="Omit for a full credit note; else the lines and what to credit on each.",
    )


# --- output -----------------------------------------------------------------------------------
class InvoiceLineOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "id",
            "position",
            "description",
            "quantity",
            "unit",
            "unit_price_excl_tax",
            "vat_rate",
            "total_excl_tax",
            "service_date_start",
            "service_date_end",
            "activity_report",
            "expense_line",
            "credited_line",
        ]
        read_only_fields = fields


class VatBreakdownOutputSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    category = serializers.CharField()
    base = serializers.DecimalField(**MONEY)
    vat = serializers.DecimalField(**MONEY)
    exemption_reason = serializers.CharField()


class InvoiceOutputSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.legal_name", read_only=True)
    consultant_name = serializers.CharField(source="consultant.__str__", read_only=True)
    credited_invoice_number = serializers.CharField(
        source="credited_invoice.number", read_only=True, default=None
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "kind",
            "status",
            "number",
            "issue_date",
            "due_date",
            "client",
            "client_name",
            "consultant",
            "consultant_name",
            "commercial_contract",
            "credited_invoice",
            "credited_invoice_number",
            "vat_regime",
            "currency",
            "total_excl_tax",
            "total_vat",
            "total_incl_tax",
            "overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, invoice) -> bool:
        return invoice_is_overdue(invoice)


class InvoiceDetailOutputSerializer(InvoiceOutputSerializer):
    lines = InvoiceLineOutputSerializer(many=True, read_only=True)
    vat_breakdown = VatBreakdownOutputSerializer(many=True, read_only=True)

    class Meta(InvoiceOutputSerializer.Meta):
        fields = [
            *InvoiceOutputSerializer.Meta.fields,
            "service_period_start",
            "service_period_end",
            "purchase_order_reference",
            "language",
            "notes",
            "credit_reason",
            "late_payment_rate",
            "recovery_indemnity",
            "payment_terms_label",
            "vat_breakdown",
            "lines",
            "issued_at",
            "created_at",
        ]
        read_only_fields = fields
