"""/api/v1/invoices/: invoices and credit notes.

- GET    invoices/                      list (filters: client, consultant, status, kind,
                                        issue_date_from/to, overdue=true, number)
- POST   invoices/                      a manual draft
- POST   invoices/from-reports/         drafts from validated activity reports {report_ids}
- GET    invoices/{id}/                 one invoice with its lines and VAT breakdown
- PATCH  invoices/{id}/                 change a draft's header
- DELETE invoices/{id}/                 delete a draft
- POST   invoices/{id}/lines/           add a line to a draft
- DELETE invoices/{id}/lines/{line}/    remove a line from a draft
- POST   invoices/{id}/issue/           issue (number, dates, snapshots; PDF after commit)
- POST   invoices/{id}/credit-note/     a draft credit note (full, or chosen lines)

Staff and finance manage (model permissions); a consultant reads the invoices of their own
missions only (someone else's id is a 404). An issued document answers 409 to any change.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.accounts.permissions import ModelPermissions, RoleBasedPermission
from apps.accounts.roles import user_is_consultant
from apps.activity.models import ActivityReport

from ..filters import InvoiceFilter
from ..models import InvoiceLine
from ..selectors.invoices import invoice_with_lines, invoices_for_user
from ..serializers.invoices import (
    CreditNoteInputSerializer,
    FromReportsInputSerializer,
    InvoiceCreateInputSerializer,
    InvoiceDetailOutputSerializer,
    InvoiceHeaderInputSerializer,
    InvoiceLineInputSerializer,
    InvoiceOutputSerializer,
    IssueInputSerializer,
)
from ..services import invoicing as services

TAGS = ["invoices"]
ERRORS = {
    400: OpenApiResponse(description="Invalid input: {code, message, fields}."),
    403: OpenApiResponse(description="Not allowed for your role."),
    404: OpenApiResponse(description="No such invoice (or not yours)."),
    409: OpenApiResponse(description="The invoice is issued: it can no longer change."),
}


class _DraftModelPermissions(ModelPermissions):
    # Roles never get "delete invoice": an issued invoice is never deleted. Deleting a draft
    # (or one of its lines) is editing work in progress: the change permission suffices,
    # and the service refuses anything that is not a draft (409).
    perms_map = {**ModelPermissions.perms_map, "DELETE": ["%(app_label)s.change_%(model_name)s"]}


class InvoicePermission(RoleBasedPermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user_is_consultant(user) and not user.is_staff:
            return super().has_permission(request, view)
        return _DraftModelPermissions().has_permission(request, view)


@extend_schema_view(
    list=extend_schema(summary="List invoices and credit notes", tags=TAGS),
    retrieve=extend_schema(
        summary="An invoice with its lines",
        responses={200: InvoiceDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    ),
    create=extend_schema(
        summary="Create a draft invoice by hand",
        request=InvoiceCreateInputSerializer,
        responses={201: InvoiceDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Change a draft's header (purchase order, notes, period, language)",
        request=InvoiceHeaderInputSerializer,
        responses={200: InvoiceDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    ),
    destroy=extend_schema(summary="Delete a draft", responses={204: None, **ERRORS}, tags=TAGS),
)
class InvoiceViewSet(viewsets.GenericViewSet):
    permission_classes = [InvoicePermission]
    consultant_access = "read"
    serializer_class = InvoiceOutputSerializer
    filterset_class = InvoiceFilter
    search_fields = ["number", "client__legal_name", "consultant__last_name"]
    ordering_fields = ["issue_date", "due_date", "number", "total_incl_tax", "created_at"]
    ordering = ["-issue_date", "-number", "-pk"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return invoices_for_user(self.request.user)

    def _invoice(self):
        invoice = invoice_with_lines(self.kwargs["pk"], self.get_queryset())
        if invoice is None:
            raise Http404
        self.check_object_permissions(self.request, invoice)
        return invoice

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, invoice, **kwargs):
        fresh = invoice_with_lines(invoice.pk, self.get_queryset())
        return Response(InvoiceDetailOutputSerializer(fresh).data, **kwargs)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(InvoiceOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(InvoiceDetailOutputSerializer(self._invoice()).data)

    def create(self, request):
        data = dict(self._input(InvoiceCreateInputSerializer))
        invoice = services.invoice_create(
            client=data.pop("client"),
            consultant=data.pop("consultant"),
            commercial_contract=data.pop("commercial_contract", None),
            created_by=request.user,
            **data,
        )
        return self._detail(invoice, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        invoice = self._invoice()
        data = self._input(InvoiceHeaderInputSerializer)
        invoice = services.invoice_update(invoice=invoice, **data)
        return self._detail(invoice)

    def destroy(self, request, pk=None):
        services.invoice_delete_draft(invoice=self._invoice())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Drafts from validated activity reports (one per commercial contract)",
        request=FromReportsInputSerializer,
        responses={201: InvoiceDetailOutputSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    @action(detail=False, methods=["post"], url_path="from-reports")
    def from_reports(self, request):
        data = self._input(FromReportsInputSerializer)
        reports = ActivityReport.objects.filter(pk__in=data["report_ids"])
        invoices = services.invoice_create_from_reports(
            reports=list(reports), created_by=request.user
        )
        fresh = [invoice_with_lines(invoice.pk, self.get_queryset()) for invoice in invoices]
        return Response(
            InvoiceDetailOutputSerializer(fresh, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Add a line to a draft",
        request=InvoiceLineInputSerializer,
        responses={201: InvoiceDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        invoice = self._invoice()
        data = self._input(InvoiceLineInputSerializer)
        services.invoice_line_add(invoice=invoice, **data)
        return self._detail(invoice, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a line from a draft",
        request=None,
        responses={200: InvoiceDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["delete"], url_path=r"lines/(?P<line_id>[0-9]+)")
    def line_remove(self, request, pk=None, line_id=None):
        invoice = self._invoice()
        line = InvoiceLine.objects.filter(invoice=invoice, pk=line_id).first()
        if line is None:
            raise Http404
        invoice = services.invoice_line_remove(line=line)
        return self._detail(invoice)

    @extend_schema(
        summary="Issue: number, dates, totals and snapshots frozen; PDF rendered after commit",
        request=IssueInputSerializer,
        responses={200: InvoiceDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        invoice = self._invoice()
        data = self._input(IssueInputSerializer)
        invoice = services.invoice_issue(
            invoice=invoice, issued_by=request.user, issue_date=data.get("issue_date")
        )
        return self._detail(invoice)

    @extend_schema(
        summary="A draft credit note of an issued invoice (all lines, or the chosen ones)",
        request=CreditNoteInputSerializer,
        responses={201: InvoiceDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="credit-note")
    def credit_note(self, request, pk=None):
        invoice = self._invoice()
        data = self._input(CreditNoteInputSerializer)
        note = services.credit_note_create(
            invoice=invoice,
            created_by=request.user,
            lines=data.get("lines"),
            reason=data["reason"],
        )
        return self._detail(note, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")

urlpatterns = router.urls
