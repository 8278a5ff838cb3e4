"""The PDF download shared by the portal and the API.

Who may read which payslip is `selectors.payslips_for_user` (back office: all; a consultant:
their own, so someone else's id is simply not in the queryset: a 404, never a 403).
"""

from django.http import FileResponse, Http404

from .documents import payslip_document_render
from .models import Payslip
from .selectors import payslips_for_user

__all__ = ["payslip_pdf_response", "payslips_for_user"]


def payslip_pdf_response(payslip: Payslip, *, as_attachment: bool) -> FileResponse:
    """The stored legal copy; rendered once now if the render task has not run yet."""
    if not payslip.pdf_file:
        payslip = payslip_document_render(payslip=payslip)
    if not payslip.pdf_file or not payslip.pdf_file.storage.exists(payslip.pdf_file.name):
        raise Http404
    return FileResponse(
        payslip.pdf_file.open("rb"),
        as_attachment=as_attachment,
        filename=f"{payslip.number}.pdf",
        content_type="application/pdf",
    )
