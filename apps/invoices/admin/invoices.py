"""Admin of invoices and credit notes.

A draft is edited here (header fields, lines added or removed through the inline); every
write calls a service. An issued document is read-only: no save, no delete, lines shown
only. Actions: "Issue" and "Create a credit note" on one invoice, and on the list "Invoice
validated reports" (a page listing the validated activity reports not yet on an invoice).
"""

from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from apps.core.errors import DomainError

from ..models import Invoice, InvoiceLine, InvoiceStatus
from ..selectors.invoices import invoices_list, overdue_q
from ..services import invoicing as services
from .document_actions import InvoiceDocumentActionsMixin
from .invoice_display import DISPLAYS, InvoiceReadableFieldsMixin
from .invoice_forms import (
    HEADER_FIELDS,
    CreditNoteForm,
    FromReportsForm,
    InvoiceAdminForm,
    InvoiceLineFormSet,
    IssueForm,
    form_errors,
    posted,
)

FORM_TEMPLATE = "invoices/admin/core_form.html"
STATUS_COLORS = {
    InvoiceStatus.DRAFT: "info",
    InvoiceStatus.ISSUED: "primary",
    InvoiceStatus.SENT: "primary",
    InvoiceStatus.PARTIALLY_PAID: "warning",
    InvoiceStatus.PAID: "success",
    InvoiceStatus.CANCELLED: "default",
}


class OverdueFilter(SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q())
        if self.value() == "no":
            return queryset.exclude(overdue_q())
        return queryset


# --- admin ------------------------------------------------------------------------------------
class InvoiceLineInline(TabularInline):
    """Drafts: add and remove lines (each through the service); issued: read-only."""

    model = InvoiceLine
    formset = InvoiceLineFormSet
    fk_name = "invoice"
    extra = 0
    fields = ["description", "quantity", "unit", "unit_price_excl_tax", "vat_rate"]
    fields += ["total_excl_tax"]
    readonly_fields = ["total_excl_tax"]
    ordering = ["position", "pk"]

    def _draft(self, obj) -> bool:
        return obj is not None and obj.status == InvoiceStatus.DRAFT and not obj.is_credit_note

    # Lines are part of the invoice: the invoice's permissions apply (roles grant none on
    # InvoiceLine itself).
    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("invoices.view_invoice")

    def has_add_permission(self, request, obj=None) -> bool:
        return self._draft(obj) and request.user.has_perm("invoices.change_invoice")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a line is removed and added again, never edited in place

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._draft(obj) and request.user.has_perm("invoices.change_invoice")


