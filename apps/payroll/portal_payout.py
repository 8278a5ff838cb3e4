"""The consultant's pay-out page (portal): how much of the activity account becomes this
month's salary. Shows the balance, the current request and what the payslip would be (the
same computation as the run); the consultant saves an amount or goes back to "everything".
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError
from apps.portal.views import consultant_required

from .selectors import payout_request_of
from .services import payout_period, payout_preview, payout_request_cancel, payout_request_set


class PayoutForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to pay out this month (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=gettext_lazy(
            "Taken from your activity account: employer cost and provisions included."
        ),
    )


@consultant_required
def payout(request):
    """GET: the balance, the request and a preview (?amount= previews another amount).
    POST: save the amount (action=save) or pay out everything again (action=cancel)."""
    consultant = request.consultant
    period = payout_period(consultant)
    current = payout_request_of(consultant_id=consultant.pk, period=period)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            try:
                payout_request_cancel(consultant=consultant, period=period, by=request.user)
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your whole available balance will be paid out."))
            return redirect("portal:payout")
        form = PayoutForm(request.POST)
        if form.is_valid():
            try:
                payout_request_set(
                    consultant=consultant,
                    period=period,
                    amount=form.cleaned_data["amount"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error("amount", str(error))
            else:
                messages.success(request, _("Your pay-out request is saved."))
                return redirect("portal:payout")
        requested = current.amount if current else None  # refused: the request stands
    else:
        form = PayoutForm(
            request.GET if "amount" in request.GET else None,
            initial={"amount": current.amount if current else None},
        )
        requested = current.amount if current else None
        if form.is_bound and form.is_valid():
            requested = form.cleaned_data["amount"]
    preview = payout_preview(consultant=consultant, period=period, requested=requested)
    return render(
        request,
        "portal/payout.html",
        {
            "form": form,
            "period": period,
            "current": current,
            "preview": preview,
            "previewing": form.is_bound and request.method == "GET",
            "nav_active": "payout",
        },
    )
