"""/api/v1/payments/, /api/v1/bank-statements/, /api/v1/bank-statement-lines/.

- GET  payments/                      list (filters: client, date_from, date_to, unallocated)
- POST payments/                      record a payment received
- GET  payments/{id}/                 one payment with its allocations
- POST payments/{id}/allocate/        {"allocations": [{"invoice", "amount"}], "allocated_on"?}
- GET  bank-statements/               imports;  POST (multipart "file") imports a statement
- GET  bank-statements/{id}/          with its lines and proposals
- POST bank-statements/{id}/confirm-proposals/   confirm every proposed line as proposed
- GET  bank-statement-lines/{id}/
- POST bank-statement-lines/{id}/confirm/        {"allocations"?: [{"invoice", "amount"}]}
- POST bank-statement-lines/{id}/ignore/

Finance writes (model permissions); staff read payments; consultants get 403 everywhere.
"""

import django_filters
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.accounts.permissions import RoleBasedPermission

from ..models import Payment, PaymentSource
from ..selectors.payments import (
    bank_statement_lines,
    bank_statement_with_lines,
    bank_statements_list,
    payment_with_allocations,
    payments_list,
)
from ..serializers.payments import (
    BankStatementDetailOutputSerializer,
    BankStatementLineOutputSerializer,
    BankStatementOutputSerializer,
    BankStatementUploadInputSerializer,
    BulkConfirmOutputSerializer,
    LineConfirmInputSerializer,
    PaymentAllocateInputSerializer,
    PaymentDetailOutputSerializer,
    PaymentOutputSerializer,
    PaymentRecordInputSerializer,
)
from ..services import bank_statements as statement_services
from ..services import payments as payment_services

ERRORS = {
    400: OpenApiResponse(description="Invalid input: {code, message, fields}."),
    403: OpenApiResponse(description="Not allowed for your role."),
    404: OpenApiResponse(description="Not found."),
    409: OpenApiResponse(description="Refused by a business rule (amount, status)."),
}


