"""The client's approval page, reached from the e-mailed link without an account.

GET shows the report (consultant, client, month, calendar, totals, amount excl. VAT) and two
forms, approve or reject; POST calls one service. An unknown or tampered link is a 404 page;
an expired, used or replaced link is a 200 page explaining why, and nothing changes. The
page speaks the client's document language.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from apps.core.errors import InvalidTransition

from .selectors.reports import (
    activity_report_amount_preview,
    activity_report_calendar,
    approval_token_find,
    approval_token_state,
)
from .services.reports import (
    MAX_NAME,
    MAX_TEXT,
    ApprovalLinkError,
    activity_report_client_approve,
    activity_report_client_reject,
)


class ApproveForm(forms.Form):
    approver_name = forms.CharField(label=_("Your name"), max_length=MAX_NAME)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    approver_name = forms.CharField(label=_("Your name"), max_length=MAX_NAME)
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The consultant will correct the report and submit it again."),
    )


def _secure(response):
    # The token is in the URL: never send it to another site, never index nor cache the page.
    # "same-origin", not "no-referrer": with no-referrer browsers post the forms with
    # "Origin: null", which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request, template: str, context: dict, status: int = 200):
    return _secure(render(request, template, context, status=status))


def _language(token) -> str:
    return token.report.commercial_contract.client.document_language or "fr"


def _closed_context(token, state: str) -> dict:
    report = token.report
    return {"token": token, "report": report, "state": state}


def _approval_context(token, approve_form=None, reject_form=None, active=None) -> dict:
    report = token.report
    calendar = activity_report_calendar(report)
    amount = activity_report_amount_preview(report)
    return {
        "token": token,
        "report": report,
        "contract": report.commercial_contract,
        "client": report.commercial_contract.client,
        "consultant": report.consultant,
        "calendar": calendar,
        "amount": amount,
        "approve_form": approve_form or ApproveForm(prefix="approve"),
        "reject_form": reject_form or RejectForm(prefix="reject"),
        "active": active,
    }


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@never_cache
def approval_page(request, token: str):
    row = approval_token_find(token)
    if row is None:
        return _page(request, "activity/public/approval_invalid.html", {}, status=404)
    with translation.override(_language(row)):
        state = approval_token_state(row)
        if state != "valid":
            return _page(
                request, "activity/public/approval_closed.html", _closed_context(row, state)
            )
        if request.method != "POST":
            return _page(request, "activity/public/approval.html", _approval_context(row))
        action = request.POST.get("action")
        approve_form = ApproveForm(request.POST if action == "approve" else None, prefix="approve")
        reject_form = RejectForm(request.POST if action == "reject" else None, prefix="reject")
        form = approve_form if action == "approve" else reject_form if action == "reject" else None
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "approve":
                    activity_report_client_approve(
                        token=token,
                        approver_name=data["approver_name"],
                        comment=data["comment"],
                        report=row.report,
                    )
                else:
                    activity_report_client_reject(
                        token=token,
                        approver_name=data["approver_name"],
                        reason=data["reason"],
                        report=row.report,
                    )
            except ApprovalLinkError as error:
                if error.reason == "invalid":
                    return _page(request, "activity/public/approval_invalid.html", {}, status=404)
                fresh = approval_token_find(token) or row
                return _page(
                    request,
                    "activity/public/approval_closed.html",
                    {**_closed_context(fresh, error.reason), "error": error.message},
                )
            except InvalidTransition as error:
                return _page(
                    request,
                    "activity/public/approval_closed.html",
                    {**_closed_context(row, "closed"), "error": error.message},
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                # Post/redirect/get: the link now shows what was done.
                return _secure(HttpResponseRedirect(request.path))
        # Invalid input (or no action chosen): the page again with the errors.
        return _page(
            request,
            "activity/public/approval.html",
            _approval_context(row, approve_form, reject_form, active=action),
            status=400,
        )
