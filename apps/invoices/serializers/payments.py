"""Input and output serializers of /api/v1/payments/ and /api/v1/bank-statements/."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.clients.models import ClientCompany

from ..models import (
    BankStatementImport,
    BankStatementLine,
    Invoice,
    Payment,
    PaymentAllocation,
)


def _money(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


# --- input ------------------------------------------------------------------------------------
class PaymentRecordInputSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    amount = _money(min_value=Decimal("0.01"))
    payer_name = serializers.CharField(max_length=200)
    bank_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    client = serializers.PrimaryKeyRelatedField(
        queryset=ClientCompany.objects.all(), required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class AllocationInputSerializer(serializers.Serializer):
    invoice = serializers.PrimaryKeyRelatedField(
        queryset=Invoice.objects.select_related("client", "consultant")
    )
    amount = _money(min_value=Decimal("0.01"))


class PaymentAllocateInputSerializer(serializers.Serializer):
    allocations = AllocationInputSerializer(many=True, allow_empty=False)
    allocated_on = serializers.DateField(required=False)

    def validate_allocations(self, value):
        ids = [row["invoice"].pk for row in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("An invoice is listed twice."))
        return value


class LineConfirmInputSerializer(serializers.Serializer):
    allocations = AllocationInputSerializer(
        many=True,
        required=False,
        allow_empty=True,
        help_text="Omit to confirm the proposal; [] records the payment without allocating.",
    )


class BankStatementUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV export or CAMT.053 XML statement")


# --- output -----------------------------------------------------------------------------------
class InvoiceRefSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.legal_name", read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "number", "client", "client_name", "total_incl_tax", "status"]


class AllocationOutputSerializer(serializers.ModelSerializer):
    invoice = InvoiceRefSerializer(read_only=True)

    class Meta:
        model = PaymentAllocation
        fields = ["id", "invoice", "amount", "allocated_on", "allocated_by"]


class PaymentOutputSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.legal_name", default="", read_only=True)
    allocated_amount = _money(read_only=True)
    unallocated_amount = _money(read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "received_on",
            "amount",
            "currency",
            "payer_name",
            "bank_reference",
            "client",
            "client_name",
            "source",
            "allocated_amount",
            "unallocated_amount",
            "created_at",
        ]


class PaymentDetailOutputSerializer(PaymentOutputSerializer):
    allocations = AllocationOutputSerializer(many=True, read_only=True)

    class Meta(PaymentOutputSerializer.Meta):
        fields = [*PaymentOutputSerializer.Meta.fields, "notes", "allocations"]


class BankStatementLineOutputSerializer(serializers.ModelSerializer):
    proposed_invoices = InvoiceRefSerializer(many=True, read_only=True)

    class Meta:
        model = BankStatementLine
        fields = [
            "id",
            "statement",
            "line_number",
            "booking_date",
            "amount",
            "currency",
            "counterparty",
            "reference",
            "status",
            "proposed_invoices",
            "proposal_reason",
            "payment",
        ]


class BankStatementOutputSerializer(serializers.ModelSerializer):
    line_count = serializers.IntegerField(read_only=True)
    open_line_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = BankStatementImport
        fields = [
            "id",
            "file_name",
            "format",
            "sha256",
            "imported_by",
            "created_at",
            "line_count",
            "open_line_count",
        ]


class BankStatementDetailOutputSerializer(BankStatementOutputSerializer):
    lines = BankStatementLineOutputSerializer(many=True, read_only=True)

    class Meta(BankStatementOutputSerializer.Meta):
        fields = [*BankStatementOutputSerializer.Meta.fields, "lines"]


class BulkConfirmOutputSerializer(serializers.Serializer):
    confirmed = serializers.ListField(child=serializers.IntegerField())
    errors = serializers.DictField(child=serializers.CharField())