class PaymentFilter(django_filters.FilterSet):
    """?client=3&date_from=2026-01-01&date_to=2026-03-31&unallocated=true&source=manual"""

    client = django_filters.NumberFilter(field_name="client_id")
    date_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")
    unallocated = django_filters.BooleanFilter(method="filter_unallocated")
    source = django_filters.ChoiceFilter(choices=PaymentSource.choices)

    class Meta:
        model = Payment
        fields = ["client", "date_from", "date_to", "unallocated", "source"]

    def filter_unallocated(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(unallocated_amount__gt=0)
        return queryset.filter(unallocated_amount__lte=0)


def _input(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary="List payments received", tags=["payments"]),
    retrieve=extend_schema(
        summary="A payment with its allocations",
        responses={200: PaymentDetailOutputSerializer, **ERRORS},
        tags=["payments"],
    ),
    create=extend_schema(
        summary="Record a payment received",
        request=PaymentRecordInputSerializer,
        responses={201: PaymentDetailOutputSerializer, **ERRORS},
        tags=["payments"],
    ),
)
class PaymentViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    serializer_class = PaymentOutputSerializer
    filterset_class = PaymentFilter
    search_fields = ["payer_name", "bank_reference", "client__legal_name"]
    ordering_fields = ["received_on", "amount", "created_at"]
    ordering = ["-received_on", "-pk"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return payments_list()

    def _detail(self, pk, **kwargs):
        payment = payment_with_allocations(pk)
        if payment is None:
            raise Http404
        return Response(PaymentDetailOutputSerializer(payment).data, **kwargs)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(PaymentOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self._detail(pk)

    def create(self, request):
        data = _input(PaymentRecordInputSerializer, request)
        payment = payment_services.payment_record(
            received_on=data["received_on"],
            amount=data["amount"],
            payer_name=data["payer_name"],
            bank_reference=data.get("bank_reference", ""),
            client=data.get("client"),
            notes=data.get("notes", ""),
            created_by=request.user,
        )
        return self._detail(payment.pk, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Allocate the payment to one or several invoices (lettrage)",
        request=PaymentAllocateInputSerializer,
        responses={200: PaymentDetailOutputSerializer, **ERRORS},
        tags=["payments"],
    )
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        payment = self.get_queryset().filter(pk=pk).first()
        if payment is None:
            raise Http404
        data = _input(PaymentAllocateInputSerializer, request)
        payment_services.payment_allocate_many(
            payment=payment,
            allocations=[(row["invoice"], row["amount"]) for row in data["allocations"]],
            allocated_by=request.user,
            allocated_on=data.get("allocated_on"),
        )
        return self._detail(payment.pk)


@extend_schema_view(
    list=extend_schema(
        summary="List bank statement imports",
        responses={200: BankStatementOutputSerializer(many=True)},
        tags=["bank statements"],
    ),
    retrieve=extend_schema(
        summary="A bank statement with its lines and matching proposals",
        responses={200: BankStatementDetailOutputSerializer, **ERRORS},
        tags=["bank statements"],
    ),
    create=extend_schema(
        summary="Import a bank statement (CSV or CAMT.053) and propose matches",
        request={"multipart/form-data": BankStatementUploadInputSerializer},
        responses={201: BankStatementDetailOutputSerializer, **ERRORS},
        tags=["bank statements"],
    ),
)
class BankStatementViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    serializer_class = BankStatementOutputSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    lookup_value_regex = "[0-9]+"
    ordering = ["-created_at"]

    def get_queryset(self):
        return bank_statements_list()

    def _detail(self, pk, **kwargs):
        statement = bank_statement_with_lines(pk)
        if statement is None:
            raise Http404
        return Response(BankStatementDetailOutputSerializer(statement).data, **kwargs)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(BankStatementOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self._detail(pk)

    def create(self, request):
        data = _input(BankStatementUploadInputSerializer, request)
        statement = statement_services.bank_statement_import(
            file=data["file"], imported_by=request.user
        )
        return self._detail(statement.pk, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm every proposed line as proposed",
        request=None,
        responses={200: BulkConfirmOutputSerializer, **ERRORS},
        tags=["bank statements"],
    )
    @action(detail=True, methods=["post"], url_path="confirm-proposals")
    def confirm_proposals(self, request, pk=None):
        statement = self.get_queryset().filter(pk=pk).first()
        if statement is None:
            raise Http404
        result = statement_services.bank_statement_confirm_proposals(
            statement=statement, confirmed_by=request.user
        )
        return Response(BulkConfirmOutputSerializer(result).data)


class StatementLinePermission(BasePermission):
    """Lines have no model permissions of their own: those of the statement import apply
    (consultants have none of them)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        action_name = "view" if request.method in SAFE_METHODS else "change"
        return user.has_perm(f"invoices.{action_name}_bankstatementimport")


@extend_schema_view(
    retrieve=extend_schema(
        summary="A bank statement line with its proposal",
        responses={200: BankStatementLineOutputSerializer, **ERRORS},
        tags=["bank statements"],
    ),
)
class BankStatementLineViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [StatementLinePermission]
    serializer_class = BankStatementLineOutputSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return bank_statement_lines()

    def _line(self, pk):
        line = self.get_queryset().filter(pk=pk).first()
        if line is None:
            raise Http404
        return line

    def _output(self, pk):
        return Response(BankStatementLineOutputSerializer(self._line(pk)).data)

    @extend_schema(
        summary="Confirm the line: record the payment and allocate it (the proposal if "
        "no allocations are given)",
        request=LineConfirmInputSerializer,
        responses={200: BankStatementLineOutputSerializer, **ERRORS},
        tags=["bank statements"],
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        line = self._line(pk)
        data = _input(LineConfirmInputSerializer, request)
        allocations = data.get("allocations")
        statement_services.bank_statement_line_confirm(
            line=line,
            confirmed_by=request.user,
            allocations=(
                None
                if allocations is None
                else [(row["invoice"], row["amount"]) for row in allocations]
            ),
        )
        return self._output(pk)

    @extend_schema(
        summary="Ignore the line (not a client payment)",
        request=None,
        responses={200: BankStatementLineOutputSerializer, **ERRORS},
        tags=["bank statements"],
    )
    @action(detail=True, methods=["post"])
    def ignore(self, request, pk=None):
        statement_services.bank_statement_line_ignore(line=self._line(pk), ignored_by=request.user)
        return self._output(pk)


router = SimpleRouter()
router.register("payments", PaymentViewSet, basename="payment")
router.register("bank-statements", BankStatementViewSet, basename="bank-statement")
router.register("bank-statement-lines", BankStatementLineViewSet, basename="bank-statement-line")

urlpatterns = router.urls