@admin.register(Invoice)
class InvoiceAdmin(InvoiceReadableFieldsMixin, InvoiceDocumentActionsMixin, ModelAdmin):
    form = InvoiceAdminForm
    list_display = ["number_display", "kind", "client", "consultant", "status_badge"]
    list_display += ["issue_date", "due_date", "total_incl_tax"]
    list_filter = ["status", "kind", OverdueFilter, "client", "consultant"]
    search_fields = ["number", "client__legal_name", "client__siren"]
    list_select_related = ["client", "consultant"]
    date_hierarchy = "issue_date"
    inlines = [InvoiceLineInline]
    actions_list = ["action_from_reports"]
    actions_detail = ["action_issue", "action_credit_note"]

    def get_queryset(self, request):
        return invoices_list()

    def _invoice(self, request, object_id) -> Invoice | None:
        if not str(object_id).isdigit():
            return None
        cache = request.__dict__.setdefault("_invoices", {})
        if str(object_id) not in cache:
            cache[str(object_id)] = self.get_queryset(request).filter(pk=object_id).first()
        return cache[str(object_id)]

    # --- frozen once issued ---------------------------------------------------------------
    def get_readonly_fields(self, request, obj=None):
        frozen = [field.name for field in Invoice._meta.fields if field.name != "id"]
        if obj is None:
            return []
        if obj.status != InvoiceStatus.DRAFT:
            return [*frozen, *DISPLAYS]
        editable = set(HEADER_FIELDS)
        return [name for name in frozen if name not in editable] + DISPLAYS

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["client", "consultant", "commercial_contract", *HEADER_FIELDS]
        return super().get_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != InvoiceStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only drafts are deleted, and that is editing: the change permission suffices (no
        # role has "delete invoice": an issued document is never deleted).
        if obj is not None and obj.status != InvoiceStatus.DRAFT:
            return False
        return request.user.has_perm("invoices.change_invoice")

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(obj.status != InvoiceStatus.DRAFT for obj in objs):
            protected = [*protected, _("Issued invoices and credit notes are never deleted.")]
        return deleted, model_count, perms_needed, protected

    def save_model(self, request, obj, form, change):
        header = {name: form.cleaned_data.get(name) for name in HEADER_FIELDS}
        if change:
            services.invoice_update(invoice=obj, **header)
            return
        created = services.invoice_create(
            client=form.cleaned_data["client"],
            consultant=form.cleaned_data["consultant"],
            commercial_contract=form.cleaned_data.get("commercial_contract"),
            created_by=request.user,
            **header,
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is not InvoiceLine:
            return super().save_formset(request, form, formset, change)
        invoice = form.instance
        # What the admin's change message reads (ModelAdmin.construct_change_message).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for line_form in formset.deleted_forms:
            if line_form.instance.pk:
                services.invoice_line_remove(line=line_form.instance)
                formset.deleted_objects.append(line_form.instance)
        for line_form in formset.extra_forms:
            if not line_form.has_changed() or line_form in formset.deleted_forms:
                continue
            data = line_form.cleaned_data
            line = services.invoice_line_add(
                invoice=invoice,
                description=data["description"],
                quantity=data["quantity"],
                unit=data["unit"],
                unit_price_excl_tax=data["unit_price_excl_tax"],
                vat_rate=data.get("vat_rate"),
            )
            formset.new_objects.append(line)

    def delete_model(self, request, obj):
        services.invoice_delete_draft(invoice=obj)

    def delete_queryset(self, request, queryset):
        for invoice in queryset:
            services.invoice_delete_draft(invoice=invoice)

    # --- columns --------------------------------------------------------------------------
    @display(description=_("number"), ordering="number")
    def number_display(self, obj: Invoice) -> str:
        return obj.number or _("Draft #%(pk)s") % {"pk": obj.pk}

    @display(description=_("status"), ordering="status", label=STATUS_COLORS)
    def status_badge(self, obj: Invoice):
        return obj.status, obj.get_status_display()

    # --- action pages -----------------------------------------------------------------------
    def _page(self, request, *, title, form, run, success, cancel_url, intro="", original=None):
        if request.method == "POST" and form.is_valid():
            try:
                result = run(**form.service_kwargs())
            except (ValidationError, DomainError) as error:
                form_errors(form, error)
            else:
                self.message_user(request, success, messages.SUCCESS)
                return HttpResponseRedirect(result)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": original,
            "title": title,
            "intro": intro,
            "form": form,
            "submit_label": title,
            "cancel_url": cancel_url,
        }
        return TemplateResponse(request, FORM_TEMPLATE, context)

    def _change_url(self, invoice) -> str:
        return reverse("admin:invoices_invoice_change", args=[invoice.pk])

    def _detail_invoice(self, request, object_id) -> Invoice:
        invoice = self._invoice(request, object_id)
        if invoice is None:
            raise Http404
        if not request.user.has_perm("invoices.change_invoice"):
            raise PermissionDenied
        return invoice

    def has_issue_permission(self, request, object_id=None) -> bool:
        invoice = self._invoice(request, object_id) if object_id else None
        return (
            invoice is not None
            and invoice.status == InvoiceStatus.DRAFT
            and request.user.has_perm("invoices.change_invoice")
        )

    def has_credit_note_permission(self, request, object_id=None) -> bool:
        invoice = self._invoice(request, object_id) if object_id else None
        return (
            invoice is not None
            and not invoice.is_credit_note
            and invoice.status in services.credit_notes.CREDITABLE
            and request.user.has_perm("invoices.add_invoice")
        )

    def has_from_reports_permission(self, request) -> bool:
        return request.user.has_perm("invoices.add_invoice")

    @action(description=_("Issue"), permissions=["issue"], url_path="issue", icon="send")
    def action_issue(self, request, object_id):
        invoice = self._detail_invoice(request, object_id)
        form = IssueForm(posted(request))

        def run(issue_date):
            issued = services.invoice_issue(
                invoice=invoice, issued_by=request.user, issue_date=issue_date
            )
            return self._change_url(issued)

        return self._page(
            request,
            title=_("Issue"),
            form=form,
            run=run,
            success=_("Issued: the number is given and the document can no longer change."),
            cancel_url=self._change_url(invoice),
            intro=_(
                "Issuing gives the next number of the series, freezes the amounts and the"
                " parties' details, and renders the PDF. Corrections then need a credit note."
            ),
            original=invoice,
        )

    @action(
        description=_("Create a credit note"),
        permissions=["credit_note"],
        url_path="credit-note",
        icon="undo",
    )
    def action_credit_note(self, request, object_id):
        invoice = self._detail_invoice(request, object_id)
        form = CreditNoteForm(posted(request), invoice=invoice)

        def run(reason, lines):
            note = services.credit_note_create(
                invoice=invoice, created_by=request.user, lines=lines, reason=reason
            )
            return self._change_url(note)

        return self._page(
            request,
            title=_("Create a credit note"),
            form=form,
            run=run,
            success=_("Draft credit note created: check it, then issue it."),
            cancel_url=self._change_url(invoice),
            original=invoice,
        )

    @action(
        description=_("Invoice validated reports"),
        permissions=["from_reports"],
        url_path="from-reports",
        icon="receipt_long",
    )
    def action_from_reports(self, request):
        form = FromReportsForm(posted(request))

        def run(reports):
            invoices = services.invoice_create_from_reports(
                reports=list(reports), created_by=request.user
            )
            if len(invoices) == 1:
                return self._change_url(invoices[0])
            return reverse("admin:invoices_invoice_changelist") + "?status=draft"

        form.service_kwargs = lambda: {"reports": form.cleaned_data["reports"]}
        return self._page(
            request,
            title=_("Create invoices from validated reports"),
            form=form,
            run=run,
            success=_("Draft invoices created, one per commercial contract."),
            cancel_url=reverse("admin:invoices_invoice_changelist"),
            intro=_(
                "Each contract gets one draft with one line per month and daily rate, plus"
                " the approved expenses it rebills. Check the drafts, then issue them."
            ),
        )
