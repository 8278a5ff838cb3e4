"""API input (parsing only) and output serializers of payroll runs."""

from rest_framework import serializers

from .models import PayrollRun


class PayrollRunStartInputSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="Any day of the month to pay (e.g. 2026-01-01).")


class PayrollRunExecuteInputSerializer(serializers.Serializer):
    retry_failed = serializers.BooleanField(
        default=False, help_text="Put failed items back to pending first."
    )


class PayrollRunOutputSerializer(serializers.ModelSerializer):
    items_total = serializers.IntegerField(read_only=True)
    items_pending = serializers.IntegerField(read_only=True)
    items_done = serializers.IntegerField(read_only=True)
    items_skipped = serializers.IntegerField(read_only=True)
    items_failed = serializers.IntegerField(read_only=True)

    class Meta:
        model = PayrollRun
        fields = [
            "id",
            "period",
            "status",
            "started_by",
            "started_at",
            "finished_at",
            "warnings",
            "items_total",
            "items_pending",
            "items_done",
            "items_skipped",
            "items_failed",
        ]


class PayrollRunStartOutputSerializer(serializers.Serializer):
    run = PayrollRunOutputSerializer()
    already_started = serializers.BooleanField()
    notice = serializers.CharField()


class JournalLineOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.CharField()
    label_fr = serializers.CharField()
    label_en = serializers.CharField()
    count = serializers.IntegerField()
    base = serializers.DecimalField(max_digits=16, decimal_places=2)
    employee_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    employer_amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class JournalOutputSerializer(serializers.Serializer):
    lines = JournalLineOutputSerializer(many=True)
    payslip_count = serializers.IntegerField()
    gross = serializers.DecimalField(max_digits=16, decimal_places=2)
    employee_contributions = serializers.DecimalField(max_digits=16, decimal_places=2)
    employer_contributions = serializers.DecimalField(max_digits=16, decimal_places=2)
    net_before_income_tax = serializers.DecimalField(max_digits=16, decimal_places=2)
    income_tax = serializers.DecimalField(max_digits=16, decimal_places=2)
    net_paid = serializers.DecimalField(max_digits=16, decimal_places=2)
    employer_cost = serializers.DecimalField(max_digits=16, decimal_places=2)
