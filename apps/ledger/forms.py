"""Admin forms: a staff adjustment, a reversal, the period of a statement. They only parse
input; the services validate and write."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminDateWidget,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminTextInputWidget,
)

from apps.consultants.models import Consultant

from .models import LedgerEntry


def add_service_errors(form: forms.Form, error: Exception) -> None:
    """Show a service's ValidationError next to its fields (others at the top)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    elif isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(error))


class AdjustmentForm(forms.Form):
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=Consultant.objects.all())
    amount = forms.DecimalField(
        label=_("Amount (€)"),
        max_digits=14,
        decimal_places=2,
        widget=UnfoldAdminDecimalFieldWidget,
        help_text=_("Positive to credit the consultant's account, negative to debit it."),
    )
    entry_date = forms.DateField(label=_("Date"), widget=UnfoldAdminDateWidget)
    label = forms.CharField(
        label=_("Label"),
        max_length=255,
        widget=UnfoldAdminTextInputWidget,
        help_text=_("Shown to the consultant on their activity account: explain the adjustment."),
    )

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_date"].initial = timezone.localdate()
        if admin_site is not None:
            # Search consultants as you type (a select with thousands of options is unusable).
            field = self.fields["consultant"]
            field.widget = AutocompleteSelect(LedgerEntry._meta.get_field("consultant"), admin_site)
            field.widget.choices = field.choices


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        widget=UnfoldAdminTextInputWidget,
        help_text=_("Shown to the consultant as the label of the reversal."),
    )
    entry_date = forms.DateField(label=_("Date of the reversal"), widget=UnfoldAdminDateWidget)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_date"].initial = timezone.localdate()


class StatementPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=UnfoldAdminDateWidget)
    end = forms.DateField(label=_("To"), widget=UnfoldAdminDateWidget)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date must be on or after the start date."))
        return data
