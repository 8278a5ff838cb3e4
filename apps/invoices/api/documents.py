"""API routes of the invoices app (documents); mounted by apps/invoices/api_urls.py.

GET  /api/v1/invoices/{id}/pdf/            the Factur-X PDF (rendered first if missing)
GET  /api/v1/invoices/{id}/factur-x.xml    the CII XML alone
POST /api/v1/invoices/{id}/send/           e-mail it to the client's billing contacts
                                           (body: {"resend": true} for a new sending)

Staff and finance reach every issued document; a consultant only their own (someone
else's id, or a draft, is a 404: nothing leaks). Sending is back-office only.
"""

from django.http import Http404, HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import RoleBasedPermission

from ..models import Invoice, InvoiceStatus
from ..selectors.invoices import invoices_for_user
from ..services.documents import invoice_pdf_bytes
from ..services.facturx import invoice_facturx_xml
from ..services.sending import ISSUE, RESEND, invoice_send_request

TAGS = ["invoices"]


def _issued_document(request, pk) -> Invoice:
    invoice = (
        invoices_for_user(request.user)
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("credited_invoice")
        .filter(pk=pk)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


class InvoicePdfView(APIView):
    permission_classes = [RoleBasedPermission]
    consultant_access = "read"
    queryset = Invoice.objects.none()  # model permissions: invoices.view_invoice

    @extend_schema(
        summary="The Factur-X PDF/A-3 of an issued invoice or credit note",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        invoice = _issued_document(request, pk)
        response = HttpResponse(invoice_pdf_bytes(invoice=invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
        return response


class InvoiceXmlView(APIView):
    permission_classes = [RoleBasedPermission]
    consultant_access = "read"
    queryset = Invoice.objects.none()

    @extend_schema(
        summary="The Factur-X (CII, EN 16931) XML of an issued invoice or credit note",
        responses={(200, "application/xml"): OpenApiTypes.BINARY},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        invoice = _issued_document(request, pk)
        response = HttpResponse(invoice_facturx_xml(invoice), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
        return response


class InvoiceSendView(APIView):
    permission_classes = [RoleBasedPermission]  # consultants: no consultant_access
    queryset = Invoice.objects.none()  # POST needs invoices.add_invoice (staff, finance)

    @extend_schema(
        summary="E-mail an issued invoice or credit note to the client's billing contacts",
        request=inline_serializer(
            "InvoiceSendInput", {"resend": serializers.BooleanField(required=False)}
        ),
        responses={
            202: inline_serializer(
                "InvoiceSendOutput",
                {
                    "purpose": serializers.CharField(),
                    "status": serializers.CharField(),
                    "recipients": serializers.ListField(child=serializers.EmailField()),
                },
            )
        },
        tags=TAGS,
    )
    def post(self, request, pk: int):
        invoice = _issued_document(request, pk)
        resend = serializers.BooleanField().to_internal_value(request.data.get("resend", False))
        sending = invoice_send_request(
            invoice=invoice, requested_by=request.user, purpose=RESEND if resend else ISSUE
        )
        sending.refresh_from_db()
        return Response(
            {
                "purpose": sending.purpose,
                "status": sending.status,
                "recipients": sending.recipients,
            },
            status=status.HTTP_202_ACCEPTED,
        )


urlpatterns = [
    path("invoices/<int:pk>/pdf/", InvoicePdfView.as_view(), name="invoice-pdf"),
    path("invoices/<int:pk>/factur-x.xml", InvoiceXmlView.as_view(), name="invoice-facturx-xml"),
    path("invoices/<int:pk>/send/", InvoiceSendView.as_view(), name="invoice-send"),
]
