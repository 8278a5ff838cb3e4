"""/api/v1/consultants/: list, read, create, change; business actions as POST endpoints.

No DELETE: a consultant who stops working with the company is marked "left" (`/leave/`).
Consultants may read their own record only (the queryset comes from
`consultants_for_user`, so another consultant's id is a 404); finance reads; staff writes.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import RoleBasedPermission

from . import services
from .filters import ConsultantFilter
from .selectors import consultants_for_user
from .serializers import (
    ConsultantDetailOutputSerializer,
    ConsultantInputSerializer,
    ConsultantListOutputSerializer,
    LeaveInputSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: {code, message, fields}."),
    403: OpenApiResponse(description="Not allowed for your role."),
    404: OpenApiResponse(description="No such consultant (or not yours)."),
}


def _detail(consultant, *, http_status=status.HTTP_200_OK) -> Response:
    return Response(ConsultantDetailOutputSerializer(consultant).data, status=http_status)


@extend_schema_view(
    list=extend_schema(summary="List consultants", responses=ConsultantListOutputSerializer),
    retrieve=extend_schema(
        summary="Read one consultant (full IBAN)",
        responses={200: ConsultantDetailOutputSerializer, 404: ERRORS[404]},
    ),
    create=extend_schema(
        summary="Create a consultant (status prospect)",
        request=ConsultantInputSerializer,
        responses={201: ConsultantDetailOutputSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    ),
    update=extend_schema(
        summary="Replace a consultant's editable fields",
        request=ConsultantInputSerializer,
        responses={200: ConsultantDetailOutputSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change some of a consultant's editable fields",
        request=ConsultantInputSerializer,
        responses={200: ConsultantDetailOutputSerializer, **ERRORS},
    ),
    invite=extend_schema(
        summary="Create the portal account and e-mail a set-password link",
        request=None,
        responses={
            200: ConsultantDetailOutputSerializer,
            409: OpenApiResponse(description="Already has an account."),
            **ERRORS,
        },
    ),
    activate=extend_schema(
        summary="prospect -> active (refused if not eligible, PR-06)",
        request=None,
        responses={
            200: ConsultantDetailOutputSerializer,
            409: OpenApiResponse(description="Status change not allowed."),
            **ERRORS,
        },
    ),
    leave=extend_schema(
        summary="Mark the consultant as having left on `left_on`",
        request=LeaveInputSerializer,
        responses={
            200: ConsultantDetailOutputSerializer,
            409: OpenApiResponse(description="Status change not allowed."),
            **ERRORS,
        },
    ),
)
class ConsultantViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    consultant_access = "read"
    filterset_class = ConsultantFilter
    search_fields = ["first_name", "last_name", "birth_name", "email"]
    ordering_fields = ["last_name", "created_at"]
    ordering = ["last_name", "first_name", "pk"]
    serializer_class = ConsultantDetailOutputSerializer

    def get_queryset(self):
        return consultants_for_user(self.request.user)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = ConsultantListOutputSerializer(page, many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        return _detail(self.get_object())

    def create(self, request):
        serializer = ConsultantInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consultant = services.consultant_create(
            created_by=request.user, **serializer.validated_data
        )
        return _detail(consultant, http_status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        consultant = self.get_object()
        serializer = ConsultantInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        consultant = services.consultant_update(
            consultant=consultant, updated_by=request.user, **serializer.validated_data
        )
        return _detail(consultant)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        consultant = services.consultant_invite(
            consultant=self.get_object(), invited_by=request.user
        )
        return _detail(consultant)

    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        consultant = services.consultant_activate(consultant=self.get_object(), by=request.user)
        return _detail(consultant)

    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        serializer = LeaveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consultant = services.consultant_mark_left(
            consultant=self.get_object(),
            left_on=serializer.validated_data["left_on"],
            by=request.user,
        )
        return _detail(consultant)
