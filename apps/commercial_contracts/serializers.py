"""API input (parsing only) and output serializers. Rules are checked by the services."""

from django.utils import timezone
from rest_framework import serializers

from apps.clients.models import ClientCompany
from apps.compliance.models import ActivityCategory
from apps.consultants.models import Consultant

from .models import ContractStatus, PricingKind
from .selectors import commercial_contract_latest_terms, commercial_contract_terms_at


def _text(max_length: int | None = None, *, required: bool = False) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=required, allow_blank=not required, trim_whitespace=True
    )


def _money(max_digits: int) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=2, required=False, allow_null=True
    )


def _days() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=6, decimal_places=1, required=False, allow_null=True)


# --- input -----------------------------------------------------------------------------------


class CommercialContractUpdateInputSerializer(serializers.Serializer):
    """PATCH on a draft: fields left out keep their value."""

    client = serializers.PrimaryKeyRelatedField(queryset=ClientCompany.objects.all())
    consultant = serializers.PrimaryKeyRelatedField(queryset=Consultant.objects.all())
    activity_category = serializers.PrimaryKeyRelatedField(queryset=ActivityCategory.objects.all())
    description = _text(required=True)
    consultant_expertise = _text()
    occasional_task_justification = _text()
    not_replacing_striker = serializers.BooleanField(required=False, allow_null=True)
    dangerous_work = serializers.BooleanField(required=False)
    protective_equipment = _text()
    place_of_work = _text(255, required=True)
    remote_allowed = serializers.BooleanField(required=False)
    rebill_expenses = serializers.BooleanField(required=False)
    purchase_order_reference = _text(100)
    payment_terms_note = _text()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    pricing_kind = serializers.ChoiceField(choices=PricingKind.choices)
    daily_rate = _money(10)
    fixed_price = _money(14)
    estimated_days = _days()


class CommercialContractCreateInputSerializer(CommercialContractUpdateInputSerializer):
    """POST: a new draft with its original terms."""


class CommercialContractCheckInputSerializer(serializers.Serializer):
    on_date = serializers.DateField(required=False)


class CommercialContractSignInputSerializer(serializers.Serializer):
    signed_pdf = serializers.FileField(required=False, allow_empty_file=False)
    signed_by_client_name = _text(200)
    signed_at = serializers.DateTimeField(required=False)
    acknowledge_warnings = serializers.BooleanField(required=False, default=False)


class CommercialContractAmendInputSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    daily_rate = _money(10)
    fixed_price = _money(14)
    estimated_days = _days()
    reason = _text(required=True)


class CommercialContractTerminateInputSerializer(serializers.Serializer):
    terminated_on = serializers.DateField()
    reason = _text(required=True)


class CommercialContractEndInputSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False)


# --- output ----------------------------------------------------------------------------------


class CommercialContractFindingSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    severity = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    figures = serializers.DictField(child=serializers.CharField())


class CommercialContractVersionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    is_amendment = serializers.BooleanField()
    effective_from = serializers.DateField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    pricing_kind = serializers.CharField()
    daily_rate = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    fixed_price = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    estimated_days = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class CommercialContractOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=ContractStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    client = serializers.IntegerField(source="client_id")
    client_name = serializers.CharField(source="client.legal_name")
    consultant = serializers.IntegerField(source="consultant_id")
    consultant_name = serializers.CharField(source="consultant.full_name")
    activity_category = serializers.IntegerField(source="activity_category_id")
    activity_category_code = serializers.CharField(source="activity_category.code")
    activity_category_label = serializers.CharField(source="activity_category.label")
    description = serializers.CharField()
    consultant_expertise = serializers.CharField()
    occasional_task_justification = serializers.CharField()
    not_replacing_striker = serializers.BooleanField(allow_null=True)
    dangerous_work = serializers.BooleanField()
    protective_equipment = serializers.CharField()
    place_of_work = serializers.CharField()
    remote_allowed = serializers.BooleanField()
    rebill_expenses = serializers.BooleanField()
    purchase_order_reference = serializers.CharField()
    payment_terms_note = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    current_terms = serializers.SerializerMethodField()
    amendments_count = serializers.SerializerMethodField()
    sent_for_signature_at = serializers.DateTimeField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    signed_by_client_name = serializers.CharField()
    has_signed_pdf = serializers.SerializerMethodField()
    activated_at = serializers.DateTimeField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    terminated_on = serializers.DateField(allow_null=True)
    termination_reason = serializers.CharField()
    pdf_available = serializers.SerializerMethodField()
    pdf_generated_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_current_terms(self, contract) -> dict | None:
        """The terms in force today (the original terms before the start). Reads the
        prefetched versions: no query per contract."""
        terms = commercial_contract_terms_at(
            contract=contract, on_date=max(timezone.localdate(), contract.start_date)
        ) or commercial_contract_latest_terms(contract)
        return CommercialContractVersionOutputSerializer(terms).data if terms else None

    def get_amendments_count(self, contract) -> int:
        latest = commercial_contract_latest_terms(contract)
        return latest.number if latest else 0

    def get_has_signed_pdf(self, contract) -> bool:
        return bool(contract.signed_pdf)

    def get_pdf_available(self, contract) -> bool:
        return bool(contract.pdf_file)


class CommercialContractWithFindingsOutputSerializer(CommercialContractOutputSerializer):
    findings = CommercialContractFindingSerializer(many=True)


class CommercialContractAmendOutputSerializer(CommercialContractVersionOutputSerializer):
    findings = CommercialContractFindingSerializer(many=True)


class CommercialContractCheckOutputSerializer(serializers.Serializer):
    blocking = serializers.BooleanField()
    findings = CommercialContractFindingSerializer(many=True)
