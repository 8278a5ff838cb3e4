"""Forms of the invoice admin's action pages and of its lines inline; each hands its
cleaned data to one service and shows the service's refusals next to the fields."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminDateWidget,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminTextInputWidget,
)

from ..models import Invoice
from ..selectors.invoices import activity_reports_to_invoice
from ..services.invoicing.drafts import invoice_line_check

HEADER_FIELDS = ["purchase_order_reference", "service_period_start", "service_period_end"]
HEADER_FIELDS += ["language", "notes"]


def form_errors(form: forms.Form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    elif isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(error))


def posted(request):
    return request.POST if request.method == "POST" else None


# --- forms ------------------------------------------------------------------------------------
class IssueForm(forms.Form):
    issue_date = forms.DateField(
        label=_("issue date"),
        required=False,
        widget=UnfoldAdminDateWidget,
        help_text=_("Leave empty for today."),
    )

    def service_kwargs(self) -> dict:
        return {"issue_date": self.cleaned_data["issue_date"]}


class CreditNoteForm(forms.Form):
    """One quantity field per line of the invoice: empty credits nothing on that line; the
    full quantity everywhere is a full credit note."""

    reason = forms.CharField(
        label=_("reason for the credit note"), max_length=300, widget=UnfoldAdminTextInputWidget
    )

    def __init__(self, *args, invoice: Invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice_lines = list(invoice.lines.all())
        for line in self.invoice_lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=f"{line.description} ({line.quantity} × {line.unit_price_excl_tax} €)",
                required=False,
                min_value=Decimal("0.01"),
                max_value=line.quantity,
                decimal_places=2,
                initial=line.quantity,
                widget=UnfoldAdminDecimalFieldWidget,
                help_text=_("Quantity to credit; empty: nothing on this line."),
            )

    def service_kwargs(self) -> dict:
        chosen = [
            {"line": line, "quantity": self.cleaned_data[f"line_{line.pk}"]}
            for line in self.invoice_lines
            if self.cleaned_data.get(f"line_{line.pk}")
        ]
        if not chosen:
            raise ValidationError(_("Choose at least one line to credit."))
        full = len(chosen) == len(self.invoice_lines) and all(
            item["quantity"] == item["line"].quantity for item in chosen
        )
        return {"reason": self.cleaned_data["reason"], "lines": None if full else chosen}


class ReportChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, report):
        return _("%(month)s — %(consultant)s — %(client)s (%(days)s days, %(amount)s €)") % {
            "month": report.month.strftime("%m/%Y"),
            "consultant": report.consultant,
            "client": report.commercial_contract.client,
            "days": number_format(report.days_total, 1),
            "amount": number_format(report.amount or 0, 2, force_grouping=True),
        }


class FromReportsForm(forms.Form):
    reports = ReportChoiceField(
        label=_("validated activity reports not yet invoiced"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = activity_reports_to_invoice()


class InvoiceAdminForm(forms.ModelForm):
    class Meta:
        model = Invoice
        fields = ["client", "consultant", "commercial_contract", *HEADER_FIELDS]

    def clean(self):
        data = super().clean()
        contract = data.get("commercial_contract")
        if contract and data.get("client") and contract.client_id != data["client"].pk:
            self.add_error("commercial_contract", _("This contract is with another client."))
        if contract and data.get("consultant") and contract.consultant_id != data["consultant"].pk:
            self.add_error("commercial_contract", _("This contract is for another consultant."))
        return data


class InvoiceLineFormSet(BaseInlineFormSet):
    """New lines are checked by the service's rules before anything is saved, so a refused
    line shows its message next to the field instead of failing the save."""

    def clean(self):
        super().clean()
        for line_form in self.extra_forms:
            if not line_form.has_changed() or self._should_delete_form(line_form):
                continue
            data = line_form.cleaned_data
            try:
                invoice_line_check(
                    self.instance,
                    description=data.get("description"),
                    quantity=data.get("quantity"),
                    unit=data.get("unit"),
                    unit_price_excl_tax=data.get("unit_price_excl_tax"),
                    vat_rate=data.get("vat_rate"),
                )
            except ValidationError as error:
                form_errors(line_form, error)
