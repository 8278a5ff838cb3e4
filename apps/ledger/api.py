"""/api/v1/ledger/: the compte d'activité.

- GET  ledger/statement/?consultant=<id>&start=&end=  statement of one consultant
- GET  ledger/entries/ (filters: consultant, kind, entry_date_after/_before), entries/{id}/
- POST ledger/adjustments/        staff adjustment (staff and finance)
- POST ledger/entries/{id}/reverse/  reverse an entry (staff and finance)

A consultant reads their own account only: the statement ignores `consultant` when it is
their own id and answers 404 for anyone else's; the entry list is scoped by
`ledger_entries_for_user`, so another consultant's entry id is a 404 too. No PUT, PATCH nor
DELETE: entries are append-only.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.accounts.permissions import RoleBasedPermission
from apps.accounts.roles import user_is_back_office

from . import services
from .filters import LedgerEntryFilter
from .selectors import (
    ledger_consultant_for_user,
    ledger_entries_for_user,
    ledger_statement,
    month_end,
    month_start,
)
from .serializers import (
    AdjustmentInputSerializer,
    LedgerEntryOutputSerializer,
    LedgerStatementOutputSerializer,
    ReverseInputSerializer,
    StatementQuerySerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: {code, message, fields}."),
    403: OpenApiResponse(description="Not allowed for your role."),
    404: OpenApiResponse(description="No such entry or consultant (or not yours)."),
    409: OpenApiResponse(description="Refused by a ledger rule (e.g. already reversed)."),
}


class LedgerStatementView(generics.GenericAPIView):
    permission_classes = [RoleBasedPermission]
    consultant_access = "read"
    serializer_class = LedgerStatementOutputSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return ledger_entries_for_user(self.request.user)

    @extend_schema(
        summary="Statement of a consultant's compte d'activité",
        description=(
            "Opening balance, movements with their source documents, totals per kind,"
            " per-month subtotals and closing balance. Defaults to the current month."
            " Consultants get their own account (any other `consultant` id is a 404)."
        ),
        parameters=[
            OpenApiParameter("consultant", int, description="Required for the back office."),
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day, included."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day, included."),
        ],
        responses={
            200: LedgerStatementOutputSerializer,
            **{code: ERRORS[code] for code in (400, 403, 404)},
        },
    )
    def get(self, request):
        query = StatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        consultant_id = params.get("consultant")
        if consultant_id is None and user_is_back_office(request.user):
            raise ValidationError({"consultant": _("Choose the consultant whose account to show.")})
        consultant = ledger_consultant_for_user(request.user, consultant_id)
        if consultant is None:
            raise NotFound
        today = timezone.localdate()
        end = params.get("end") or (
            month_end(params["start"]) if params.get("start") else month_end(today)
        )
        start = params.get("start") or month_start(end)
        statement = ledger_statement(consultant, start=start, end=end)
        return Response(LedgerStatementOutputSerializer(statement).data)


class LedgerAdjustmentView(generics.GenericAPIView):
    """Staff and finance only (model permission ledger.add_ledgerentry)."""

    permission_classes = [RoleBasedPermission]
    serializer_class = AdjustmentInputSerializer

    def get_queryset(self):
        return ledger_entries_for_user(self.request.user)

    @extend_schema(
        summary="Post a staff adjustment on a consultant's account",
        request=AdjustmentInputSerializer,
        responses={201: LedgerEntryOutputSerializer, **ERRORS},
    )
    def post(self, request):
        serializer = AdjustmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = services.ledger_adjust(
            consultant=data["consultant"],
            amount=data["amount"],
            label=data["label"],
            entry_date=data.get("entry_date") or timezone.localdate(),
            created_by=request.user,
        )
        return Response(LedgerEntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class LedgerEntryViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    consultant_access = "read"
    filterset_class = LedgerEntryFilter
    search_fields = ["label"]
    ordering_fields = ["entry_date", "amount", "created_at"]
    ordering = ["-entry_date", "-id"]
    serializer_class = LedgerEntryOutputSerializer

    def get_queryset(self):
        return ledger_entries_for_user(self.request.user)

    @extend_schema(summary="List ledger entries", responses=LedgerEntryOutputSerializer(many=True))
    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(LedgerEntryOutputSerializer(page, many=True).data)

    @extend_schema(
        summary="Read one ledger entry",
        responses={200: LedgerEntryOutputSerializer, 404: ERRORS[404]},
    )
    def retrieve(self, request, pk=None):
        return Response(LedgerEntryOutputSerializer(self.get_object()).data)

    @extend_schema(
        summary="Reverse an entry (a new entry of the opposite amount)",
        request=ReverseInputSerializer,
        responses={201: LedgerEntryOutputSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="reverse")
    def reverse_entry(self, request, pk=None):
        entry = self.get_object()
        serializer = ReverseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reversal = services.ledger_reverse(
            entry=entry,
            reason=serializer.validated_data["reason"],
            entry_date=serializer.validated_data.get("entry_date"),
            created_by=request.user,
        )
        return Response(LedgerEntryOutputSerializer(reversal).data, status=status.HTTP_201_CREATED)
