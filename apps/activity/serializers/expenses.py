"""API input (parsing only) and output serializers of expense claims. Rules are checked by
the services (services/expenses.py); these only parse types."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.commercial_contracts.selectors import commercial_contracts_for_user
from apps.consultants.selectors import consultants_for_user

from ..models.expenses import ExpenseCategory, ExpenseClaim, ExpenseLine, VehicleType

# --- input ----------------------------------------------------------------------------------


def _money(*, required: bool = False) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, required=required, allow_null=not required
    )


@extend_schema_field(OpenApiTypes.INT)
class _UserContractField(serializers.PrimaryKeyRelatedField):
    """A commercial contract among those the requesting user may see (someone else's is
    "does not exist", nothing leaks)."""

    def get_queryset(self):
        return commercial_contracts_for_user(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class _UserConsultantField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return consultants_for_user(self.context["request"].user)


class ExpenseClaimCreateInputSerializer(serializers.Serializer):
    consultant = _UserConsultantField(
        required=False,
        help_text="Back office only (required there); a consultant creates their own claims.",
    )
    title = serializers.CharField(max_length=200)
    commercial_contract = _UserContractField(required=False, allow_null=True)


class ExpenseClaimUpdateInputSerializer(serializers.Serializer):
    """PATCH on a draft: fields left out keep their value."""

    title = serializers.CharField(max_length=200, required=False)
    commercial_contract = _UserContractField(required=False, allow_null=True)


class ExpenseLineInputSerializer(serializers.Serializer):
    """A line (multipart when a receipt is attached). For a mileage line the amount comes
    from the barème: give vehicle_type, fiscal_horsepower (not for mopeds), distance_km and
    yearly_distance_km; amount_ttc and vat_amount are ignored."""

    date = serializers.DateField()
    category = serializers.ChoiceField(choices=ExpenseCategory.choices)
    description = serializers.CharField(max_length=255)
    amount_ttc = _money()
    vat_amount = _money()
    receipt = serializers.FileField(required=False, allow_null=True, allow_empty_file=True)
    vehicle_type = serializers.ChoiceField(
        choices=VehicleType.choices, required=False, allow_blank=True
    )
    fiscal_horsepower = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    distance_km = serializers.DecimalField(
        max_digits=8, decimal_places=1, required=False, allow_null=True
    )
    yearly_distance_km = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    rebill_to_client = serializers.BooleanField(required=False, default=False)


class ExpenseLineUpdateInputSerializer(ExpenseLineInputSerializer):
    """PATCH on a line of a draft: fields left out keep their value."""


class ExpenseClaimRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ExpenseClaimReimburseInputSerializer(serializers.Serializer):
    on_date = serializers.DateField(
        required=False, allow_null=True, help_text="Date of the ledger entry (default: today)."
    )


# --- output ---------------------------------------------------------------------------------


def _user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.email


class ExpenseLineOutputSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    amount_ht = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    has_receipt = serializers.SerializerMethodField()
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = ExpenseLine
        fields = [
            "id",
            "claim",
            "date",
            "category",
            "category_label",
            "description",
            "amount_ttc",
            "vat_amount",
            "amount_ht",
            "has_receipt",
            "receipt_url",
            "receipt_content_type",
            "vehicle_type",
            "fiscal_horsepower",
            "distance_km",
            "yearly_distance_km",
            "mileage_scale",
            "mileage_rate_per_km",
            "rebill_to_client",
            "rebilled_invoice_reference",
        ]
        read_only_fields = fields

    def get_has_receipt(self, line: ExpenseLine) -> bool:
        return bool(line.receipt)

    def get_receipt_url(self, line: ExpenseLine) -> str | None:
        if not line.receipt:
            return None
        return reverse("api:expense-line-receipt", args=[line.pk])


class _ContractSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    client = serializers.CharField(source="client.legal_name")
    rebill_expenses = serializers.BooleanField()


class ExpenseClaimOutputSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    consultant_name = serializers.CharField(source="consultant.__str__", read_only=True)
    commercial_contract = _ContractSummarySerializer(read_only=True, allow_null=True)
    total_ht = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    line_count = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()
    rejected_by = serializers.SerializerMethodField()
    reimbursed_by = serializers.SerializerMethodField()

    class Meta:
        model = ExpenseClaim
        fields = [
            "id",
            "consultant",
            "consultant_name",
            "commercial_contract",
            "title",
            "status",
            "status_label",
            "total_ttc",
            "total_vat",
            "total_ht",
            "line_count",
            "submitted_at",
            "approved_at",
            "approved_by",
            "rejected_at",
            "rejected_by",
            "rejection_reason",
            "reimbursed_at",
            "reimbursed_by",
            "reimbursement_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_line_count(self, claim: ExpenseClaim) -> int:
        count = getattr(claim, "line_count", None)
        return count if count is not None else claim.lines.count()

    def get_approved_by(self, claim: ExpenseClaim) -> str | None:
        return _user_name(claim.approved_by)

    def get_rejected_by(self, claim: ExpenseClaim) -> str | None:
        return _user_name(claim.rejected_by)

    def get_reimbursed_by(self, claim: ExpenseClaim) -> str | None:
        return _user_name(claim.reimbursed_by)


class ExpenseClaimDetailOutputSerializer(ExpenseClaimOutputSerializer):
    lines = ExpenseLineOutputSerializer(many=True, read_only=True)

    class Meta(ExpenseClaimOutputSerializer.Meta):
        fields = [*ExpenseClaimOutputSerializer.Meta.fields, "lines"]
        read_only_fields = fields
