"""Back-office screens for client companies. Saves and actions go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline

from apps.core.validators import compact_identifier

from .models import ClientCompany, ClientContact
from .services import (
    CLIENT_FIELDS,
    CONTACT_FIELDS,
    client_create,
    client_deactivate,
    client_delete,
    client_update,
    contact_add,
    contact_remove,
    contact_update,
)

TYPED_IDENTIFIER_LENGTH = 40


class ClientCompanyAdminForm(forms.ModelForm):
    """Accept identifiers typed with spaces ("732 829 320"): the model stores them compact,
    so the form must not apply the compact length (9, 14) to what the user typed."""

    class Meta:
        model = ClientCompany
        fields = sorted(CLIENT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ClientCompany.IDENTIFIER_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            field.max_length = TYPED_IDENTIFIER_LENGTH
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs["maxlength"] = str(TYPED_IDENTIFIER_LENGTH)


class ClientContactInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kinds: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("is_primary"):
                continue
            if data.get("kind") in kinds:
                raise ValidationError(_("Only one contact of each kind can be primary."))
            kinds.add(data.get("kind"))


class ClientContactInline(TabularInline):
    model = ClientContact
    formset = ClientContactInlineFormSet
    extra = 0
    fields = [
        "kind",
        "is_primary",
        "civility",
        "first_name",
        "last_name",
        "job_title",
        "email",
        "phone",
    ]


@admin.register(ClientCompany)
class ClientCompanyAdmin(SimpleHistoryAdmin, ModelAdmin):
    form = ClientCompanyAdminForm
    inlines = [ClientContactInline]
    list_display = [
        "legal_name",
        "siren_formatted",
        "country",
        "billing_city",
        "payment_terms",
        "is_active",
    ]
    list_filter = ["is_active", "country", "legal_form", "payment_terms_kind"]
    search_fields = ["legal_name", "trade_name", "siren", "siret", "vat_number"]
    ordering = ["legal_name"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["deactivate_selected"]
    fieldsets = (
        (_("Company"), {"fields": ("legal_name", "trade_name", "legal_form", "country")}),
        (_("Identifiers"), {"fields": ("siren", "siret", "vat_number", "registration_id")}),
        (
            _("Billing address"),
            {
                "fields": (
                    "billing_address_line1",
                    "billing_address_line2",
                    "billing_postal_code",
                    "billing_city",
                    "billing_country",
                )
            },
        ),
        (
            _("Site address (if different)"),
            {
                "classes": ("collapse",),
                "fields": (
                    "delivery_address_line1",
                    "delivery_address_line2",
                    "delivery_postal_code",
                    "delivery_city",
                    "delivery_country",
                ),
            },
        ),
        (
            _("Terms and documents"),
            {"fields": ("payment_terms_kind", "payment_terms_days", "document_language")},
        ),
        (_("Other"), {"fields": ("notes", "is_active", "created_at", "updated_at")}),
    )

    @admin.display(description=_("SIREN"), ordering="siren")
    def siren_formatted(self, obj):
        return obj.siren_display or "—"

    @admin.display(description=_("payment terms"), ordering="payment_terms_days")
    def payment_terms(self, obj):
        return obj.payment_terms_label

    def get_search_results(self, request, queryset, search_term):
        # "732 829 320" finds the client stored as 732829320.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        compact = compact_identifier(search_term)
        if compact and compact != search_term.upper():
            queryset |= self.model.objects.filter(siren=compact) | self.model.objects.filter(
                siret=compact
            )
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        # The form already ran full_clean on `obj` (same rules); the service re-checks and
        # saves under lock with the history user.
        if change:
            fields = {
                name: getattr(obj, name) for name in form.changed_data if name in CLIENT_FIELDS
            }
            client_update(client=obj, updated_by=request.user, **fields)
        else:
            fields = {name: getattr(obj, name) for name in CLIENT_FIELDS}
            created = client_create(created_by=request.user, **fields)
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db

    def save_formset(self, request, form, formset, change):
        if formset.model is not ClientContact:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for contact in formset.deleted_objects:
            contact_remove(contact=contact, removed_by=request.user)
        for contact, changed in formset.changed_objects:
            fields = {name: getattr(contact, name) for name in changed if name in CONTACT_FIELDS}
            contact_update(contact=contact, updated_by=request.user, **fields)
        for contact in formset.new_objects:
            fields = {name: getattr(contact, name) for name in CONTACT_FIELDS}
            contact_add(client=form.instance, added_by=request.user, **fields)
        return None

    def delete_model(self, request, obj):
        client_delete(client=obj, deleted_by=request.user)

    def delete_queryset(self, request, queryset):
        for client in queryset:
            client_delete(client=client, deleted_by=request.user)

    @admin.action(description=_("Deactivate the selected clients"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        count = 0
        for client in queryset.filter(is_active=True):
            client_deactivate(client=client, deactivated_by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d client deactivated.", "%(count)d clients deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )
