"""Admin of bank statement imports: upload (the import service), the lines with their
matching proposals, confirm / ignore per line or confirm every proposal of a statement.
A line confirmed without allocation becomes an unallocated payment, matched afterwards from
the payment's "Match to invoices" page. Finance manages; others cannot see statements."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from apps.core.errors import DomainError

from ..models import BankStatementImport, BankStatementLine, BankStatementLineStatus
from ..selectors.payments import bank_statement_lines, bank_statements_list
from ..services import bank_statements as services

UPLOAD_TEMPLATE = "invoices/payments/admin/upload.html"
LINE_STATUS_LABELS = {
    BankStatementLineStatus.PROPOSED: "warning",
    BankStatementLineStatus.UNMATCHED: "danger",
    BankStatementLineStatus.CONFIRMED: "success",
    BankStatementLineStatus.IGNORED: "info",
}


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


def _can_manage(request) -> bool:
    return request.user.has_perm("invoices.change_bankstatementimport")


def _invoice_url(invoice) -> str:
    try:
        return reverse("admin:invoices_invoice_change", args=[invoice.pk])
    except NoReverseMatch:
        return "#"


def _proposals(line: BankStatementLine) -> str:
    invoices = list(line.proposed_invoices.all())
    if not invoices:
        return "—"
    links = format_html_join(
        ", ",
        '<a class="text-primary-600" href="{}">{}</a>',
        ((_invoice_url(invoice), invoice.number) for invoice in invoices),
    )
    return format_html("{} ({})", links, line.proposal_reason)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("statement file"),
        help_text=_("CSV export of the bank (see docs/payments.md) or CAMT.053 XML."),
    )


class BankStatementLineInline(TabularInline):
    model = BankStatementLine
    extra = 0
    can_delete = False
    fields = [
        "line_number",
        "booking_date",
        "amount",
        "counterparty",
        "reference",
        "status",
        "proposals_display",
        "payment",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return bank_statement_lines()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("invoices.view_bankstatementimport")

    @display(description=_("proposed invoices"))
    def proposals_display(self, line):
        return _proposals(line)


@admin.register(BankStatementImport)
class BankStatementImportAdmin(ModelAdmin):
    list_display = ["file_name", "format", "created_at", "imported_by", "line_count", "open_count"]
    list_filter = ["format", "created_at"]
    search_fields = ["file_name", "sha256"]
    ordering = ["-created_at"]
    inlines = [BankStatementLineInline]
    actions = ["confirm_selected"]
    readonly_fields = ["file_name", "format", "sha256", "imported_by", "created_at", "file"]
    fields = readonly_fields

    def get_queryset(self, request):
        return bank_statements_list()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @display(description=_("lines"))
    def line_count(self, statement) -> int:
        return statement.line_count

    @display(description=_("to process"))
    def open_count(self, statement) -> int:
        return statement.open_line_count

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            return HttpResponseRedirect(request.path)  # nothing to edit; actions only
        extra_context = {**(extra_context or {}), "show_save": False}
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """The upload form: imports the file through the service."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                statement = services.bank_statement_import(
                    file=form.cleaned_data["file"], imported_by=request.user
                )
            except (ValidationError, DomainError) as error:
                form.add_error("file", _error_text(error))
            else:
                lines = statement.lines.all()
                proposed = sum(1 for line in lines if line.status == "proposed")
                self.message_user(
                    request,
                    _("%(count)s credit line(s) imported, %(proposed)s with a proposal.")
                    % {"count": len(lines), "proposed": proposed},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:invoices_bankstatementimport_change", args=[statement.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a bank statement"),
            "form": form,
        }
        return TemplateResponse(request, UPLOAD_TEMPLATE, context)

    def has_confirm_permission(self, request) -> bool:
        return _can_manage(request)

    def _confirm(self, request, statement) -> None:
        result = services.bank_statement_confirm_proposals(
            statement=statement, confirmed_by=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)s line of %(statement)s confirmed.",
                "%(count)s lines of %(statement)s confirmed.",
                len(result["confirmed"]),
            )
            % {"count": len(result["confirmed"]), "statement": statement},
            messages.SUCCESS,
        )
        for line_id, message in result["errors"].items():
            self.message_user(
                request,
                _("Line #%(id)s not confirmed: %(reason)s") % {"id": line_id, "reason": message},
                messages.ERROR,
            )

    @admin.action(
        description=_("Confirm the proposals of the selected statements"), permissions=["confirm"]
    )
    def confirm_selected(self, request, queryset):
        for statement in queryset:
            self._confirm(request, statement)


@admin.register(BankStatementLine)
class BankStatementLineAdmin(ModelAdmin):
    """The lines to process across statements: confirm as proposed, confirm without
    allocation (then match from the payment), or ignore."""

    list_display = [
        "booking_date",
        "counterparty",
        "amount",
        "reference",
        "status_badge",
        "proposals_display",
        "payment",
    ]
    list_filter = ["status", "booking_date"]
    search_fields = ["counterparty", "reference"]
    ordering = ["-booking_date", "line_number"]
    actions = ["confirm_selected", "confirm_unallocated", "ignore_selected"]
    readonly_fields = [
        "statement",
        "line_number",
        "booking_date",
        "amount",
        "currency",
        "counterparty",
        "reference",
        "status",
        "proposal_reason",
        "payment",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return bank_statement_lines()

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("invoices.view_bankstatementimport")

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_process_permission(self, request) -> bool:
        return _can_manage(request)

    @display(description=_("status"), label=LINE_STATUS_LABELS)
    def status_badge(self, line):
        return line.status, line.get_status_display()

    @display(description=_("proposed invoices"))
    def proposals_display(self, line):
        return _proposals(line)

    def _each(self, request, queryset, run, success) -> None:
        done = 0
        for line in queryset:
            try:
                run(line)
            except (ValidationError, DomainError) as error:
                self.message_user(
                    request,
                    _("%(line)s: %(reason)s") % {"line": line, "reason": _error_text(error)},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, success % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Confirm as proposed"), permissions=["process"])
    def confirm_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda line: services.bank_statement_line_confirm(line=line, confirmed_by=request.user),
            _("%(count)s line(s) confirmed."),
        )

    @admin.action(
        description=_("Record as payments without allocation (match them afterwards)"),
        permissions=["process"],
    )
    def confirm_unallocated(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda line: services.bank_statement_line_confirm(
                line=line, confirmed_by=request.user, allocations=[]
            ),
            _("%(count)s payment(s) recorded, to match from the payments list."),
        )

    @admin.action(description=_("Ignore (not a client payment)"), permissions=["process"])
    def ignore_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda line: services.bank_statement_line_ignore(line=line, ignored_by=request.user),
            _("%(count)s line(s) ignored."),
        )
