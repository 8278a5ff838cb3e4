"""API input (validation only) and output serializers. The services do the work.

Amounts are strings with two decimals ("1234.50"), never floats."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.consultants.models import Consultant

from .models import LedgerEntry, LedgerEntryKind

MONEY = {"max_digits": 14, "decimal_places": 2}


# --- input --------------------------------------------------------------------------------
class StatementQuerySerializer(serializers.Serializer):
    """?consultant=<id>&start=YYYY-MM-DD&end=YYYY-MM-DD (default: the current month)."""

    consultant = serializers.IntegerField(required=False, min_value=1)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"end": _("The end date must be on or after the start date.")}
            )
        return data


class AdjustmentInputSerializer(serializers.Serializer):
    consultant = serializers.PrimaryKeyRelatedField(queryset=Consultant.objects.all())
    amount = serializers.DecimalField(**MONEY)
    label = serializers.CharField(max_length=255)
    entry_date = serializers.DateField(required=False)


class ReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)
    entry_date = serializers.DateField(required=False)


# --- output -------------------------------------------------------------------------------
class SourceOutputSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="app_label.model of the source document")
    id = serializers.IntegerField()


class LedgerEntryOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    consultant_name = serializers.CharField(source="consultant.full_name", read_only=True)
    source = serializers.SerializerMethodField()
    is_reversed = serializers.BooleanField(read_only=True, default=False)
    created_by = serializers.EmailField(source="created_by.email", read_only=True, default=None)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "consultant",
            "consultant_name",
            "entry_date",
            "kind",
            "kind_label",
            "amount",
            "label",
            "source",
            "reverses",
            "is_reversed",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SourceOutputSerializer(allow_null=True))
    def get_source(self, entry) -> dict | None:
        if entry.source_content_type_id is None:
            return None
        ct = entry.source_content_type
        return {"type": f"{ct.app_label}.{ct.model}", "id": entry.source_object_id}


class StatementSourceSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    type_label = serializers.CharField()
    label = serializers.CharField()
    portal_url = serializers.CharField()


class StatementLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entry.id")
    entry_date = serializers.DateField(source="entry.entry_date")
    kind = serializers.ChoiceField(source="entry.kind", choices=LedgerEntryKind.choices)
    kind_label = serializers.CharField(source="entry.kind_label")
    amount = serializers.DecimalField(source="entry.amount", **MONEY)
    label = serializers.CharField(source="entry.label")
    reverses = serializers.IntegerField(source="entry.reverses_id", allow_null=True)
    balance_after = serializers.DecimalField(**MONEY)
    source = serializers.SerializerMethodField()

    @extend_schema_field(StatementSourceSerializer(allow_null=True))
    def get_source(self, line) -> dict | None:
        holder = line.entry.reverses if line.entry.reverses_id else line.entry
        if holder.source_content_type_id is None:
            return None
        ct = holder.source_content_type
        return {
            "type": f"{ct.app_label}.{ct.model}",
            "id": holder.source_object_id,
            "type_label": line.source_type,
            "label": line.source_label,
            "portal_url": line.source_portal_url,
        }


class KindTotalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    total = serializers.DecimalField(**MONEY)
    count = serializers.IntegerField()


class StatementMonthSerializer(serializers.Serializer):
    month = serializers.DateField(format="%Y-%m")
    opening_balance = serializers.DecimalField(**MONEY)
    credits = serializers.DecimalField(**MONEY)
    debits = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)
    closing_balance = serializers.DecimalField(**MONEY)
    entry_count = serializers.SerializerMethodField()

    def get_entry_count(self, month) -> int:
        return len(month.lines)


class StatementConsultantSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="full_name")


class LedgerStatementOutputSerializer(serializers.Serializer):
    consultant = StatementConsultantSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    opening_balance = serializers.DecimalField(**MONEY)
    credits = serializers.DecimalField(**MONEY)
    debits = serializers.DecimalField(**MONEY)
    closing_balance = serializers.DecimalField(**MONEY)
    totals_by_kind = KindTotalSerializer(many=True)
    months = StatementMonthSerializer(many=True)
    entries = StatementLineSerializer(many=True)
