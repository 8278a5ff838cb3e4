"""Input and output serializers of /api/v1/activity-reports/ (separate, DESIGN.md §3.9)."""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.commercial_contracts.models import CommercialContract

from ..models.reports import ActivityReport
from ..selectors.reports import activity_report_calendar
from ..services.calendar import parse_fraction

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_month(value) -> date | None:
    """ "2026-05" or "2026-05-01" -> date(2026, 5, 1); None when not a month."""
    match = MONTH_RE.match(str(value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


@extend_schema_field(OpenApiTypes.STR)
class MonthField(serializers.Field):
    default_error_messages = {"invalid": _("Give the month as YYYY-MM, e.g. 2026-05.")}

    def to_internal_value(self, data):
        month = parse_month(data)
        if month is None:
            self.fail("invalid")
        return month

    def to_representation(self, value):
        return value.strftime("%Y-%m")


# --- input ------------------------------------------------------------------------------------
class ActivityReportCreateInputSerializer(serializers.Serializer):
    commercial_contract = serializers.PrimaryKeyRelatedField(
        queryset=CommercialContract.objects.none(), pk_field=serializers.IntegerField()
    )
    month = MonthField(help_text="YYYY-MM")

    def __init__(self, *args, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Scoped by the view: a consultant only sees (and can only name) their own contracts.
        self.fields["commercial_contract"].queryset = contracts


class ActivityDayInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    fraction = serializers.CharField(help_text='"1" (full day), "0.5" (half day) or "0"')

    def validate_fraction(self, value):
        try:
            return parse_fraction(value)
        except ValueError as error:
            raise serializers.ValidationError(
                _("“%(value)s” is not a valid fraction; use 1 (full day) or 0.5.")
                % {"value": value}
            ) from error


class ActivityDaysInputSerializer(serializers.Serializer):
    days = ActivityDayInputSerializer(many=True, allow_empty=True)

    def validate_days(self, value):
        seen = set()
        for row in value:
            if row["date"] in seen:
                raise serializers.ValidationError(
                    _("%(date)s is given twice.") % {"date": row["date"].isoformat()}
                )
            seen.add(row["date"])
        return {row["date"]: row["fraction"] for row in value}


class ActivityReportApproveInputSerializer(serializers.Serializer):
    proof_file = serializers.FileField(help_text="PDF, PNG or JPEG, at most 10 MB")
    approver_name = serializers.CharField(max_length=200)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ActivityReportRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ActivityReportBulkValidateInputSerializer(serializers.Serializer):
    ids = serializers.PrimaryKeyRelatedField(
        queryset=ActivityReport.objects.none(),
        many=True,
        allow_empty=False,
        pk_field=serializers.IntegerField(),
    )

    def __init__(self, *args, reports=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].child_relation.queryset = reports


# --- output -----------------------------------------------------------------------------------
class ActivityReportOutputSerializer(serializers.ModelSerializer):
    month = MonthField()
    status_label = serializers.CharField(source="get_status_display")
    contract_reference = serializers.CharField(source="commercial_contract.reference")
    client = serializers.IntegerField(source="commercial_contract.client_id")
    client_name = serializers.CharField(source="commercial_contract.client.legal_name")
    consultant_name = serializers.CharField(source="consultant.full_name")
    has_approval_proof = serializers.SerializerMethodField()

    class Meta:
        model = ActivityReport
        fields = [
            "id",
            "commercial_contract",
            "contract_reference",
            "client",
            "client_name",
            "consultant",
            "consultant_name",
            "month",
            "status",
            "status_label",
            "days_total",
            "daily_rate",
            "amount",
            "amount_breakdown",
            "submitted_at",
            "client_approved_at",
            "client_approver_name",
            "client_approval_comment",
            "client_approval_channel",
            "has_approval_proof",
            "validated_at",
            "invoiced_at",
            "invoice_reference",
            "rejected_at",
            "rejected_by_kind",
            "rejected_by_name",
            "rejection_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_approval_proof(self, report) -> bool:
        return bool(report.approval_proof)


class CalendarDayOutputSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    kind = serializers.CharField(help_text="working / weekend / holiday / outside")
    holiday = serializers.CharField()
    selectable = serializers.BooleanField()
    fraction = serializers.DecimalField(max_digits=2, decimal_places=1)


class ActivityReportDetailOutputSerializer(ActivityReportOutputSerializer):
    working_days = serializers.SerializerMethodField()
    calendar = serializers.SerializerMethodField()

    class Meta(ActivityReportOutputSerializer.Meta):
        fields = [*ActivityReportOutputSerializer.Meta.fields, "working_days", "calendar"]
        read_only_fields = fields

    def _calendar(self, report):
        if not hasattr(report, "_calendar_cache"):
            report._calendar_cache = activity_report_calendar(report)
        return report._calendar_cache

    def get_working_days(self, report) -> int:
        return self._calendar(report).working_days

    @extend_schema_field(CalendarDayOutputSerializer(many=True))
    def get_calendar(self, report):
        return CalendarDayOutputSerializer(self._calendar(report).days, many=True).data


class BulkRefusedOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message = serializers.CharField()


class BulkValidationOutputSerializer(serializers.Serializer):
    validated = serializers.ListField(child=serializers.IntegerField())
    refused = BulkRefusedOutputSerializer(many=True)
