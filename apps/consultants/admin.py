"""Back-office screens for consultants. Saving and actions go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.decorators import display
from unfold.widgets import UnfoldAdminTextInputWidget

from apps.core.errors import DomainError
from apps.core.validators import compact_identifier

from . import services
from .models import Consultant
from .rules import consultant_eligibility


class ConsultantAdminForm(forms.ModelForm):
    """Accept identifiers typed with spaces (FR76 3000 ...): compacted before validation."""

    nir = forms.CharField(
        label=_("social security number (NIR)"), max_length=21, widget=UnfoldAdminTextInputWidget
    )
    iban = forms.CharField(
        label=_("IBAN"), max_length=42, required=False, widget=UnfoldAdminTextInputWidget
    )
    bic = forms.CharField(
        label=_("BIC"), max_length=14, required=False, widget=UnfoldAdminTextInputWidget
    )

    class Meta:
        model = Consultant
        fields = [*sorted(services.EDITABLE_FIELDS), "left_on"]

    def clean_nir(self) -> str:
        return compact_identifier(self.cleaned_data["nir"])

    def clean_iban(self) -> str:
        return compact_identifier(self.cleaned_data["iban"])

    def clean_bic(self) -> str:
        return compact_identifier(self.cleaned_data["bic"])


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


@admin.register(Consultant)
class ConsultantAdmin(SimpleHistoryAdmin, ModelAdmin):
    form = ConsultantAdminForm
    list_display = [
        "full_name_display",
        "email",
        "status_badge",
        "status_cadre",
        "management_fee_rate",
        "eligible_display",
        "portal_account_display",
    ]
    list_filter = ["status", "status_cadre", "highest_diploma_level"]
    search_fields = ["first_name", "last_name", "birth_name", "email", "nir"]
    ordering = ["last_name", "first_name"]
    list_select_related = ["user"]
    actions = ["action_send_invitation", "action_activate"]
    history_list_display = ["status"]
    readonly_fields = [
        "status",
        "activated_on",
        "eligibility_summary",
        "user",
        "invited_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = (
        (
            _("Identity"),
            {
                "fields": (
                    ("civility", "first_name", "last_name"),
                    "birth_name",
                    ("birth_date", "birth_place", "birth_country"),
                    ("nir", "sex"),
                    "nationality",
                )
            },
        ),
        (
            _("Contact"),
            {
                "fields": (
                    ("email", "phone"),
                    "address_line1",
                    "address_line2",
                    ("postal_code", "city", "country"),
                )
            },
        ),
        (_("Bank account"), {"fields": (("iban", "bic"),)}),
        (
            _("Eligibility (PR-06)"),
            {
                "fields": (
                    ("highest_diploma_level", "years_of_experience"),
                    "eligibility_evidence",
                    "eligibility_summary",
                )
            },
        ),
        (
            _("Employment"),
            {
                "fields": (
                    ("status", "activated_on", "left_on"),
                    ("status_cadre", "management_fee_rate"),
                    ("income_tax_rate", "income_tax_rate_received_on"),
                ),
                "description": _(
                    "Use the “Activate” action to activate a prospect. To record a departure, "
                    "fill in “left on” and save."
                ),
            },
        ),
        (_("Portal"), {"fields": (("user", "invited_at"), "payslip_email_opt_in")}),
        (_("Dates"), {"fields": (("created_at", "updated_at"),)}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None or obj.status == Consultant.Status.LEFT:
            fields.append("left_on")
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # A consultant's record is kept (payslips, ledger): mark them "left" instead.
        return False

    # --- list columns -------------------------------------------------------------------
    @display(description=_("name"), ordering="last_name")
    def full_name_display(self, obj: Consultant) -> str:
        return f"{obj.last_name.upper()} {obj.first_name}"

    @display(
        description=_("status"),
        ordering="status",
        label={
            Consultant.Status.PROSPECT: "info",
            Consultant.Status.ACTIVE: "success",
            Consultant.Status.LEFT: "danger",
        },
    )
    def status_badge(self, obj: Consultant):
        return obj.status, obj.get_status_display()

    @display(description=_("eligible"), boolean=True)
    def eligible_display(self, obj: Consultant) -> bool:
        return consultant_eligibility(obj).eligible

    @display(description=_("portal account"), boolean=True)
    def portal_account_display(self, obj: Consultant) -> bool:
        return obj.has_portal_account

    @display(description=_("eligibility"))
    def eligibility_summary(self, obj: Consultant) -> str:
        if obj is None or obj.pk is None:
            return "-"
        return consultant_eligibility(obj).message

    # --- saving through the services ----------------------------------------------------
    @transaction.atomic
    def save_model(self, request, obj, form, change):
        """The form already ran the model validation; the services validate again under lock."""
        editable = services.EDITABLE_FIELDS
        if not change:
            data = {name: value for name, value in form.cleaned_data.items() if name in editable}
            saved = services.consultant_create(created_by=request.user, **data)
            obj.pk = saved.pk
            obj.refresh_from_db()
            return
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in editable}
        left_on = form.cleaned_data.get("left_on") if "left_on" in form.changed_data else None
        saved = services.consultant_update(consultant=obj, updated_by=request.user, **data)
        if left_on:
            saved = services.consultant_mark_left(
                consultant=saved, left_on=left_on, by=request.user
            )
        obj.refresh_from_db()

    # --- actions ------------------------------------------------------------------------
    def _run_action(self, request, queryset, run) -> int:
        """Each consultant is handled in its own transaction: all of it, or none of it."""
        done = 0
        for consultant in queryset:
            try:
                run(consultant)
            except (DomainError, ValidationError) as exc:
                self.message_user(
                    request,
                    _("%(consultant)s: %(error)s")
                    % {"consultant": consultant, "error": _error_text(exc)},
                    messages.ERROR,
                )
            else:
                done += 1
        return done

    @admin.action(description=_("Send portal invitation"), permissions=["change"])
    def action_send_invitation(self, request, queryset):
        done = self._run_action(
            request,
            queryset,
            lambda consultant: services.consultant_invite(
                consultant=consultant, invited_by=request.user
            ),
        )
        if done:
            message = ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Activate"), permissions=["change"])
    def action_activate(self, request, queryset):
        done = self._run_action(
            request,
            queryset,
            lambda consultant: services.consultant_activate(consultant=consultant, by=request.user),
        )
        if done:
            message = ngettext(
                "%(count)d consultant activated.", "%(count)d consultants activated.", done
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
