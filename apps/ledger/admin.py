"""Back-office screens of the compte d'activité. Read-only: entries are never changed nor
deleted; new ones come from the adjustment and reversal pages, which call the services.

- list of entries (filters kind / date range / consultant), read-only detail
- "Post an adjustment" (list action) -> ledger_adjust
- "Reverse" (detail action) -> ledger_reverse
- per-consultant statement: <admin>/ledger/ledgerentry/statement/<consultant_id>/
- balances by consultant: <admin>/ledger/ledgerentry/balances/
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.decorators import action, display

from apps.consultants.selectors import consultant_list
from apps.core.errors import DomainError

from . import services
from .forms import AdjustmentForm, ReverseForm, StatementPeriodForm, add_service_errors
from .models import LedgerEntry, LedgerEntryKind
from .selectors import (
    add_months,
    ledger_consultants_balances,
    ledger_entry_list,
    ledger_reserve_balance,
    ledger_statement,
    month_end,
    month_start,
)

FORM_TEMPLATE = "ledger/admin/form.html"
KIND_COLORS = {
    **{kind.value: "info" for kind in LedgerEntryKind},
    LedgerEntryKind.TURNOVER_COLLECTED.value: "success",
    LedgerEntryKind.ADJUSTMENT.value: "warning",
    LedgerEntryKind.OPENING_BALANCE.value: "warning",
    LedgerEntryKind.REVERSAL.value: "danger",
}


def statement_url(consultant_id: int) -> str:
    return reverse("admin:ledger_ledgerentry_statement", args=[consultant_id])


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ModelAdmin):
    list_display = [
        "entry_date",
        "consultant_display",
        "kind_display",
        "amount_display",
        "label",
        "source_display",
        "reversed_display",
        "created_by",
    ]
    list_display_links = ["entry_date"]
    list_filter = [
        ("kind", ChoicesDropdownFilter),
        ("entry_date", RangeDateFilter),
        ("consultant", AutocompleteSelectFilter),
    ]
    list_filter_submit = True
    search_fields = [
        "label",
        "consultant__first_name",
        "consultant__last_name",
        "consultant__email",
    ]
    ordering = ["-entry_date", "-id"]
    list_per_page = 50
    fields = [
        "consultant",
        "entry_date",
        "kind",
        "amount",
        "label",
        "source_display",
        "reverses",
        "reversed_by_display",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    actions_list = ["action_adjust", "action_balances"]
    actions_detail = ["action_statement", "action_reverse"]

    def get_queryset(self, request):
        return ledger_entry_list()

    # --- append-only: no add form, no change, no delete -----------------------------------
    def has_add_permission(self, request) -> bool:
        return False  # adjustments go through their own page (ledger_adjust)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_adjust_permission(self, request) -> bool:
        return request.user.has_perm("ledger.add_ledgerentry")

    def has_balances_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_statement_permission(self, request, object_id=None) -> bool:
        return self.has_view_permission(request)

    def has_reverse_permission(self, request, object_id=None) -> bool:
        if not self.has_adjust_permission(request) or object_id is None:
            return False
        entry = self._entry(request, object_id)
        return (
            entry is not None and entry.kind != LedgerEntryKind.REVERSAL and not entry.is_reversed
        )

    def _entry(self, request, object_id) -> LedgerEntry | None:
        if not str(object_id).isdigit():
            return None
        cache = request.__dict__.setdefault("_ledger_entries", {})
        if str(object_id) not in cache:
            cache[str(object_id)] = self.get_queryset(request).filter(pk=object_id).first()
        return cache[str(object_id)]

    # --- columns --------------------------------------------------------------------------
    @display(description=_("consultant"), ordering="consultant__last_name")
    def consultant_display(self, entry: LedgerEntry):
        return format_html(
            '<a href="{}" title="{}">{}</a>',
            statement_url(entry.consultant_id),
            _("Statement of this consultant"),
            entry.consultant,
        )

    @display(description=_("kind"), ordering="kind", label=KIND_COLORS)
    def kind_display(self, entry: LedgerEntry):
        return entry.kind, entry.kind_label

    @display(description=_("amount (€)"), ordering="amount")
    def amount_display(self, entry: LedgerEntry):
        color = "text-green-700 dark:text-green-400" if entry.amount > 0 else "text-red-700"
        sign = "+" if entry.amount > 0 else ""
        return format_html('<span class="{} tabular-nums">{}{}</span>', color, sign, entry.amount)

    @display(description=_("source document"))
    def source_display(self, entry: LedgerEntry):
        if entry.source_content_type_id is None:
            return "—"
        model = entry.source_content_type.model_class()
        name = capfirst(model._meta.verbose_name) if model else entry.source_content_type.model
        return f"{name} #{entry.source_object_id}"

    @display(description=_("reversed"), boolean=True)
    def reversed_display(self, entry: LedgerEntry) -> bool:
        return bool(getattr(entry, "is_reversed", False))

    @display(description=_("reversed by"))
    def reversed_by_display(self, entry: LedgerEntry):
        reversal = entry.reversals.first()
        if reversal is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:ledger_ledgerentry_change", args=[reversal.pk]),
            reversal,
        )

    # --- extra pages ------------------------------------------------------------------------
    def get_urls(self):
        urls = [
            path(
                "statement/<int:consultant_id>/",
                self.admin_site.admin_view(self.statement_view),
                name="ledger_ledgerentry_statement",
            ),
        ]
        return urls + super().get_urls()

    def _context(self, request, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def statement_view(self, request, consultant_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        consultant = consultant_list().filter(pk=consultant_id).first()
        if consultant is None:
            raise Http404
        today = timezone.localdate()
        start, end = add_months(today, -11), month_end(today)
        form = StatementPeriodForm(request.GET or None, initial={"start": start, "end": end})
        if form.is_bound and form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        statement = ledger_statement(consultant, start=start, end=end)
        adjust_url = ""
        if self.has_adjust_permission(request):
            adjust_url = (
                reverse("admin:ledger_ledgerentry_action_adjust") + f"?consultant={consultant.pk}"
            )
        context = self._context(
            request,
            title=_("Activity account of %(name)s") % {"name": consultant},
            subtitle=_("Statement"),
            consultant=consultant,
            statement=statement,
            form=form,
            reserve=ledger_reserve_balance(consultant, at=end),
            adjust_url=adjust_url,
            changelist_url=reverse("admin:ledger_ledgerentry_changelist")
            + f"?consultant__id__exact={consultant.pk}",
        )
        return TemplateResponse(request, "ledger/admin/statement.html", context)

    # --- actions ----------------------------------------------------------------------------
    @action(
        description=_("Post an adjustment"),
        url_path="adjust",
        permissions=["adjust"],
        icon="add",
    )
    def action_adjust(self, request):
        posted = request.method == "POST"
        initial = {}
        if str(request.GET.get("consultant", "")).isdigit():
            initial["consultant"] = request.GET["consultant"]
        form = AdjustmentForm(
            request.POST if posted else None, admin_site=self.admin_site, initial=initial
        )
        if posted and form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.ledger_adjust(
                    consultant=data["consultant"],
                    amount=data["amount"],
                    label=data["label"],
                    entry_date=data["entry_date"],
                    created_by=request.user,
                )
            except (ValidationError, DomainError) as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    _("Adjustment of %(amount)s € posted on %(name)s's account.")
                    % {"amount": entry.amount, "name": entry.consultant},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(statement_url(entry.consultant_id))
        context = self._context(
            request,
            title=_("Post an adjustment"),
            form=form,
            intro=_(
                "An adjustment is a new entry on the consultant's activity account, with your"
                " name. It can be reversed, never changed nor deleted."
            ),
            submit_label=_("Post the adjustment"),
            cancel_url=reverse("admin:ledger_ledgerentry_changelist"),
        )
        return TemplateResponse(request, FORM_TEMPLATE, context)

    @action(description=_("Reverse"), url_path="reverse", permissions=["reverse"], icon="undo")
    def action_reverse(self, request, object_id):
        entry = self._entry(request, object_id)
        if entry is None:
            raise Http404
        posted = request.method == "POST"
        form = ReverseForm(request.POST if posted else None)
        change_url = reverse("admin:ledger_ledgerentry_change", args=[entry.pk])
        if posted and form.is_valid():
            try:
                reversal = services.ledger_reverse(
                    entry=entry,
                    reason=form.cleaned_data["reason"],
                    entry_date=form.cleaned_data["entry_date"],
                    created_by=request.user,
                )
            except (ValidationError, DomainError) as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    _("Entry reversed: %(amount)s € posted back.") % {"amount": reversal.amount},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:ledger_ledgerentry_change", args=[reversal.pk])
                )
        context = self._context(
            request,
            title=_("Reverse an entry"),
            original=entry,
            form=form,
            intro=_(
                "The entry stays; a new entry of the opposite amount cancels it. The reason is"
                " shown to the consultant."
            ),
            submit_label=_("Reverse the entry"),
            danger=True,
            cancel_url=change_url,
        )
        return TemplateResponse(request, FORM_TEMPLATE, context)

    @action(
        description=_("Consultant's statement"),
        url_path="statement",
        permissions=["statement"],
        icon="receipt_long",
    )
    def action_statement(self, request, object_id):
        entry = self._entry(request, object_id)
        if entry is None:
            raise Http404
        month = month_start(entry.entry_date)
        return HttpResponseRedirect(
            f"{statement_url(entry.consultant_id)}?start={month.isoformat()}"
            f"&end={month_end(month).isoformat()}"
        )

    @action(
        description=_("Balances by consultant"),
        url_path="balances",
        permissions=["balances"],
        icon="account_balance_wallet",
    )
    def action_balances(self, request):
        query = (request.GET.get("q") or "").strip()
        consultants = ledger_consultants_balances().order_by("last_name", "first_name", "pk")
        if query:
            consultants = consultants.filter(
                Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
                | Q(email__icontains=query)
            )
        page = Paginator(consultants, 100).get_page(request.GET.get("page"))
        context = self._context(
            request,
            title=_("Balances by consultant"),
            page=page,
            query=query,
        )
        return TemplateResponse(request, "ledger/admin/balances.html", context)
