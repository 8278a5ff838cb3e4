"""The consultant's expense claims in the portal (mounted under /portal/, "portal" namespace).

- expenses/                         "expense_claims": my claims (status, totals) + new claim
- expenses/<id>/                    "expense_claim_edit": the claim, its lines, the forms to
                                    add an expense (with its receipt) or a mileage allowance
                                    (computed on the server, with a preview), submit
- expenses/<id>/lines/<l>/remove/   "expense_line_remove" (POST, draft only)
- expenses/<id>/submit/             "expense_claim_submit" (POST)
- expenses/<id>/reopen/             "expense_claim_reopen" (POST, a rejected claim)
- expenses/lines/<l>/receipt/       "expense_receipt": download one of my receipts

Views parse the forms and call one service; someone else's claim or receipt is a 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.commercial_contracts.selectors import commercial_contracts_for_user
from apps.core.errors import DomainError
from apps.ledger.selectors import ledger_available
from apps.portal.views import consultant_required

from .api.expenses import receipt_response
from .models.expenses import ExpenseCategory, ExpenseClaimStatus, ExpenseLine, VehicleType
from .selectors.expenses import expense_claims_for_user, expense_lines_for_user
from .services import expenses as services
from .services.mileage import mileage_allowance
from .services.uploads import ACCEPT

NAV = "expenses"


# --- forms (parsing only: the services validate and write) --------------------------------
def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class ClaimForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("E.g. “Client workshop in Lyon, March 2026”."),
    )
    commercial_contract = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=None,
        required=False,
        empty_label=_("No particular mission"),
        help_text=_("Choose the mission to rebill expenses to its client when it provides so."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["commercial_contract"]
        field.queryset = commercial_contracts_for_user(user).select_related("client")
        field.label_from_instance = lambda contract: (
            f"{contract.reference} — {contract.client.legal_name}"
        )


class LineForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_date_widget())
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[c for c in ExpenseCategory.choices if c[0] != ExpenseCategory.MILEAGE],
    )
    description = forms.CharField(label=_("Description"), max_length=255)
    amount_ttc = _money_field(_("Amount incl. VAT (€)"))
    vat_amount = _money_field(
        _("of which VAT (€)"), required=False, help_text=_("As shown on the receipt; 0 if none.")
    )
    receipt = forms.FileField(
        label=_("Receipt (PDF, JPEG or PNG, 10 MB at most)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    rebill_to_client = forms.BooleanField(label=_("Rebill to the client"), required=False)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("vat_amount") is None:
            data["vat_amount"] = 0
        return data


class MileageForm(forms.Form):
    date = forms.DateField(label=_("Date of the trip"), widget=_date_widget())
    description = forms.CharField(
        label=_("Trip"), max_length=255, help_text=_("From, to and why (e.g. Lyon → Grenoble).")
    )
    vehicle_type = forms.ChoiceField(label=_("Vehicle"), choices=VehicleType.choices)
    fiscal_horsepower = forms.IntegerField(
        label=_("Fiscal horsepower (CV)"),
        required=False,
        min_value=1,
        help_text=_("Box P.6 of the registration certificate; not needed for a moped."),
    )
    distance_km = forms.DecimalField(
        label=_("Distance of the trip (km)"),
        max_digits=8,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    yearly_distance_km = forms.IntegerField(
        label=_("Your yearly professional distance with this vehicle (km)"),
        min_value=1,
        help_text=_("It chooses the band of the barème kilométrique."),
    )
    rebill_to_client = forms.BooleanField(label=_("Rebill to the client"), required=False)

    def service_kwargs(self) -> dict:
        return {**self.cleaned_data, "category": ExpenseCategory.MILEAGE}


def add_service_errors(form: forms.Form, error: Exception) -> None:
    """Show a service's errors next to their fields (others at the top of the form)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message)
    elif isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(error))


# --- views --------------------------------------------------------------------------------
def _own_claim(request, pk: int, *, with_lines: bool = False):
    claims = expense_claims_for_user(request.user).filter(consultant=request.consultant)
    if with_lines:
        claims = claims.prefetch_related(
            Prefetch("lines", queryset=ExpenseLine.objects.order_by("date", "pk"))
        )
    claim = claims.filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim


