"""API input (parsing only) and output serializers. Rules are checked by the services."""

from rest_framework import serializers

from apps.commercial_contracts.models import CommercialContract
from apps.consultants.models import Consultant

from .models import EmploymentContract

EC = EmploymentContract


def _text(*, required: bool = False) -> serializers.CharField:
    return serializers.CharField(required=required, allow_blank=not required, trim_whitespace=True)


def _rate() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)


def _date() -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True)


# --- input -----------------------------------------------------------------------------------


class ContractUpdateInputSerializer(serializers.Serializer):
    """PATCH on a draft: fields left out keep their value."""

    kind = serializers.ChoiceField(choices=EC.Kind.choices, required=False)
    commercial_contracts = serializers.PrimaryKeyRelatedField(
        queryset=CommercialContract.objects.all(), many=True, required=False
    )
    cdd_reason = _text()
    term_type = serializers.ChoiceField(
        choices=EC.TermType.choices, required=False, allow_blank=True
    )
    start_date = serializers.DateField(required=False)
    initial_end_date = _date()
    minimum_duration_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=600
    )
    imprecise_term_event = _text()
    trial_period_end = _date()
    working_time_mode = serializers.ChoiceField(choices=EC.WorkingTimeMode.choices, required=False)
    days_per_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=366
    )
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=2, required=False, allow_null=True
    )
    status_cadre = serializers.ChoiceField(choices=EC.StatusCadre.choices, required=False)
    classification = serializers.ChoiceField(choices=EC.Classification.choices, required=False)
    level_1_since = _date()
    consultant_expertise = _text()
    professional_expenses_terms = _text()
    salary_rule = serializers.ChoiceField(choices=EC.SalaryRule.choices, required=False)
    business_bonus_rate = _rate()
    reserve_rate = _rate()
    end_of_contract_indemnity_rate = _rate()
    paid_leave_mode = serializers.ChoiceField(choices=EC.PaidLeaveMode.choices, required=False)
    management_fee_rate = _rate()


class ContractCreateInputSerializer(ContractUpdateInputSerializer):
    """POST: a new draft. Executive status and fee default to the consultant's."""

    consultant = serializers.PrimaryKeyRelatedField(queryset=Consultant.objects.all())
    kind = serializers.ChoiceField(choices=EC.Kind.choices)
    start_date = serializers.DateField()
    classification = serializers.ChoiceField(choices=EC.Classification.choices)


class CheckInputSerializer(serializers.Serializer):
    on_date = serializers.DateField(required=False)


class SignInputSerializer(serializers.Serializer):
    signed_pdf = serializers.FileField(required=False, allow_empty_file=False)
    signed_at = serializers.DateTimeField(required=False)
    acknowledge_warnings = serializers.BooleanField(required=False, default=False)


class RenewInputSerializer(serializers.Serializer):
    new_end_date = serializers.DateField()
    signed_on = serializers.DateField(required=False)
    reason = _text(required=True)


class ProspectionExtensionInputSerializer(serializers.Serializer):
    extension_end = serializers.DateField()
    reason = _text(required=True)


class TerminateInputSerializer(serializers.Serializer):
    terminated_on = serializers.DateField()
    reason = _text(required=True)


class EndInputSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False)


class LinkInputSerializer(serializers.Serializer):
    commercial_contracts = serializers.PrimaryKeyRelatedField(
        queryset=CommercialContract.objects.all(), many=True, allow_empty=False
    )


# --- output ----------------------------------------------------------------------------------


class FindingSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    severity = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    figures = serializers.DictField(child=serializers.CharField())


class CheckOutputSerializer(serializers.Serializer):
    on_date = serializers.DateField()
    blocking = serializers.BooleanField()
    findings = FindingSerializer(many=True)


class RenewalOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    previous_end_date = serializers.DateField()
    new_end_date = serializers.DateField()
    signed_on = serializers.DateField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class LinkedCommercialContractSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    client_name = serializers.CharField(source="client.legal_name")
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class ContractListOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=EC.Kind.choices)
    status = serializers.ChoiceField(choices=EC.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    consultant = serializers.IntegerField(source="consultant_id")
    consultant_name = serializers.CharField(source="consultant.full_name")
    start_date = serializers.DateField()
    planned_end_date = serializers.DateField(allow_null=True)
    effective_end_date = serializers.DateField(allow_null=True)
    renewal_count = serializers.IntegerField()
    classification = serializers.IntegerField()
    commercial_contracts = LinkedCommercialContractSerializer(
        many=True, source="commercial_contracts.all"
    )
    has_pdf = serializers.SerializerMethodField()

    def get_has_pdf(self, obj) -> bool:
        return bool(obj.pdf_file)


class ContractDetailOutputSerializer(ContractListOutputSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    cdd_reason = serializers.CharField()
    term_type = serializers.CharField()
    initial_end_date = serializers.DateField(allow_null=True)
    minimum_duration_months = serializers.IntegerField(allow_null=True)
    imprecise_term_event = serializers.CharField()
    trial_period_end = serializers.DateField(allow_null=True)
    working_time_mode = serializers.CharField()
    days_per_year = serializers.IntegerField(allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    status_cadre = serializers.CharField()
    classification_label = serializers.CharField(source="get_classification_display")
    level_1_since = serializers.DateField(allow_null=True)
    consultant_expertise = serializers.CharField()
    professional_expenses_terms = serializers.CharField()
    salary_rule = serializers.CharField()
    business_bonus_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    reserve_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    end_of_contract_indemnity_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True
    )
    paid_leave_mode = serializers.CharField()
    management_fee_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    renewals = RenewalOutputSerializer(many=True, source="renewal_list")
    prospection_extension_end = serializers.DateField(allow_null=True)
    prospection_extension_reason = serializers.CharField()
    sent_for_signature_at = serializers.DateTimeField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    has_signed_pdf = serializers.SerializerMethodField()
    activated_at = serializers.DateTimeField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    terminated_on = serializers.DateField(allow_null=True)
    termination_reason = serializers.CharField()
    pdf_generated_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_has_signed_pdf(self, obj) -> bool:
        return bool(obj.signed_pdf)
