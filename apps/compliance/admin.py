"""Back-office screens: activity categories (read-mostly), acknowledged warnings and contract
alerts (read-only: they are written by the contract services and the daily job)."""

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.decorators import display

from . import services
from .models import ActivityCategory, ContractAlert, FindingAcknowledgement


@admin.register(ActivityCategory)
class ActivityCategoryAdmin(SimpleHistoryAdmin, ModelAdmin):
    list_display = ["code", "label_column", "excluded_badge", "exclusion_rule", "is_active"]
    list_filter = ["excluded", "exclusion_rule", "is_active"]
    search_fields = ["code", "label"]
    ordering = ["excluded", "code"]
    fields = ["code", "label", "excluded", "exclusion_rule", "source", "is_active"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # contracts refer to the code; the exclusion comes from the law
            fields += ["code", "excluded", "exclusion_rule"]
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: contracts refer to categories (PROTECT)

    @display(description=_("label"), ordering="label")
    def label_column(self, obj: ActivityCategory) -> str:
        return obj.label_display

    @display(
        description=_("excluded"),
        ordering="excluded",
        label={"excluded": "danger", "allowed": "success"},
    )
    def excluded_badge(self, obj: ActivityCategory):
        if obj.excluded:
            return "excluded", _("excluded")
        return "allowed", _("allowed")

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            saved = services.activity_category_create(
                code=data["code"],
                label=data["label"],
                excluded=data.get("excluded", False),
                exclusion_rule=data.get("exclusion_rule", ""),
                source=data.get("source", ""),
                is_active=data.get("is_active", True),
            )
            obj.pk = saved.pk
        else:
            changed = {
                name: data[name]
                for name in form.changed_data
                if name in services.ACTIVITY_CATEGORY_EDITABLE
            }
            if changed:
                services.activity_category_update(category=obj, **changed)
        obj.refresh_from_db()


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FindingAcknowledgement)
class FindingAcknowledgementAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = [
        "acknowledged_at",
        "document",
        "rule_id",
        "code",
        "acknowledged_by",
        "message",
    ]
    list_filter = ["rule_id", "content_type"]
    search_fields = ["code", "rule_id", "message", "acknowledged_by__email"]
    list_select_related = ["acknowledged_by", "content_type"]
    date_hierarchy = "acknowledged_at"

    @display(description=_("document"))
    def document(self, obj: FindingAcknowledgement) -> str:
        return f"{obj.content_type.name} #{obj.object_id}"


@admin.register(ContractAlert)
class ContractAlertAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = [
        "due_date",
        "kind",
        "threshold_days",
        "document_link",
        "message",
        "created_at",
        "notified_at",
    ]
    list_filter = ["kind", "threshold_days", ("notified_at", admin.EmptyFieldListFilter)]
    search_fields = ["message"]
    list_select_related = ["content_type"]
    date_hierarchy = "due_date"

    @display(description=_("contract"))
    def document_link(self, obj: ContractAlert):
        url = obj.admin_url()
        label = f"{obj.content_type.name} #{obj.object_id}"
        return format_html('<a href="{}">{}</a>', url, label) if url else label
