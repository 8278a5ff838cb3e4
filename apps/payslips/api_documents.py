"""GET /api/v1/payslips/{id}/pdf/: the payslip's PDF (the stored legal copy).

Staff and finance (view permission on payslips) get any payslip; a consultant only their
own: someone else's id is a 404, exactly like an id that does not exist.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from apps.accounts.permissions import RoleBasedPermission

from .access import payslip_pdf_response, payslips_for_user
from .models import Payslip


class PayslipPdfView(APIView):
    permission_classes = [RoleBasedPermission]
    consultant_access = "read"
    queryset = Payslip.objects.all()  # for the model permissions of the back-office

    def get_queryset(self):
        return payslips_for_user(self.request.user)

    @extend_schema(
        operation_id="payslips_pdf_retrieve",
        summary="The payslip PDF (bulletin de paie), rendered once and never changed",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        tags=["payslips"],
    )
    def get(self, request, pk: int):
        payslip = self.get_queryset().filter(pk=pk).first()
        if payslip is None:
            raise Http404
        return payslip_pdf_response(payslip, as_attachment=False)
