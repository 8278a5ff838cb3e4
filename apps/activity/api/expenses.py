"""/api/v1/expense-claims/ and /api/v1/expense-lines/: drafts, lines with their receipt
(multipart), and one endpoint per business action. Views parse input and call one service;
errors come out in the common shape.

Who may do what (the queryset is scoped: a consultant asking for someone else's claim,
line or receipt gets a 404):

| action                                         | consultant | staff | finance |
|------------------------------------------------|------------|-------|---------|
| list, retrieve, receipt                        | own        | yes   | yes     |
| create, PATCH, add/change/remove lines, submit | own        | yes   | 403     |
| approve, reject                                | 403        | yes   | 403     |
| reimburse                                      | 403        | yes   | yes     |
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.accounts.roles import Role, user_has_role, user_is_back_office
from apps.consultants.selectors import consultant_get_for_user

from ..selectors.expenses import expense_claims_for_user, expense_lines_for_user
from ..serializers.expenses import (
    ExpenseClaimCreateInputSerializer,
    ExpenseClaimDetailOutputSerializer,
    ExpenseClaimOutputSerializer,
    ExpenseClaimReimburseInputSerializer,
    ExpenseClaimRejectInputSerializer,
    ExpenseClaimUpdateInputSerializer,
    ExpenseLineInputSerializer,
    ExpenseLineOutputSerializer,
    ExpenseLineUpdateInputSerializer,
)
from ..services import expenses as services
from ..services.uploads import receipt_extension

TAGS = ["expense claims"]

READ_ACTIONS = frozenset({"list", "retrieve", "receipt"})
DRAFT_ACTIONS = frozenset({"create", "partial_update", "destroy", "lines", "submit", "reopen"})
DECIDE_ACTIONS = frozenset({"approve", "reject"})
PAY_ACTIONS = frozenset({"reimburse"})

VIEW_PERM = "activity.view_expenseclaim"
ADD_PERM = "activity.add_expenseclaim"
CHANGE_PERM = "activity.change_expenseclaim"


def _consultant_only(user) -> bool:
    """A consultant without a back-office role: limited to their own claims."""
    return not user_is_back_office(user)


class ExpenseClaimPermission(BasePermission):
    """The matrix of the module docstring. Consultants are scoped by the queryset."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        name = getattr(view, "action", None)
        if _consultant_only(user):
            return user_has_role(user, Role.CONSULTANT) and name in READ_ACTIONS | DRAFT_ACTIONS
        if name in READ_ACTIONS:
            return user.has_perm(VIEW_PERM)
        if name in DRAFT_ACTIONS:
            return user.has_perms([ADD_PERM, CHANGE_PERM])
        if name in DECIDE_ACTIONS:
            is_staff_role = user.is_superuser or user_has_role(user, Role.STAFF)
            return is_staff_role and user.has_perm(CHANGE_PERM)
        if name in PAY_ACTIONS:
            return user.has_perm(CHANGE_PERM)
        return False


