"""/api/v1/commercial-contracts/: CRUD of drafts and one endpoint per business action.
Views parse input and call one service; errors come out in the common shape."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.permissions import RoleBasedPermission
from apps.compliance.engine import has_blocking

from . import services
from .filters import CommercialContractFilter
from .selectors import commercial_contract_versions, commercial_contracts_for_user
from .serializers import (
    CommercialContractAmendInputSerializer,
    CommercialContractAmendOutputSerializer,
    CommercialContractCheckInputSerializer,
    CommercialContractCheckOutputSerializer,
    CommercialContractCreateInputSerializer,
    CommercialContractEndInputSerializer,
    CommercialContractOutputSerializer,
    CommercialContractSignInputSerializer,
    CommercialContractTerminateInputSerializer,
    CommercialContractUpdateInputSerializer,
    CommercialContractVersionOutputSerializer,
    CommercialContractWithFindingsOutputSerializer,
)

TAGS = ["commercial contracts"]


@extend_schema_view(
    list=extend_schema(summary="List commercial contracts", tags=TAGS),
    retrieve=extend_schema(summary="A commercial contract", tags=TAGS),
    create=extend_schema(
        summary="Create a draft commercial contract (refused on a blocking PR-01/02/05 finding)",
        request=CommercialContractCreateInputSerializer,
        responses={201: CommercialContractWithFindingsOutputSerializer},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Change a draft (400 contract_not_editable once sent)",
        request=CommercialContractUpdateInputSerializer,
        responses={200: CommercialContractWithFindingsOutputSerializer},
        tags=TAGS,
    ),
)
class CommercialContractViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    # Consultants read their own contracts (the queryset is scoped: someone else's is a 404).
    consultant_access = "read"
    serializer_class = CommercialContractOutputSerializer
    filterset_class = CommercialContractFilter
    search_fields = ["reference", "client__legal_name", "consultant__last_name", "description"]
    ordering_fields = ["reference", "start_date", "end_date", "created_at"]
    ordering = ["-start_date", "-pk"]
    lookup_value_regex = "[0-9]+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return commercial_contracts_for_user(self.request.user)

    def _output(self, contract, serializer_class=CommercialContractOutputSerializer, **kwargs):
        fresh = self.get_queryset().get(pk=contract.pk)
        if hasattr(contract, "findings"):
            fresh.findings = contract.findings
        return Response(serializer_class(fresh).data, **kwargs)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CommercialContractOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(CommercialContractOutputSerializer(self.get_object()).data)

    def create(self, request):
        data = self._input(CommercialContractCreateInputSerializer)
        contract = services.commercial_contract_create(created_by=request.user, **data)
        return self._output(
            contract, CommercialContractWithFindingsOutputSerializer, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        contract = self.get_object()
        serializer = CommercialContractUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contract = services.commercial_contract_update(
            contract=contract, updated_by=request.user, **serializer.validated_data
        )
        return self._output(contract, CommercialContractWithFindingsOutputSerializer)

    @extend_schema(
        summary="Run the compliance check (findings with rule, severity, message, figures)",
        request=CommercialContractCheckInputSerializer,
        responses={200: CommercialContractCheckOutputSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        contract = self.get_object()
        data = self._input(CommercialContractCheckInputSerializer)
        findings = services.commercial_contract_check(
            contract=contract, on_date=data.get("on_date")
        )
        return Response(
            CommercialContractCheckOutputSerializer(
                {"blocking": has_blocking(findings), "findings": findings}
            ).data
        )

    @extend_schema(summary="Draft -> sent for signature", request=None, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="send-for-signature")
    def send_for_signature(self, request, pk=None):
        contract = services.commercial_contract_send_for_signature(
            contract=self.get_object(), by=request.user
        )
        return self._output(contract)

    @extend_schema(
        summary="Record the client's signature (multipart: signed_pdf, acknowledge_warnings)",
        request={"multipart/form-data": CommercialContractSignInputSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        contract = self.get_object()
        data = self._input(CommercialContractSignInputSerializer)
        contract = services.commercial_contract_sign(contract=contract, by=request.user, **data)
        return self._output(contract)

    @extend_schema(summary="Signed -> active (re-checked)", request=None, tags=TAGS)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        contract = services.commercial_contract_activate(
            contract=self.get_object(), by=request.user
        )
        return self._output(contract)

    @extend_schema(
        summary="Add an amendment (new dated version of the terms)",
        request=CommercialContractAmendInputSerializer,
        responses={201: CommercialContractAmendOutputSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        contract = self.get_object()
        data = self._input(CommercialContractAmendInputSerializer)
        version = services.commercial_contract_amend(contract=contract, by=request.user, **data)
        return Response(
            CommercialContractAmendOutputSerializer(version).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Terminate early (date and reason)",
        request=CommercialContractTerminateInputSerializer,
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        contract = self.get_object()
        data = self._input(CommercialContractTerminateInputSerializer)
        contract = services.commercial_contract_terminate(
            contract=contract, by=request.user, **data
        )
        return self._output(contract)

    @extend_schema(
        summary="Active -> ended", request=CommercialContractEndInputSerializer, tags=TAGS
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        contract = self.get_object()
        data = self._input(CommercialContractEndInputSerializer)
        contract = services.commercial_contract_end(contract=contract, by=request.user, **data)
        return self._output(contract)

    @extend_schema(
        summary="Versions: original terms and amendments",
        responses={200: CommercialContractVersionOutputSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request, pk=None):
        versions = commercial_contract_versions(self.get_object())
        return Response(CommercialContractVersionOutputSerializer(versions, many=True).data)

    @extend_schema(
        summary="The generated contract PDF (404 until it is generated)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def pdf(self, request, pk=None):
        contract = self.get_object()
        if not contract.pdf_file or not contract.pdf_file.storage.exists(contract.pdf_file.name):
            raise Http404
        return FileResponse(
            contract.pdf_file.open("rb"),
            content_type="application/pdf",
            as_attachment=False,
            filename=f"{contract.reference}.pdf",
        )
