"""Pay-out requests: the consultant chooses how much of the activity account a month pays
out (IDCC 3219); the run takes at most that, the rest stays on the account."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.consultants.models import Consultant
from apps.ledger.selectors import ledger_available
from apps.payroll.models import PayoutRequest, PayrollRunItemStatus
from apps.payroll.services import (
    PayoutRequestError,
    payout_period,
    payout_request_cancel,
    payout_request_set,
    payroll_run_execute,
    payroll_run_start,
)

from .conftest import PERIOD, fund, make_contract

pytestmark = pytest.mark.django_db
D = Decimal


# --- the run --------------------------------------------------------------------------------
def test_the_run_pays_out_at_most_the_amount_asked(company, staff_user):
    asked = make_contract()
    everything = make_contract()
    for contract in (asked, everything):
        fund(contract.consultant, "9400.00")
    PayoutRequest.objects.create(consultant=asked.consultant, period=PERIOD, amount=D("5000.00"))

    run = payroll_run_execute(run=payroll_run_start(period=PERIOD, started_by=staff_user))

    items = {item.employment_contract_id: item for item in run.items.select_related("payslip")}
    paid = items[asked.pk].payslip
    assert paid.available_amount == D("5000.00")
    taken = D("9400.00") - ledger_available(asked.consultant, at=date(2026, 1, 31))
    # The largest salary that fits: within a couple of cents of what was asked, never above.
    assert D("4999.90") <= taken <= D("5000.00")
    assert ledger_available(asked.consultant, at=date(2026, 1, 31)) >= D("4400.00")
    # Without a request: the whole balance (the worked example: gross about 5 965 €).
    assert items[everything.pk].payslip.available_amount == D("9400.00")
    assert paid.gross < items[everything.pk].payslip.gross


def test_a_request_above_the_balance_pays_the_balance(company, staff_user):
    contract = make_contract()
    fund(contract.consultant, "6000.00")
    PayoutRequest.objects.create(consultant=contract.consultant, period=PERIOD, amount=D("9000.00"))
    run = payroll_run_execute(run=payroll_run_start(period=PERIOD, started_by=staff_user))
    assert run.items.get().payslip.available_amount == D("6000.00")


def test_two_contracts_of_one_consultant_share_one_request_across_batches(company, staff_user):
    first = make_contract()
    make_contract(consultant=first.consultant, classification=1)
    fund(first.consultant, "20000.00")
    PayoutRequest.objects.create(consultant=first.consultant, period=PERIOD, amount=D("9400.00"))

    run = payroll_run_execute(
        run=payroll_run_start(period=PERIOD, started_by=staff_user), batch_size=1
    )

    items = list(run.items.order_by("pk"))
    assert items[0].status == PayrollRunItemStatus.DONE
    # The first payslip took (almost) all of the 9 400 € asked: the second gets the cents
    # left, far below any minimum, and is refused rather than paid from the rest.
    assert items[1].status in (PayrollRunItemStatus.FAILED, PayrollRunItemStatus.SKIPPED)
    left = ledger_available(first.consultant, at=date(2026, 1, 31))
    assert D("10600.00") <= left <= D("10600.10")


# --- the service ----------------------------------------------------------------------------
@pytest.fixture
def funded(company):
    contract = make_contract()
    fund(contract.consultant, "9400.00")
    return contract.consultant


def test_request_is_recorded_and_replaced(funded, staff_user):
    period = payout_period(funded)
    first = payout_request_set(consultant=funded, period=period, amount=D("5000.00"), by=None)
    again = payout_request_set(consultant=funded, period=period, amount=D("6000.00"), by=staff_user)
    assert again.pk == first.pk and again.amount == D("6000.00")
    assert again.requested_by == staff_user
    assert payout_request_cancel(consultant=funded, period=period, by=staff_user) is True
    assert not PayoutRequest.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (D("9400.01"), "at most the 9400.00 € available"),
        (D("0.00"), "between 0.01 €"),
        (D("2000.00"), "Below the conventional minimum of level 3"),
    ],
)
def test_bad_requests_are_refused_with_the_figures(funded, amount, message):
    with pytest.raises(PayoutRequestError, match=message):
        payout_request_set(consultant=funded, period=payout_period(funded), amount=amount, by=None)
    assert not PayoutRequest.objects.exists()


def test_past_months_and_paid_months_are_closed(funded, staff_user):
    with pytest.raises(PayoutRequestError, match="is over"):
        payout_request_set(consultant=funded, period=PERIOD, amount=D("5000.00"), by=None)
    # Pay this month: the request of this month can no longer change, the next month opens.
    period = payout_period(funded)
    payroll_run_execute(run=payroll_run_start(period=period, started_by=staff_user))
    with pytest.raises(PayoutRequestError, match="already made"):
        payout_request_set(consultant=funded, period=period, amount=D("10.00"), by=None)
    assert payout_period(funded) > period


# --- portal -------------------------------------------------------------------------------------
@pytest.fixture
def portal(client, consultant_user):
    consultant = Consultant.objects.get(user=consultant_user)
    make_contract(consultant=consultant)
    fund(consultant, "9400.00")
    client.force_login(consultant_user)
    return client, consultant


def test_portal_page_previews_and_saves_a_request(portal):
    client, consultant = portal
    url = reverse("portal:payout")
    page = client.get(url)
    assert page.status_code == 200
    assert "9,400.00" in page.content.decode() or "9 400,00" in page.content.decode()

    preview = client.get(url, {"amount": "5000.00"})
    assert preview.status_code == 200
    assert preview.context["preview"].amount == D("5000.00")
    assert not PayoutRequest.objects.exists()  # a preview stores nothing

    saved = client.post(url, {"action": "save", "amount": "5000.00"})
    assert saved.status_code == 302
    assert PayoutRequest.objects.get(consultant=consultant).amount == D("5000.00")

    refused = client.post(url, {"action": "save", "amount": "99999.00"})
    assert refused.status_code == 200
    assert "9400.00" in refused.content.decode()
    assert PayoutRequest.objects.get(consultant=consultant).amount == D("5000.00")

    client.post(url, {"action": "cancel"})
    assert not PayoutRequest.objects.exists()


def test_portal_page_is_for_consultants_only(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("portal:payout")).status_code == 404


# --- API ----------------------------------------------------------------------------------------
def test_api_consultant_manages_only_their_own_requests(api_client, portal, make_user):
    _, consultant = portal
    other = make_contract().consultant
    fund(other, "9400.00")
    theirs = PayoutRequest.objects.create(
        consultant=other, period=payout_period(other), amount=D("5000.00")
    )
    api_client.force_authenticate(consultant.user)
    url = "/api/v1/payroll/payout-requests/"

    created = api_client.post(url, {"amount": "5000.00"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["consultant"] == consultant.pk
    # Someone else's id: in the body, or in the URL.
    assert api_client.post(url, {"amount": "10", "consultant": other.pk}).status_code == 404
    assert api_client.delete(f"{url}{theirs.pk}/").status_code == 404
    listed = api_client.get(url).json()
    assert [row["consultant"] for row in listed["results"]] == [consultant.pk]

    preview = api_client.get(f"{url}preview/", {"amount": "5000.00"}).json()
    assert preview["amount"] == "5000.00" and preview["error"] == ""
    assert D(preview["remainder"]) >= D("4400.00")

    mine = created.json()["id"]
    assert api_client.delete(f"{url}{mine}/").status_code == 204
    assert list(PayoutRequest.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_api_staff_name_the_consultant_and_finance_only_read(
    api_client, funded, staff_user, finance_user
):
    url = "/api/v1/payroll/payout-requests/"
    api_client.force_authenticate(staff_user)
    assert api_client.post(url, {"amount": "5000.00"}).status_code == 404  # whose?
    refused = api_client.post(url, {"amount": "99999.00", "consultant": funded.pk})
    assert refused.status_code == 400 and "9400.00" in refused.json()["message"]
    made = api_client.post(url, {"amount": "5000.00", "consultant": funded.pk})
    assert made.status_code == 201
    api_client.force_authenticate(finance_user)
    assert api_client.get(url).json()["count"] == 1
    assert api_client.post(url, {"amount": "10", "consultant": funded.pk}).status_code == 403


def test_a_month_without_published_parameters_has_no_preview_and_no_request(company):
    """Early January, before the new year's rates file exists: the page explains instead of
    failing, and no request can be recorded (2099 stands for any such year)."""
    from apps.payroll.services import payout_preview

    contract = make_contract()
    fund(contract.consultant, "9400.00")
    january = date(2099, 1, 1)
    preview = payout_preview(consultant=contract.consultant, period=january, requested=None)
    assert preview.built is None
    assert preview.error == (
        "The payroll parameters of 01/2099 are not published yet: the preview and the"
        " request open once they are."
    )
    with pytest.raises(PayoutRequestError, match="not published yet"):
        payout_request_set(
            consultant=contract.consultant, period=january, amount=D("5000.00"), by=None
        )
    assert not PayoutRequest.objects.filter(consultant=contract.consultant).exists()


def test_portal_page_for_a_month_without_published_parameters(portal):
    """The page explains (no server error) when the month to pay has no rates file yet."""
    from unittest import mock

    from apps.payroll import portal_payout

    client, _consultant = portal
    with mock.patch.object(portal_payout, "payout_period", return_value=date(2099, 1, 1)):
        page = client.get(reverse("portal:payout"), HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        assert "The payroll parameters of 01/2099 are not published yet" in page.content.decode()
        saved = client.post(reverse("portal:payout"), {"action": "save", "amount": "5000.00"})
    assert saved.status_code == 200  # the form again, with the reason next to the amount
    assert "not published yet" in saved.content.decode()
    assert not PayoutRequest.objects.exists()
