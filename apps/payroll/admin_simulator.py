"""The simulator for the back office (/payroll/simulator/): staff simulate for prospects.

An admin-styled page outside the ModelAdmins (no AdminSite hook): the same service as the
portal page and the API, with every input open (status, contract, headcount, period,
level, PAS rate) since a prospect has no terms on file yet.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import user_is_back_office

from .portal_simulator import SimulatorForm, add_errors, simulation_groups
from .simulator import simulate_portage, simulation_defaults_for_user


class StaffSimulatorForm(SimulatorForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("cadre", _("Executive (cadre)")), ("non-cadre", _("Non-executive"))],
    )
    contract_type = forms.ChoiceField(
        label=_("Contract"),
        choices=[("CDI", _("Permanent contract (CDI)")), ("CDD", _("Fixed-term contract (CDD)"))],
    )
    headcount = forms.IntegerField(label=_("Company headcount"), min_value=0)
    period = forms.CharField(
        label=_("Pay period"),
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("YYYY-MM"),
    )
    classification_level = forms.TypedChoiceField(
        label=_("Classification level (minimum salary check)"),
        choices=[("", _("No check")), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    pas_rate = forms.DecimalField(
        label=_("Personalised income tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Empty: the neutral grid."),
    )


@login_required(login_url="admin:login")
def staff_simulator(request):
    """Staff and finance: the simulator with every input, in the admin's look."""
    if not user_is_back_office(request.user):
        raise PermissionDenied
    defaults = simulation_defaults_for_user(None)
    simulation = None
    if "daily_rate" in request.GET:
        form = StaffSimulatorForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
            try:
                simulation = simulate_portage(
                    daily_rate=data["daily_rate"],
                    days_per_month=data["days_per_month"],
                    management_fee_rate=data["management_fee_rate"],
                    expenses=data["expenses"] or Decimal(0),
                    status=data["status"],
                    headcount=data["headcount"],
                    period=data["period"],
                    contract_type=data["contract_type"],
                    classification_level=data["classification_level"],
                    pas_rate=data["pas_rate"],
                )
            except ValidationError as error:
                add_errors(form, error)
    else:
        from .simulator import simulation_period

        form = StaffSimulatorForm(
            initial={
                "daily_rate": Decimal("500.00"),
                "days_per_month": Decimal("18"),
                "management_fee_rate": defaults["management_fee_rate"],
                "expenses": Decimal("0.00"),
                "status": "cadre",
                "contract_type": "CDI",
                "headcount": defaults["headcount"],
                # This month, or the latest month whose parameters are published.
                "period": f"{simulation_period(None)[0]:%Y-%m}",
            }
        )
    lang = (translation.get_language() or "fr")[:2]
    return render(
        request,
        "payroll/staff_simulator.html",
        {
            **admin.site.each_context(request),
            "title": _("Salary simulator"),
            "form": form,
            "simulation": simulation,
            "groups": simulation_groups(simulation, lang) if simulation else [],
        },
    )
