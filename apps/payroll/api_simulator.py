"""POST /api/v1/payroll/simulate/: the portage simulator (issue 6 §6).

Any signed-in user with a role (staff, finance, consultant) may simulate: staff for
prospects, consultants for themselves. Nothing is stored. Omitted inputs default to the
consultant's own terms (fee rate, status, contract, level) or the company's defaults.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.roles import user_is_back_office, user_is_consultant

from .engine import group_label
from .simulator import simulate_portage, simulation_defaults_for_user

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 4}


class HasARole(BasePermission):
    """Staff, finance or consultant: the simulator reads no one's data."""

    message = _("You need a staff, finance or consultant account to use the simulator.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user_is_back_office(user) or user_is_consultant(user)


# --- input --------------------------------------------------------------------------------
class SimulateInputSerializer(serializers.Serializer):
    daily_rate = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="TJM excluding VAT, EUR."
    )
    days_per_month = serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text="Days billed in the month, 0.5 to 23."
    )
    management_fee_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text="Percent of the turnover; default: your rate or the company default.",
    )
    expenses = serializers.DecimalField(
        **MONEY, required=False, help_text="Expenses reimbursed in the month (EUR)."
    )
    status = serializers.ChoiceField(
        choices=["cadre", "non-cadre"], required=False, help_text="Default: your status."
    )
    headcount = serializers.IntegerField(
        required=False, min_value=0, help_text="Default: the company's headcount."
    )
    period = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="YYYY-MM; default: the current month.",
        error_messages={"invalid": _("Enter the pay period as YYYY-MM (for example 2026-01).")},
    )
    contract_type = serializers.ChoiceField(choices=["CDI", "CDD"], required=False)
    pas_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=(
            "Personalised income tax rate, %; default: yours (consultants), else the neutral grid."
        ),
    )
    classification_level = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=4,
        help_text="IDCC 3219 level for the minimum-salary check; default: your contract's.",
    )


# --- output -------------------------------------------------------------------------------
class SimulationLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.SerializerMethodField()
    group = serializers.CharField()
    group_label = serializers.SerializerMethodField()
    base = serializers.DecimalField(**MONEY)
    employee_rate = serializers.DecimalField(**RATE, allow_null=True)
    employee_amount = serializers.DecimalField(**MONEY)
    employer_rate = serializers.DecimalField(**RATE, allow_null=True)
    employer_amount = serializers.DecimalField(**MONEY)

    def get_label(self, line) -> str:
        return line.label_fr if _lang() == "fr" else line.label_en

    def get_group_label(self, line) -> str:
        return group_label(line.group, _lang())


class MinimumCheckSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    minimum = serializers.DecimalField(**MONEY, help_text="Pro-rated to the days.")
    monthly_minimum = serializers.DecimalField(**MONEY)
    remuneration = serializers.DecimalField(**MONEY, help_text="Base + bonus + paid leave.")
    shortfall = serializers.DecimalField(**MONEY)
    ok = serializers.BooleanField()


class SimulationOutputSerializer(serializers.Serializer):
    period = serializers.DateField(format="%Y-%m")
    status = serializers.CharField()
    contract_type = serializers.CharField()
    headcount = serializers.IntegerField()
    daily_rate = serializers.DecimalField(**MONEY)
    days_per_month = serializers.DecimalField(max_digits=4, decimal_places=1)
    management_fee_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    turnover = serializers.DecimalField(**MONEY)
    management_fee = serializers.DecimalField(**MONEY)
    expenses = serializers.DecimalField(**MONEY)
    available = serializers.DecimalField(**MONEY)
    base_salary = serializers.DecimalField(**MONEY)
    business_bonus = serializers.DecimalField(**MONEY)
    paid_leave = serializers.DecimalField(**MONEY)
    gross = serializers.DecimalField(**MONEY)
    provision_kind = serializers.CharField(help_text="reserve (CDI) or precarity (CDD).")
    provision = serializers.DecimalField(**MONEY)
    provision_loaded = serializers.DecimalField(**MONEY)
    employee_contributions = serializers.DecimalField(**MONEY)
    employer_contributions = serializers.DecimalField(**MONEY)
    employer_cost = serializers.DecimalField(**MONEY)
    remainder = serializers.DecimalField(**MONEY)
    net_before_income_tax = serializers.DecimalField(**MONEY)
    net_taxable = serializers.DecimalField(**MONEY)
    net_social = serializers.DecimalField(**MONEY)
    income_tax_kind = serializers.CharField(help_text="personalised or neutral.")
    income_tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    income_tax = serializers.DecimalField(**MONEY)
    net_paid = serializers.DecimalField(**MONEY)
    consultant_receives = serializers.DecimalField(**MONEY, help_text="Net paid + expenses.")
    net_paid_ratio = serializers.DecimalField(
        max_digits=7, decimal_places=2, help_text="Net paid / turnover, percent."
    )
    minimum = MinimumCheckSerializer(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())
    lines = SimulationLineSerializer(source="payslip.lines", many=True)


def _lang() -> str:
    return (translation.get_language() or "fr")[:2]


class PayrollSimulateView(APIView):
    permission_classes = [HasARole]

    @extend_schema(
        summary="Simulate a month of portage",
        description=(
            "From a daily rate, days per month, management fee and expenses: turnover → fee →"
            " expenses → available → employer cost → gross (base salary, business bonus,"
            " paid leave; reserve or precarity provision) → every contribution line → net"
            " before income tax → PAS → net paid. Same engine as the monthly payroll run."
            " Nothing is stored."
        ),
        request=SimulateInputSerializer,
        responses={
            200: SimulationOutputSerializer,
            400: OpenApiResponse(description="Invalid input: {code, message, fields}."),
            403: OpenApiResponse(description="No staff, finance or consultant role."),
        },
        examples=[
            OpenApiExample(
                "18 days at 600 EUR",
                value={"daily_rate": "600.00", "days_per_month": "18", "period": "2026-01"},
                request_only=True,
            )
        ],
        tags=["payroll"],
    )
    def post(self, request):
        given = SimulateInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        defaults = simulation_defaults_for_user(request.user)
        simulation = simulate_portage(
            daily_rate=data["daily_rate"],
            days_per_month=data["days_per_month"],
            management_fee_rate=data.get("management_fee_rate", defaults["management_fee_rate"]),
            expenses=data.get("expenses"),
            status=data.get("status", defaults["status"]),
            headcount=data.get("headcount", defaults["headcount"]),
            period=data.get("period"),
            contract_type=data.get("contract_type", defaults["contract_type"]),
            pas_rate=data.get("pas_rate", defaults["pas_rate"]),
            classification_level=data.get("classification_level", defaults["classification_level"]),
        )
        return Response(SimulationOutputSerializer(simulation).data)
