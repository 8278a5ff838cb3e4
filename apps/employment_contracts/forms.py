"""Admin forms: the contract form (validated like the services validate) and one small form
per business action (sign, renew, prospection extension, terminate, end)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminDateWidget,
    UnfoldAdminFileFieldWidget,
    UnfoldAdminTextareaWidget,
    UnfoldBooleanWidget,
)

from .models import EmploymentContract
from .services import EDITABLE_FIELDS
from .services.lifecycle import input_blocking_findings


class EmploymentContractAdminForm(forms.ModelForm):
    """The draft's fields; on top of the model validation, the duration rules that make the
    input itself wrong (PR-12 ... PR-14) are shown next to the form instead of after saving."""

    class Meta:
        model = EmploymentContract
        fields = ["consultant", "commercial_contracts", *sorted(EDITABLE_FIELDS)]

    def clean(self):
        """Clear what does not apply to the chosen type and working time (the form shows every
        field with its default: the reserve for a CDI, the indemnity for a CDD)."""
        data = super().clean()
        kind, mode = data.get("kind"), data.get("working_time_mode")
        cleared = {}
        if kind == EmploymentContract.Kind.CDD:
            cleared["reserve_rate"] = None
        elif kind == EmploymentContract.Kind.CDI:
            cleared.update(end_of_contract_indemnity_rate=None, term_type="")
        if mode == EmploymentContract.WorkingTimeMode.DAYS:
            cleared["hours_per_week"] = None
        elif mode == EmploymentContract.WorkingTimeMode.HOURS:
            cleared["days_per_year"] = None
        for name, value in cleared.items():
            data[name] = value
            # also on the instance: a field left out of the POST keeps its model default
            setattr(self.instance, name, value)
        return data

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        instance = self.instance
        if instance.consultant_id is None or not instance.start_date:
            return
        for finding in input_blocking_findings(instance):
            self.add_error(None, f"{finding.rule_id}: {finding.message}")


def _date(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=UnfoldAdminDateWidget)


def _text(label, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3})
    )


class SignForm(forms.Form):
    signed_pdf = forms.FileField(
        label=_("Signed contract (PDF)"), required=False, widget=UnfoldAdminFileFieldWidget
    )
    acknowledge_warnings = forms.BooleanField(
        label=_("I have read the warnings above and acknowledge them"),
        required=False,
        widget=UnfoldBooleanWidget,
    )


class RenewForm(forms.Form):
    new_end_date = _date(_("New end date"))
    signed_on = _date(_("Renewal agreed on"), required=False)
    reason = _text(_("Reason"))


class ProspectionExtensionForm(forms.Form):
    extension_end = _date(_("New end date (prospection)"))
    reason = _text(_("Agreement reached"))


class TerminateForm(forms.Form):
    terminated_on = _date(_("Termination date"))
    reason = _text(_("Reason"))


class EndForm(forms.Form):
    ended_on = _date(_("End date"), required=False)
