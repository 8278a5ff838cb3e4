"""/api/v1/payroll/payout-requests/: how much of the activity account a month pays out.

Consultants list, preview, make and cancel their own requests (someone else's id is a 404);
staff do it for any consultant (`consultant` required). Finance read.
"""

from datetime import date

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import RoleBasedPermission
from apps.ledger.selectors import ledger_consultant_for_user

from .models import PayoutRequest
from .selectors import payout_request_of, payout_requests_for_user
from .services import payout_period, payout_preview, payout_request_cancel, payout_request_set

TAGS = ["payroll"]
MONEY = {"max_digits": 14, "decimal_places": 2}


def period_field() -> serializers.RegexField:
    return serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="YYYY-MM; default: the month the next payslip pays.",
    )


class PayoutRequestOutputSerializer(serializers.ModelSerializer):
    period = serializers.DateField(format="%Y-%m")

    class Meta:
        model = PayoutRequest
        fields = [
            "id",
            "consultant",
            "period",
            "amount",
            "requested_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PayoutRequestInputSerializer(serializers.Serializer):
    consultant = serializers.IntegerField(
        required=False, help_text="Staff: the consultant. Consultants: omit (always yourself)."
    )
    period = period_field()
    amount = serializers.DecimalField(**MONEY, min_value=0, help_text="EUR taken from the account.")


class PayoutPreviewSerializer(serializers.Serializer):
    period = serializers.DateField(format="%Y-%m")
    available = serializers.DecimalField(**MONEY)
    requested = serializers.DecimalField(**MONEY, allow_null=True)
    amount = serializers.DecimalField(**MONEY)
    error = serializers.CharField()
    employer_cost = serializers.DecimalField(**MONEY, allow_null=True)
    provision = serializers.DecimalField(**MONEY, allow_null=True)
    gross = serializers.DecimalField(**MONEY, allow_null=True)
    net_before_income_tax = serializers.DecimalField(**MONEY, allow_null=True)
    income_tax = serializers.DecimalField(**MONEY, allow_null=True)
    net_paid = serializers.DecimalField(**MONEY, allow_null=True)
    remainder = serializers.DecimalField(**MONEY)


def preview_data(preview) -> dict:
    composition = preview.built.composition if preview.built else None
    payslip = composition.payslip if composition else None
    return {
        "period": preview.period,
        "available": preview.available,
        "requested": preview.requested,
        "amount": preview.amount,
        "error": preview.error,
        "employer_cost": composition.employer_cost if composition else None,
        "provision": composition.provision_loaded if composition else None,
        "gross": composition.gross if composition else None,
        "net_before_income_tax": payslip.net_before_income_tax if payslip else None,
        "income_tax": payslip.income_tax.amount if payslip else None,
        "net_paid": payslip.net_paid if payslip else None,
        "remainder": preview.remainder,
    }


def _period(value: str | None, consultant) -> date:
    if not value:
        return payout_period(consultant)
    year, month = value.split("-")
    return date(int(year), int(month), 1)


@extend_schema_view(
    list=extend_schema(summary="Pay-out requests (yours, or all for the back office)", tags=TAGS),
    destroy=extend_schema(
        summary="Cancel a request: the month pays out the whole balance again", tags=TAGS
    ),
)
class PayoutRequestViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    permission_classes = [RoleBasedPermission]
    consultant_access = "write"
    serializer_class = PayoutRequestOutputSerializer
    queryset = PayoutRequest.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return payout_requests_for_user(self.request.user)

    def _consultant(self, consultant_id):
        consultant = ledger_consultant_for_user(self.request.user, consultant_id)
        if consultant is None:
            raise Http404
        return consultant

    @extend_schema(
        summary="Ask for an amount to pay out (replaces the month's request)",
        request=PayoutRequestInputSerializer,
        responses={201: PayoutRequestOutputSerializer},
        tags=TAGS,
    )
    def create(self, request):
        serializer = PayoutRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consultant = self._consultant(data.get("consultant"))
        payout = payout_request_set(
            consultant=consultant,
            period=_period(data.get("period"), consultant),
            amount=data["amount"],
            by=request.user,
        )
        return Response(PayoutRequestOutputSerializer(payout).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        payout_request_cancel(
            consultant=instance.consultant, period=instance.period, by=self.request.user
        )

    @extend_schema(
        summary="What a month would pay from an amount (default: the request or everything)",
        parameters=[
            OpenApiParameter("amount", OpenApiTypes.DECIMAL, required=False),
            OpenApiParameter("period", OpenApiTypes.STR, required=False, description="YYYY-MM"),
            OpenApiParameter("consultant", OpenApiTypes.INT, required=False),
        ],
        responses={200: PayoutPreviewSerializer},
        tags=TAGS,
    )
    @action(detail=False, methods=["get"])
    def preview(self, request):
        query = PreviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        consultant = self._consultant(data.get("consultant"))
        period = _period(data.get("period"), consultant)
        requested = data.get("amount")
        if requested is None:
            current = payout_request_of(consultant_id=consultant.pk, period=period)
            requested = current.amount if current else None
        preview = payout_preview(consultant=consultant, period=period, requested=requested)
        return Response(PayoutPreviewSerializer(preview_data(preview)).data)


class PreviewQuerySerializer(serializers.Serializer):
    consultant = serializers.IntegerField(required=False)
    period = period_field()
    amount = serializers.DecimalField(**MONEY, min_value=0, required=False)
