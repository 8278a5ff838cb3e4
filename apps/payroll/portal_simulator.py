"""The consultant's simulator page (portal): what a month at a given TJM pays.

A GET form (nothing is stored, so the result is bookmarkable) prefilled with the
consultant's own fee rate; the result shows the chain and every line grouped by risk.
Staff simulate for prospects through the API (POST /api/v1/payroll/simulate/).
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.portal.views import consultant_required

from .engine import group_label
from .simulator import simulate_portage, simulation_defaults_for_user


class SimulatorForm(forms.Form):
    daily_rate = forms.DecimalField(
        label=_("Daily rate excl. VAT (€)"), max_digits=10, decimal_places=2, min_value=0
    )
    days_per_month = forms.DecimalField(
        label=_("Days billed in the month"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=23,
    )
    management_fee_rate = forms.DecimalField(
        label=_("Management fee (%)"), max_digits=5, decimal_places=2, min_value=0
    )
    expenses = forms.DecimalField(
        label=_("Expenses reimbursed (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )


def simulation_groups(simulation, lang: str) -> list[dict]:
    """[{label, lines, employee_total, employer_total}] in payslip order."""
    groups = []
    for group, lines in simulation.payslip.lines_by_group().items():
        groups.append(
            {
                "label": group_label(group, lang),
                "lines": [
                    {"line": line, "label": line.label_fr if lang == "fr" else line.label_en}
                    for line in lines
                ],
                "employee_total": sum((line.employee_amount for line in lines), Decimal(0)),
                "employer_total": sum((line.employer_amount for line in lines), Decimal(0)),
            }
        )
    return groups


@consultant_required
def simulator(request):
    """TJM, days, fee rate and expenses → turnover → fee → employer cost → gross → net paid."""
    defaults = simulation_defaults_for_user(request.user)
    simulation = None
    if "daily_rate" in request.GET:
        form = SimulatorForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
            try:
                simulation = simulate_portage(
                    daily_rate=data["daily_rate"],
                    days_per_month=data["days_per_month"],
                    management_fee_rate=data["management_fee_rate"],
                    expenses=data["expenses"] or Decimal(0),
                    status=defaults["status"],
                    headcount=defaults["headcount"],
                    contract_type=defaults["contract_type"],
                    classification_level=defaults["classification_level"],
                    pas_rate=defaults["pas_rate"],
                )
            except ValidationError as error:
                add_errors(form, error)
    else:
        form = SimulatorForm(
            initial={
                "daily_rate": Decimal("500.00"),
                "days_per_month": Decimal("18"),
                "management_fee_rate": defaults["management_fee_rate"],
                "expenses": Decimal("0.00"),
            }
        )
    lang = (translation.get_language() or "fr")[:2]
    return render(
        request,
        "portal/simulator.html",
        {
            "form": form,
            "simulation": simulation,
            "groups": simulation_groups(simulation, lang) if simulation else [],
            "nav_active": "simulator",
        },
    )


def add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