@consultant_required
def expense_claims(request):
    """My claims, newest first, and the form to start a new one."""
    form = ClaimForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.expense_claim_create(
                consultant=request.consultant, created_by=request.user, **form.cleaned_data
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Claim created: now add your expenses."))
            return redirect("portal:expense_claim_edit", pk=claim.pk)
    claims = expense_claims_for_user(request.user).filter(consultant=request.consultant)
    return render(
        request,
        "portal/expense_claims.html",
        {
            "nav_active": NAV,
            "claims": claims.order_by("-created_at", "-pk"),
            "form": form,
            "available": ledger_available(request.consultant),
        },
    )


def _mileage_preview(form: MileageForm):
    data = form.cleaned_data
    try:
        return mileage_allowance(
            on_date=data["date"],
            vehicle_type=data["vehicle_type"],
            fiscal_horsepower=data.get("fiscal_horsepower"),
            distance_km=data["distance_km"],
            yearly_distance_km=data["yearly_distance_km"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@consultant_required
def expense_claim_edit(request, pk: int):
    """One claim: its lines; while a draft, the forms to change it and add expenses."""
    claim = _own_claim(request, pk, with_lines=True)
    claim_form = ClaimForm(
        initial={"title": claim.title, "commercial_contract": claim.commercial_contract_id},
        user=request.user,
    )
    line_form = LineForm(prefix="line", initial={"date": timezone.localdate(), "vat_amount": 0})
    mileage_form = MileageForm(prefix="mileage", initial={"date": timezone.localdate()})
    preview = None
    posted = request.method == "POST"
    action = request.POST.get("action", "") if posted else ""

    if posted and not claim.is_editable:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("portal:expense_claim_edit", pk=claim.pk)

    if action == "update_claim":
        claim_form = ClaimForm(request.POST, user=request.user)
        if claim_form.is_valid():
            try:
                services.expense_claim_update(
                    claim=claim, updated_by=request.user, **claim_form.cleaned_data
                )
            except (ValidationError, DomainError) as error:
                add_service_errors(claim_form, error)
            else:
                messages.success(request, _("Claim updated."))
                return redirect("portal:expense_claim_edit", pk=claim.pk)
    elif action == "add_line":
        line_form = LineForm(request.POST, request.FILES, prefix="line")
        if line_form.is_valid():
            try:
                services.expense_line_add(
                    claim=claim, added_by=request.user, **line_form.service_kwargs()
                )
            except (ValidationError, DomainError) as error:
                add_service_errors(line_form, error)
            else:
                messages.success(request, _("Expense added."))
                return redirect("portal:expense_claim_edit", pk=claim.pk)
    elif action in ("preview_mileage", "add_mileage"):
        mileage_form = MileageForm(request.POST, prefix="mileage")
        if mileage_form.is_valid():
            if action == "preview_mileage":
                preview = _mileage_preview(mileage_form)
            else:
                try:
                    services.expense_line_add(
                        claim=claim, added_by=request.user, **mileage_form.service_kwargs()
                    )
                except (ValidationError, DomainError) as error:
                    add_service_errors(mileage_form, error)
                else:
                    messages.success(request, _("Mileage allowance added."))
                    return redirect("portal:expense_claim_edit", pk=claim.pk)

    contract = claim.commercial_contract
    return render(
        request,
        "portal/expense_claim_edit.html",
        {
            "nav_active": NAV,
            "claim": claim,
            "lines": list(claim.lines.all()),
            "claim_form": claim_form,
            "line_form": line_form,
            "mileage_form": mileage_form,
            "preview": preview,
            "can_rebill": bool(contract and contract.rebill_expenses),
            "show_rejection": bool(claim.rejection_reason)
            and claim.status in (ExpenseClaimStatus.REJECTED, ExpenseClaimStatus.DRAFT),
            "available": ledger_available(request.consultant),
        },
    )


def _run(request, pk, service, success, **kwargs):
    claim = _own_claim(request, pk)
    try:
        service(claim=claim, by=request.user, **kwargs)
    except (ValidationError, DomainError) as error:
        text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect("portal:expense_claim_edit", pk=claim.pk)


@require_POST
@consultant_required
def expense_claim_submit(request, pk: int):
    return _run(
        request,
        pk,
        services.expense_claim_submit,
        _(
            "Claim submitted: staff will check it, then it is reimbursed from your activity account."
        ),
    )


@require_POST
@consultant_required
def expense_claim_reopen(request, pk: int):
    return _run(
        request,
        pk,
        services.expense_claim_reopen,
        _("The claim is a draft again: correct it and submit it."),
    )


@require_POST
@consultant_required
def expense_line_remove(request, pk: int, line_id: int):
    claim = _own_claim(request, pk)
    line = claim.lines.filter(pk=line_id).first()
    if line is None:
        raise Http404
    try:
        services.expense_line_remove(line=line, removed_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Expense removed."))
    return redirect("portal:expense_claim_edit", pk=claim.pk)


@consultant_required
def expense_receipt(request, line_id: int):
    line = expense_lines_for_user(request.user).filter(
        pk=line_id, claim__consultant=request.consultant
    )
    line = line.first()
    if line is None:
        raise Http404
    return receipt_response(line)


urlpatterns = [
    path("expenses/", expense_claims, name="expense_claims"),
    path("expenses/<int:pk>/", expense_claim_edit, name="expense_claim_edit"),
    path(
        "expenses/<int:pk>/lines/<int:line_id>/remove/",
        expense_line_remove,
        name="expense_line_remove",
    ),
    path("expenses/<int:pk>/submit/", expense_claim_submit, name="expense_claim_submit"),
    path("expenses/<int:pk>/reopen/", expense_claim_reopen, name="expense_claim_reopen"),
    path("expenses/lines/<int:line_id>/receipt/", expense_receipt, name="expense_receipt"),
]