class _ExpenseViewMixin:
    permission_classes = [ExpenseClaimPermission]
    # Consultants write their own claims (the queryset is scoped); the permission class
    # above keeps approve / reject / reimburse for the back office.
    consultant_access = "write"
    lookup_value_regex = "[0-9]+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _input(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="List expense claims (consultants: their own)", tags=TAGS),
    retrieve=extend_schema(
        summary="An expense claim with its lines",
        responses={200: ExpenseClaimDetailOutputSerializer},
        tags=TAGS,
    ),
    create=extend_schema(
        summary="Create a draft claim (a consultant creates their own; staff name the consultant)",
        request=ExpenseClaimCreateInputSerializer,
        responses={201: ExpenseClaimDetailOutputSerializer},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Change a draft's title or mission (409 once submitted)",
        request=ExpenseClaimUpdateInputSerializer,
        responses={200: ExpenseClaimDetailOutputSerializer},
        tags=TAGS,
    ),
)
class ExpenseClaimViewSet(_ExpenseViewMixin, viewsets.GenericViewSet):
    serializer_class = ExpenseClaimOutputSerializer
    filterset_fields = ["status", "consultant", "commercial_contract"]
    search_fields = ["title", "consultant__first_name", "consultant__last_name"]
    ordering_fields = ["created_at", "submitted_at", "total_ttc"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        claims = expense_claims_for_user(self.request.user)
        if self.action != "list":
            claims = claims.prefetch_related("lines")
        return claims

    def _detail(self, claim, **kwargs) -> Response:
        fresh = self.get_queryset().prefetch_related("lines").get(pk=claim.pk)
        return Response(ExpenseClaimDetailOutputSerializer(fresh).data, **kwargs)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ExpenseClaimOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ExpenseClaimDetailOutputSerializer(self.get_object()).data)

    def create(self, request):
        data = self._input(ExpenseClaimCreateInputSerializer)
        consultant = data.pop("consultant", None)
        if _consultant_only(request.user):
            consultant = consultant_get_for_user(request.user)
            if consultant is None:
                raise PermissionDenied
        elif consultant is None:
            raise ValidationError({"consultant": _("Choose the consultant whose claim it is.")})
        claim = services.expense_claim_create(
            consultant=consultant, created_by=request.user, **data
        )
        return self._detail(claim, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        claim = self.get_object()
        data = self._input(ExpenseClaimUpdateInputSerializer, partial=True)
        claim = services.expense_claim_update(claim=claim, updated_by=request.user, **data)
        return self._detail(claim)

    @extend_schema(
        summary="Add a line to a draft (multipart with the receipt; mileage computed)",
        request={"multipart/form-data": ExpenseLineInputSerializer},
        responses={201: ExpenseLineOutputSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        claim = self.get_object()
        data = self._input(ExpenseLineInputSerializer)
        line = services.expense_line_add(claim=claim, added_by=request.user, **data)
        return Response(ExpenseLineOutputSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Draft -> submitted (totals frozen)", request=None, tags=TAGS)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        claim = services.expense_claim_submit(claim=self.get_object(), by=request.user)
        return self._detail(claim)

    @extend_schema(summary="Rejected -> draft, to correct it", request=None, tags=TAGS)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        claim = services.expense_claim_reopen(claim=self.get_object(), by=request.user)
        return self._detail(claim)

    @extend_schema(summary="Submitted -> approved (staff)", request=None, tags=TAGS)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        claim = services.expense_claim_approve(claim=self.get_object(), by=request.user)
        return self._detail(claim)

    @extend_schema(
        summary="Submitted -> rejected with a reason (staff)",
        request=ExpenseClaimRejectInputSerializer,
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        claim = self.get_object()
        data = self._input(ExpenseClaimRejectInputSerializer)
        claim = services.expense_claim_reject(claim=claim, by=request.user, **data)
        return self._detail(claim)

    @extend_schema(
        summary="Approved -> reimbursed: one ledger entry; 409 insufficient_balance beyond the"
        " available balance",
        request=ExpenseClaimReimburseInputSerializer,
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def reimburse(self, request, pk=None):
        claim = self.get_object()
        data = self._input(ExpenseClaimReimburseInputSerializer)
        claim = services.expense_claim_reimburse(
            claim=claim, by=request.user, on_date=data.get("on_date")
        )
        return self._detail(claim)


@extend_schema_view(
    retrieve=extend_schema(summary="An expense line", tags=TAGS),
    partial_update=extend_schema(
        summary="Change a line of a draft (multipart to replace the receipt)",
        request={"multipart/form-data": ExpenseLineUpdateInputSerializer},
        responses={200: ExpenseLineOutputSerializer},
        tags=TAGS,
    ),
    destroy=extend_schema(summary="Remove a line of a draft", tags=TAGS),
)
class ExpenseLineViewSet(_ExpenseViewMixin, viewsets.GenericViewSet):
    serializer_class = ExpenseLineOutputSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return expense_lines_for_user(self.request.user)

    def retrieve(self, request, pk=None):
        return Response(ExpenseLineOutputSerializer(self.get_object()).data)

    def partial_update(self, request, pk=None):
        line = self.get_object()
        data = self._input(ExpenseLineUpdateInputSerializer, partial=True)
        line = services.expense_line_update(line=line, updated_by=request.user, **data)
        return Response(ExpenseLineOutputSerializer(line).data)

    def destroy(self, request, pk=None):
        services.expense_line_remove(line=self.get_object(), removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The receipt file (PDF, JPEG or PNG)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        line = self.get_object()
        return receipt_response(line)


def receipt_response(line, *, as_attachment: bool = False) -> FileResponse:
    """The receipt of `line` (404 when it has none or the file is gone). Its type was read
    from the content at upload; the download name is ours, never the client's."""
    if not line.receipt or not line.receipt.storage.exists(line.receipt.name):
        raise Http404
    content_type = line.receipt_content_type or "application/octet-stream"
    try:
        extension = receipt_extension(content_type)
    except KeyError:
        extension = "bin"
    return FileResponse(
        line.receipt.open("rb"),
        content_type=content_type,
        as_attachment=as_attachment,
        filename=f"receipt-{line.claim_id}-{line.pk}.{extension}",
    )


router = SimpleRouter()
router.register("expense-claims", ExpenseClaimViewSet, basename="expense-claim")
router.register("expense-lines", ExpenseLineViewSet, basename="expense-line")

urlpatterns = router.urls
