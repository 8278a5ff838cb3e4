"""/api/v1/employment-contracts/: CRUD of drafts and one endpoint per business action.
Views parse input and call one service; errors come out in the common shape
{"code", "message", "fields"}. Consultants read their own contracts (the queryset is scoped:
someone else's id is a 404); finance reads; staff writes."""

from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.permissions import RoleBasedPermission
from apps.compliance.engine import has_blocking

from . import services
from .filters import EmploymentContractFilter
from .selectors import employment_contracts_for_user
from .serializers import (
    CheckInputSerializer,
    CheckOutputSerializer,
    ContractCreateInputSerializer,
    ContractDetailOutputSerializer,
    ContractListOutputSerializer,
    ContractUpdateInputSerializer,
    EndInputSerializer,
    LinkInputSerializer,
    ProspectionExtensionInputSerializer,
    RenewalOutputSerializer,
    RenewInputSerializer,
    SignInputSerializer,
    TerminateInputSerializer,
)

TAGS = ["employment contracts"]
ERRORS = {
    400: OpenApiResponse(description="Invalid input or blocking finding: {code, message, fields}."),
    403: OpenApiResponse(description="Not allowed for your role."),
    404: OpenApiResponse(description="No such contract (or not yours)."),
    409: OpenApiResponse(description="Status change not allowed (e.g. signing twice)."),
}


def _action_schema(summary: str, request=None):
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: ContractDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )


@extend_schema_view(
    list=extend_schema(summary="List employment contracts", tags=TAGS),
    retrieve=extend_schema(
        summary="An employment contract",
        responses={200: ContractDetailOutputSerializer, 404: ERRORS[404]},
        tags=TAGS,
    ),
    create=extend_schema(
        summary="Create a draft employment contract (CDI or CDD)",
        request=ContractCreateInputSerializer,
        responses={201: ContractDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Change a draft (409 not_editable once sent for signature)",
        request=ContractUpdateInputSerializer,
        responses={200: ContractDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    ),
)
class EmploymentContractViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    consultant_access = "read"
    serializer_class = ContractDetailOutputSerializer
    filterset_class = EmploymentContractFilter
    search_fields = ["reference", "consultant__last_name", "consultant__first_name", "cdd_reason"]
    ordering_fields = ["reference", "start_date", "created_at"]
    ordering = ["-start_date", "-pk"]
    lookup_value_regex = "[0-9]+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return employment_contracts_for_user(self.request.user)

    def _output(self, contract, *, http_status=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=contract.pk)
        return Response(ContractDetailOutputSerializer(fresh).data, status=http_status)

    def _input(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    # --- CRUD --------------------------------------------------------------------------------
    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ContractListOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ContractDetailOutputSerializer(self.get_object()).data)

    def create(self, request):
        data = dict(self._input(ContractCreateInputSerializer))
        contract = services.employment_contract_create(
            consultant=data.pop("consultant"),
            kind=data.pop("kind"),
            start_date=data.pop("start_date"),
            commercial_contracts=data.pop("commercial_contracts", []),
            created_by=request.user,
            **data,
        )
        return self._output(contract, http_status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        contract = self.get_object()
        data = dict(self._input(ContractUpdateInputSerializer, partial=True))
        contract = services.employment_contract_update(
            contract=contract,
            updated_by=request.user,
            commercial_contracts=data.pop("commercial_contracts", None),
            **data,
        )
        return self._output(contract)

    # --- business actions ----------------------------------------------------------------------
    @extend_schema(
        summary="Compliance findings of the contract (rule, severity, message, figures)",
        request=CheckInputSerializer,
        responses={200: CheckOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        on_date = self._input(CheckInputSerializer).get("on_date") or timezone.localdate()
        findings = services.employment_contract_check(contract=self.get_object(), on_date=on_date)
        payload = {
            "on_date": on_date,
            "blocking": has_blocking(findings),
            "findings": services.findings_as_dicts(findings),
        }
        return Response(CheckOutputSerializer(payload).data)

    @_action_schema("draft -> sent for signature (refused on a blocking finding)")
    @action(detail=True, methods=["post"], url_path="send-for-signature")
    def send_for_signature(self, request, pk=None):
        contract = services.employment_contract_send_for_signature(
            contract=self.get_object(), by=request.user
        )
        return self._output(contract)

    @_action_schema(
        "sent for signature -> signed (multipart: optional signed_pdf; acknowledge_warnings)",
        SignInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        contract = self.get_object()
        data = self._input(SignInputSerializer)
        contract = services.employment_contract_sign(contract=contract, by=request.user, **data)
        return self._output(contract)

    @_action_schema("signed -> active (checked again)")
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        contract = services.employment_contract_activate(
            contract=self.get_object(), by=request.user
        )
        return self._output(contract)

    @_action_schema(
        "Renew a CDD (PR-12: at most 2 renewals, 18 months in all)", RenewInputSerializer
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        contract = self.get_object()
        data = self._input(RenewInputSerializer)
        contract = services.employment_contract_renew(contract=contract, by=request.user, **data)
        return self._output(contract)

    @_action_schema(
        "Postpone the CDD term for prospection (PR-13: once, 3 months at most)",
        ProspectionExtensionInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="extend-for-prospection")
    def extend_for_prospection(self, request, pk=None):
        contract = self.get_object()
        data = self._input(ProspectionExtensionInputSerializer)
        contract = services.employment_contract_extend_for_prospection(
            contract=contract, by=request.user, **data
        )
        return self._output(contract)

    @_action_schema("Link commercial contracts (one per mission)", LinkInputSerializer)
    @action(detail=True, methods=["post"], url_path="link-commercial-contracts")
    def link_commercial_contracts(self, request, pk=None):
        contract = self.get_object()
        data = self._input(LinkInputSerializer)
        contract = services.employment_contract_link_commercial_contracts(
            contract=contract, by=request.user, **data
        )
        return self._output(contract)

    @_action_schema("Terminate early, with the reason", TerminateInputSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        contract = self.get_object()
        data = self._input(TerminateInputSerializer)
        contract = services.employment_contract_terminate(
            contract=contract, by=request.user, **data
        )
        return self._output(contract)

    @_action_schema("active -> ended (end of contract)", EndInputSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        contract = self.get_object()
        data = self._input(EndInputSerializer)
        contract = services.employment_contract_end(contract=contract, by=request.user, **data)
        return self._output(contract)

    @extend_schema(
        summary="The contract PDF (404 until generated)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: ERRORS[404]},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        contract = self.get_object()
        if not contract.pdf_file:
            raise Http404
        return FileResponse(
            contract.pdf_file.open("rb"),
            as_attachment=True,
            filename=f"{contract.reference}.pdf",
            content_type="application/pdf",
        )

    @extend_schema(
        summary="Renewals of a CDD, oldest first",
        responses={200: RenewalOutputSerializer(many=True), 404: ERRORS[404]},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"])
    def renewals(self, request, pk=None):
        contract = self.get_object()
        return Response(RenewalOutputSerializer(contract.renewal_list, many=True).data)
