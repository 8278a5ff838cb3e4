"""The consultant's "My invoices" page in the portal: their own issued invoices and credit
notes, with the PDF (the Factur-X legal copy). Someone else's document is a 404.

Routed by apps/invoices/portal_urls.py, included by the portal under /portal/:
"portal:invoices" and "portal:invoice_pdf".
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from apps.portal.views import consultant_required

from .models import Invoice, InvoiceStatus
from .services.documents import invoice_pdf_bytes


def _own_documents(consultant):
    return (
        Invoice.objects.filter(consultant=consultant)
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("client", "credited_invoice")
        .order_by("-issue_date", "-number")
    )


@consultant_required
def invoices_page(request):
    return render(
        request,
        "portal/invoices.html",
        {
            "consultant": request.consultant,
            "nav_active": "invoices",
            "documents": _own_documents(request.consultant),
        },
    )


@consultant_required
def invoice_pdf(request, pk: int):
    invoice = _own_documents(request.consultant).filter(pk=pk).first()
    if invoice is None:
        raise Http404
    response = HttpResponse(invoice_pdf_bytes(invoice=invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response
