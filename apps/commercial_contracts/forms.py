"""Admin forms: the draft form (contract + original terms, validated by a dry run of the
service) and the small forms of the action pages (sign, amend, terminate, end)."""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminDateWidget,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminFileFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanWidget,
)

from apps.core.errors import DomainError

from . import services
from .models import CommercialContract, PricingKind
from .selectors import commercial_contract_latest_terms


class _DryRun(Exception):
    """Raised to roll back a service call made only to validate the form."""


def add_service_errors(form: forms.Form, error: Exception) -> None:
    """Show a service's ValidationError/DomainError on the form fields it names."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return
    if isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
        return
    form.add_error(None, str(error))
    for field, messages in getattr(error, "fields", {}).items():
        if field in form.fields:
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(field, str(message))


def _money_field(label, max_digits: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=2,
        required=False,
        widget=UnfoldAdminDecimalFieldWidget,
    )


def _days_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("estimated days"),
        max_digits=6,
        decimal_places=1,
        required=False,
        widget=UnfoldAdminDecimalFieldWidget,
        help_text=_("Estimated number of days worked over the whole period."),
    )


class CommercialContractAdminForm(forms.ModelForm):
    """A draft and its original terms. clean() runs the create/update service in a
    rolled-back transaction so that its refusals (compliance, parties) show on the form."""

    pricing_kind = forms.ChoiceField(
        label=_("pricing"), choices=PricingKind.choices, widget=UnfoldAdminSelectWidget
    )
    daily_rate = _money_field(_("daily rate excl. VAT (€)"), 10)
    fixed_price = _money_field(_("fixed price excl. VAT (€)"), 14)
    estimated_days = _days_field()

    TERMS = ("pricing_kind", "daily_rate", "fixed_price", "estimated_days")

    class Meta:
        model = CommercialContract
        fields = sorted(services.CONTRACT_FIELDS)

    def __init__(self, *args, request_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = request_user
        if self.instance.pk:
            terms = commercial_contract_latest_terms(self.instance)
            if terms is not None:
                for name in self.TERMS:
                    self.initial.setdefault(name, getattr(terms, name))

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data.get(name)
            for name in (*services.CONTRACT_FIELDS, *self.TERMS)
            if name in self.fields and name in self.cleaned_data
        }
        kind = data.get("pricing_kind")
        if kind == PricingKind.DAILY_RATE:
            data["fixed_price"] = None
        elif kind == PricingKind.FIXED_PRICE:
            data["daily_rate"] = None
        return data

    def save_through_services(self) -> CommercialContract:
        data = self.service_data()
        if self.instance.pk:
            return services.commercial_contract_update(
                contract=self.instance, updated_by=self.request_user, **data
            )
        return services.commercial_contract_create(created_by=self.request_user, **data)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            with transaction.atomic():
                self.save_through_services()
                raise _DryRun
        except _DryRun:
            pass
        except (ValidationError, DomainError) as error:
            add_service_errors(self, error)
        return cleaned


class ReadOnlyContractForm(forms.ModelForm):
    """The change form of a contract no longer in draft: nothing editable, nothing saved."""

    class Meta:
        model = CommercialContract
        fields: list[str] = []


class ConfirmForm(forms.Form):
    """Action pages that only need a confirmation (send, activate, reopen)."""

    def __init__(self, *args, contract=None, findings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract

    def service_kwargs(self) -> dict:
        return {}


class SignForm(ConfirmForm):
    signed_pdf = forms.FileField(
        label=_("contract signed by the client (PDF, 10 MB max)"),
        widget=UnfoldAdminFileFieldWidget,
    )
    signed_by_client_name = forms.CharField(
        label=_("signed for the client by"),
        max_length=200,
        required=False,
        widget=UnfoldAdminTextInputWidget,
    )
    signed_on = forms.DateField(
        label=_("signature date"), initial=timezone.localdate, widget=UnfoldAdminDateWidget
    )
    acknowledge_warnings = forms.BooleanField(
        label=_("I have read the warnings above and sign anyway"),
        required=False,
        widget=UnfoldBooleanWidget,
    )

    def __init__(self, *args, findings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not any(finding.severity == "warn" for finding in findings or []):
            del self.fields["acknowledge_warnings"]

    def service_kwargs(self) -> dict:
        signed_on = self.cleaned_data["signed_on"]
        if signed_on == timezone.localdate():
            signed_at = timezone.now()
        else:
            signed_at = timezone.make_aware(datetime.combine(signed_on, time(12, 0)))
        return {
            "signed_pdf": self.cleaned_data["signed_pdf"],
            "signed_by_client_name": self.cleaned_data["signed_by_client_name"],
            "signed_at": signed_at,
            "acknowledge_warnings": self.cleaned_data.get("acknowledge_warnings", False),
        }


class AmendForm(ConfirmForm):
    effective_from = forms.DateField(label=_("effective from"), widget=UnfoldAdminDateWidget)
    end_date = forms.DateField(
        label=_("new planned end date"),
        required=False,
        widget=UnfoldAdminDateWidget,
        help_text=_("Leave empty to keep the current end date."),
    )
    daily_rate = _money_field(_("new daily rate excl. VAT (€)"), 10)
    fixed_price = _money_field(_("new fixed price excl. VAT (€)"), 14)
    estimated_days = _days_field()
    reason = forms.CharField(label=_("reason"), widget=UnfoldAdminTextareaWidget)

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, contract=contract, **kwargs)
        terms = commercial_contract_latest_terms(contract) if contract else None
        if terms is not None:
            drop = "fixed_price" if terms.pricing_kind == PricingKind.DAILY_RATE else "daily_rate"
            del self.fields[drop]

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class TerminateForm(ConfirmForm):
    terminated_on = forms.DateField(
        label=_("terminated on"), initial=timezone.localdate, widget=UnfoldAdminDateWidget
    )
    reason = forms.CharField(label=_("reason"), widget=UnfoldAdminTextareaWidget)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class EndForm(ConfirmForm):
    ended_on = forms.DateField(
        label=_("ended on"),
        required=False,
        widget=UnfoldAdminDateWidget,
        help_text=_("Leave empty for the planned end date."),
    )

    def service_kwargs(self) -> dict:
        return {"ended_on": self.cleaned_data.get("ended_on")}
