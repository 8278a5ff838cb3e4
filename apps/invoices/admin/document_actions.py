"""Document actions on the invoice admin (PDF/Factur-X download, send by e-mail); the
InvoiceAdmin of invoices.py inherits this mixin.

How CORE's InvoiceAdmin uses it:

    class InvoiceAdmin(InvoiceDocumentActionsMixin, ModelAdmin):
        actions_detail = [...]          # the mixin appends DOCUMENT_DETAIL_ACTIONS itself
        readonly_fields = [..., "document_links"]   # optional

- get_urls() adds <pk>/pdf/, <pk>/factur-x.xml and <pk>/send/ (names
  admin:invoices_invoice_pdf, _xml, _send);
- DOCUMENT_DETAIL_ACTIONS are unfold detail actions (buttons on the change form);
- `document_links` is a read-only field with the same links, usable in fieldsets.
Downloads need the view permission; sending needs the model's change permission
(`has_send_permission`: the issued row itself stays read-only).
"""

from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from apps.core.errors import DomainError

from ..models import Invoice, InvoiceStatus
from ..services.documents import invoice_pdf_bytes
from ..services.facturx import invoice_facturx_xml
from ..services.sending import ISSUE, RESEND, invoice_send_request


class InvoiceDocumentActionsMixin:
    DOCUMENT_DETAIL_ACTIONS = ["document_pdf", "document_xml", "document_send"]

    def __init__(self, *args, **kwargs):
        # The document buttons join whatever detail actions the admin declares.
        declared = list(getattr(self, "actions_detail", None) or [])
        self.actions_detail = declared + [
            name for name in self.DOCUMENT_DETAIL_ACTIONS if name not in declared
        ]
        super().__init__(*args, **kwargs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.document_pdf_view), name="{}_{}_pdf".format(*info)),
            path(
                "<int:pk>/factur-x.xml",
                wrap(self.document_xml_view),
                name="{}_{}_xml".format(*info),
            ),
            path("<int:pk>/send/", wrap(self.document_send_view), name="{}_{}_send".format(*info)),
            *super().get_urls(),
        ]

    def _document_issued(self, request, pk) -> Invoice:
        invoice = (
            self.get_queryset(request)
            .exclude(status=InvoiceStatus.DRAFT)
            .select_related("credited_invoice")
            .filter(pk=pk)
            .first()
        )
        if invoice is None or not self.has_view_permission(request, invoice):
            raise Http404
        return invoice

    def has_document_permission(self, request, object_id=None) -> bool:
        """Unfold shows the document buttons on issued documents only (drafts have none)."""
        if not self.has_view_permission(request):
            return False
        if object_id is None:
            return True
        return (
            self.get_queryset(request)
            .filter(pk=object_id)
            .exclude(status=InvoiceStatus.DRAFT)
            .exists()
        )

    def has_send_permission(self, request, obj=None) -> bool:
        # Sending does not change the frozen invoice: the model-level change permission
        # (staff, finance) is what it takes, even when the issued row itself is read-only.
        allowed = request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")
        if not allowed or obj is None:
            return allowed
        object_id = obj if isinstance(obj, int | str) else obj.pk
        return self.has_document_permission(request, object_id)

    def _document_change_url(self, pk):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[pk])

    def document_pdf_view(self, request, pk):
        invoice = self._document_issued(request, pk)
        response = HttpResponse(invoice_pdf_bytes(invoice=invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
        return response

    def document_xml_view(self, request, pk):
        invoice = self._document_issued(request, pk)
        response = HttpResponse(invoice_facturx_xml(invoice), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
        return response

    def document_send_view(self, request, pk):
        invoice = self._document_issued(request, pk)
        if request.method != "POST" or not self.has_send_permission(request, invoice):
            raise Http404
        already = invoice.sendings.filter(purpose=ISSUE).exists()
        try:
            sending = invoice_send_request(
                invoice=invoice, requested_by=request.user, purpose=RESEND if already else ISSUE
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(number)s will be e-mailed to %(recipients)s.")
                % {"number": invoice.number, "recipients": ", ".join(sending.recipients)},
            )
        return redirect(self._document_change_url(pk))

    # Unfold detail actions (change-form buttons).
    @action(description=_("Download the PDF"), url_path="document-pdf", permissions=["document"])
    def document_pdf(self, request, object_id):
        return redirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_pdf", args=[object_id])
        )

    @action(
        description=_("Download the Factur-X XML"),
        url_path="document-xml",
        permissions=["document"],
    )
    def document_xml(self, request, object_id):
        return redirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_xml", args=[object_id])
        )

    @action(description=_("Send by e-mail"), url_path="document-send", permissions=["send"])
    def document_send(self, request, object_id):
        # The button is a GET link: it only requests the first sending, which is idempotent
        # (a sent document is not sent again). A re-send is a POST to the send URL.
        invoice = self._document_issued(request, object_id)
        try:
            sending = invoice_send_request(invoice=invoice, requested_by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(number)s: e-mail to %(recipients)s (%(status)s).")
                % {
                    "number": invoice.number,
                    "recipients": ", ".join(sending.recipients),
                    "status": sending.get_status_display(),
                },
            )
        return redirect(self._document_change_url(object_id))

    @admin.display(description=_("Documents"))
    def document_links(self, obj):
        if obj is None or obj.pk is None or obj.is_draft:
            return "—"
        base = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse(f"{base}_pdf", args=[obj.pk]),
            _("PDF (Factur-X)"),
            reverse(f"{base}_xml", args=[obj.pk]),
            _("XML"),
        )
