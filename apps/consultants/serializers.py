"""API input (validation only) and output serializers. The services do the work."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.validators import validate_bic, validate_iban, validate_nir

from .models import Consultant
from .rules import consultant_eligibility


class ConsultantInputSerializer(serializers.Serializer):
    """Create (POST), replace (PUT) or change (PATCH) a consultant's editable fields."""

    civility = serializers.ChoiceField(choices=Consultant.Civility.choices)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    birth_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    birth_date = serializers.DateField()
    birth_place = serializers.CharField(max_length=150)
    birth_country = serializers.CharField(max_length=2, min_length=2, required=False)
    sex = serializers.ChoiceField(choices=Consultant.Sex.choices, required=False, allow_blank=True)
    nir = serializers.CharField(max_length=21, validators=[validate_nir])
    nationality = serializers.CharField(max_length=2, min_length=2, required=False)
    address_line1 = serializers.CharField(max_length=200)
    address_line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10)
    city = serializers.CharField(max_length=100)
    country = serializers.CharField(max_length=2, min_length=2, required=False)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    iban = serializers.CharField(
        max_length=42, required=False, allow_blank=True, validators=[validate_iban]
    )
    bic = serializers.CharField(
        max_length=11, required=False, allow_blank=True, validators=[validate_bic]
    )
    highest_diploma_level = serializers.ChoiceField(
        choices=Consultant.DiplomaLevel.choices, required=False, allow_null=True
    )
    years_of_experience = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, required=False, allow_null=True
    )
    eligibility_evidence = serializers.CharField(required=False, allow_blank=True)
    status_cadre = serializers.ChoiceField(choices=Consultant.StatusCadre.choices, required=False)
    management_fee_rate = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    income_tax_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )
    income_tax_rate_received_on = serializers.DateField(required=False, allow_null=True)
    payslip_email_opt_in = serializers.BooleanField(required=False)


class LeaveInputSerializer(serializers.Serializer):
    left_on = serializers.DateField()


class EligibilityOutputSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    level = serializers.ChoiceField(choices=["ok", "warning", "refused"])
    message = serializers.CharField()


class _ConsultantOutputBase(serializers.ModelSerializer):
    eligibility = serializers.SerializerMethodField()
    has_portal_account = serializers.BooleanField(read_only=True)

    @extend_schema_field(EligibilityOutputSerializer)
    def get_eligibility(self, obj: Consultant) -> dict:
        result = consultant_eligibility(obj)
        return {"eligible": result.eligible, "level": result.level, "message": result.message}


class ConsultantListOutputSerializer(_ConsultantOutputBase):
    """List rows: the IBAN is masked (FR76 **** **** 1234); the detail shows it in full."""

    iban = serializers.CharField(source="masked_iban", read_only=True)

    class Meta:
        model = Consultant
        fields = [
            "id",
            "civility",
            "first_name",
            "last_name",
            "email",
            "phone",
            "city",
            "status",
            "status_cadre",
            "management_fee_rate",
            "iban",
            "eligibility",
            "has_portal_account",
            "created_at",
        ]
        read_only_fields = fields


class ConsultantDetailOutputSerializer(_ConsultantOutputBase):
    class Meta:
        model = Consultant
        fields = [
            "id",
            "civility",
            "first_name",
            "last_name",
            "birth_name",
            "birth_date",
            "birth_place",
            "birth_country",
            "sex",
            "nir",
            "nationality",
            "address_line1",
            "address_line2",
            "postal_code",
            "city",
            "country",
            "email",
            "phone",
            "iban",
            "bic",
            "highest_diploma_level",
            "years_of_experience",
            "eligibility_evidence",
            "eligibility",
            "status_cadre",
            "status",
            "activated_on",
            "left_on",
            "management_fee_rate",
            "income_tax_rate",
            "income_tax_rate_received_on",
            "has_portal_account",
            "user",
            "invited_at",
            "payslip_email_opt_in",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
