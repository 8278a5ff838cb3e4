"""Admin of payments and their allocations (lettrage); bank statements in bank_statements.py.

A payment is recorded through the service (add form), never edited afterwards; the
"Match to invoices" page lists the payer's open invoices with the amount to allocate to each
and calls `payment_allocate_many` (all or nothing). Finance manages; staff view only.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from apps.core.errors import DomainError

from ..models import Payment, PaymentAllocation
from ..selectors.payments import payment_open_invoices, payments_list
from ..services.payments import payment_allocate_many, payment_record
from . import bank_statements  # noqa: F401 (registers the bank statement admin)

MATCH_TEMPLATE = "invoices/payments/admin/match.html"


def service_error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


class UnallocatedCreditFilter(SimpleListFilter):
    title = _("allocation")
    parameter_name = "allocation"

    def lookups(self, request, model_admin):
        return [("credit", _("Unallocated credits")), ("settled", _("Fully allocated"))]

    def queryset(self, request, queryset):
        if self.value() == "credit":
            return queryset.filter(unallocated_amount__gt=0)
        if self.value() == "settled":
            return queryset.filter(unallocated_amount__lte=0)
        return queryset


class PaymentAddForm(forms.ModelForm):
    """Recording goes through `payment_record` (its checks run in clean)."""

    class Meta:
        model = Payment
        fields = ["received_on", "amount", "payer_name", "bank_reference", "client", "notes"]

    def clean(self):
        data = super().clean()
        received_on = data.get("received_on")
        if received_on and received_on > timezone.localdate():
            self.add_error("received_on", _("A payment cannot be received in the future."))
        amount = data.get("amount")
        if amount is not None and amount <= 0:
            self.add_error("amount", _("The amount must be greater than zero."))
        return data


class PaymentAllocationInline(TabularInline):
    model = PaymentAllocation
    extra = 0
    can_delete = False
    fields = ["invoice", "amount", "allocated_on", "allocated_by"]
    readonly_fields = fields
    verbose_name_plural = _("allocations")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ModelAdmin):
    list_display = [
        "received_on",
        "payer_name",
        "client",
        "amount",
        "allocated_display",
        "unallocated_display",
        "source",
    ]
    list_filter = [UnallocatedCreditFilter, "source", "received_on"]
    search_fields = ["payer_name", "bank_reference", "client__legal_name"]
    ordering = ["-received_on", "-pk"]
    date_hierarchy = "received_on"
    inlines = [PaymentAllocationInline]
    actions_detail = ["action_match"]
    form = PaymentAddForm
    list_select_related = ["client"]

    def get_queryset(self, request):
        return payments_list()

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "received_on",
            "amount",
            "currency",
            "payer_name",
            "bank_reference",
            "client",
            "source",
            "notes",
            "created_by",
            "created_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return PaymentAddForm.Meta.fields
        return self.get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [PaymentAllocationInline] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # a payment is never edited; its fields are read-only
        payment = payment_record(
            received_on=obj.received_on,
            amount=obj.amount,
            payer_name=obj.payer_name,
            bank_reference=obj.bank_reference,
            client=obj.client,
            notes=obj.notes,
            created_by=request.user,
        )
        obj.pk = payment.pk
        obj._state.adding = False

    @display(description=_("allocated"))
    def allocated_display(self, payment) -> Decimal:
        return payment.allocated_amount

    @display(description=_("unallocated"))
    def unallocated_display(self, payment) -> Decimal:
        return payment.unallocated_amount

    def has_match_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("invoices.add_paymentallocation")

    @action(
        description=_("Match to invoices"),
        permissions=["match"],
        url_path="match",
        icon="link",
    )
    def action_match(self, request, object_id):
        if not self.has_match_permission(request):
            raise PermissionDenied
        payment = self.get_queryset(request).filter(pk=object_id).first()
        if payment is None:
            raise Http404
        invoices = payment_open_invoices(payment)
        change_url = reverse("admin:invoices_payment_change", args=[payment.pk])
        errors: list[str] = []
        values: dict[int, str] = {}
        if request.method == "POST":
            allocations = []
            for invoice in invoices:
                raw = (request.POST.get(f"amount_{invoice.pk}") or "").strip().replace(",", ".")
                values[invoice.pk] = raw
                if not raw:
                    continue
                try:
                    amount = Decimal(raw)
                except InvalidOperation:
                    errors.append(
                        _("%(invoice)s: “%(value)s” is not an amount.")
                        % {"invoice": invoice, "value": raw}
                    )
                    continue
                if amount:
                    allocations.append((invoice, amount))
            if not errors:
                try:
                    payment_allocate_many(
                        payment=payment, allocations=allocations, allocated_by=request.user
                    )
                except (ValidationError, DomainError) as error:
                    errors.append(service_error_text(error))
                else:
                    self.message_user(
                        request,
                        _("%(count)s allocation(s) recorded.") % {"count": len(allocations)},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
        rows = [(invoice, values.get(invoice.pk, "")) for invoice in invoices]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": payment,
            "title": _("Match to invoices"),
            "rows": rows,
            "errors": errors,
            "change_url": change_url,
        }
        return TemplateResponse(request, MATCH_TEMPLATE, context)
