"""Activity report services: creation, days, submission (amount and e-mail), validation,
rejection, invoicing, the approval recorded by staff."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.activity.models import (
    ActivityDay,
    ActivityReport,
    ActivityReportStatus,
    ApprovalChannel,
    ApprovalToken,
    ApprovalTokenUse,
    RejectedByKind,
)
from apps.activity.services.reports import (
    activity_report_create,
    activity_report_mark_invoiced,
    activity_report_record_approval,
    activity_report_reject,
    activity_report_set_days,
    activity_report_submit,
    activity_report_validate,
    activity_reports_validate_bulk,
)
from apps.commercial_contracts.models import ContractStatus
from apps.core.errors import DomainError, InvalidTransition
from tests.activity.factories import (
    MAY_2026,
    amendment,
    full_days,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    report_contract,
    report_create,
    submitted_report,
    token_from_email,
)

pytestmark = pytest.mark.django_db

Status = ActivityReportStatus


def may(day: int) -> date:
    return date(2026, 5, day)


# --- create -----------------------------------------------------------------------------------
def test_create_normalises_the_month_and_copies_the_consultant(staff_user):
    contract = report_contract()
    report = activity_report_create(
        commercial_contract=contract, month=may(17), created_by=staff_user
    )
    assert report.month == MAY_2026
    assert report.consultant_id == contract.consultant_id
    assert report.status == Status.DRAFT
    assert report.history.count() == 1


def test_second_report_for_the_same_month_is_refused():
    contract = report_contract()
    report_create(contract)
    with pytest.raises(DomainError) as error:
        report_create(contract, month=may(20))
    assert error.value.code == "duplicate_report"
    assert "already exists" in str(error.value)
    assert ActivityReport.objects.count() == 1


@pytest.mark.parametrize("status", [ContractStatus.DRAFT, ContractStatus.SENT_FOR_SIGNATURE])
def test_unsigned_contract_is_refused(status):
    contract = report_contract(status=status)
    with pytest.raises(DomainError) as error:
        report_create(contract)
    assert error.value.code == "contract_not_signed"
    assert not ActivityReport.objects.exists()


def test_ended_contract_can_still_report_its_last_month():
    contract = report_contract(
        start=date(2026, 1, 5), end=may(15), status=ContractStatus.ENDED, ended_on=may(15)
    )
    assert report_create(contract).month == MAY_2026


def test_month_outside_the_contract_is_refused():
    contract = report_contract(start=date(2026, 6, 1), end=date(2026, 9, 30))
    with pytest.raises(ValidationError) as error:
        report_create(contract)
    assert "outside the period of contract" in error.value.message_dict["month"][0]


def test_month_not_started_yet_is_refused():
    contract = report_contract(start=date(2026, 1, 1), end=date(2099, 12, 31))
    with pytest.raises(ValidationError) as error:
        report_create(contract, month=date(2099, 1, 1))
    assert "has not started yet" in error.value.message_dict["month"][0]


# --- days -------------------------------------------------------------------------------------
def test_set_days_replaces_the_days_and_updates_the_total():
    report = report_create()
    activity_report_set_days(report=report, days=full_days(may(4), may(5)), by=None)
    activity_report_set_days(report=report, days={may(6): "0.5", may(7): "1"}, by=None)
    report.refresh_from_db()
    assert dict(report.days.values_list("day", "fraction")) == {
        may(6): Decimal("0.5"),
        may(7): Decimal("1.0"),
    }
    assert report.days_total == Decimal("1.5")


def test_refused_day_writes_nothing():
    report = report_create()
    activity_report_set_days(report=report, days=full_days(may(4)), by=None)
    with pytest.raises(ValidationError):
        activity_report_set_days(report=report, days={may(5): "1", may(14): "0.5"}, by=None)
    report.refresh_from_db()
    assert list(report.days.values_list("day", flat=True)) == [may(4)]
    assert report.days_total == Decimal("1.0")


def test_days_outside_a_contract_starting_mid_month_are_refused():
    report = report_create(start=may(18), end=date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        activity_report_set_days(report=report, days=full_days(may(15), may(18)), by=None)
    assert "May 15, 2026 is outside the contract period" in error.value.message_dict["days"][0]
    assert not ActivityDay.objects.exists()


def test_days_of_a_submitted_report_cannot_change():
    report, _token = submitted_report()
    with pytest.raises(DomainError) as error:
        activity_report_set_days(report=report, days=full_days(may(7)), by=None)
    assert error.value.code == "report_not_editable"
    assert report.days.count() == 3


# --- submit -----------------------------------------------------------------------------------
def test_submit_freezes_the_amount_and_emails_the_operational_contact_once_on_commit(
    django_capture_on_commit_callbacks, mailoutbox, consultant_user
):
    report = report_create(consultant=consultant_user.consultant)
    activity_report_set_days(report=report, days={may(4): "1", may(5): "1", may(6): "0.5"}, by=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = activity_report_submit(report=report, by=consultant_user)
        assert mailoutbox == []  # nothing before commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ops@client.example"]
    assert "http://127.0.0.1:8000/activity/approval/" in message.body
    token = token_from_email(message)
    stored = ApprovalToken.objects.get(report=report)
    assert stored.token_hash != token and len(stored.token_hash) == 64
    assert token not in stored.token_hash
    assert report.status == Status.SUBMITTED
    assert report.days_total == Decimal("2.5")
    assert report.daily_rate == Decimal("600.00")
    assert report.amount == Decimal("1500.00")
    assert report.submitted_by == consultant_user


def test_submit_falls_back_to_the_billing_contact(django_capture_on_commit_callbacks, mailoutbox):
    contract = report_contract(operational_email=None, billing_email="billing@client.example")
    report = report_create(contract)
    activity_report_set_days(report=report, days=full_days(may(4)), by=None)
    with django_capture_on_commit_callbacks(execute=True):
        activity_report_submit(report=report, by=None)
    assert mailoutbox[0].to == ["billing@client.example"]


def test_submit_without_client_contact_is_refused_and_nothing_changes(mailoutbox):
    report = report_create(operational_email=None)
    activity_report_set_days(report=report, days=full_days(may(4)), by=None)
    with pytest.raises(DomainError) as error:
        activity_report_submit(report=report, by=None)
    assert error.value.code == "no_client_contact"
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert not ApprovalToken.objects.exists()
    assert mailoutbox == []


def test_submit_without_any_day_is_refused():
    report = report_create()
    with pytest.raises(DomainError) as error:
        activity_report_submit(report=report, by=None)
    assert error.value.code == "report_empty"


def test_submit_twice_is_refused_with_the_statuses():
    report, _token = submitted_report()
    with pytest.raises(InvalidTransition) as error:
        activity_report_submit(report=report, by=None)
    assert "cannot go from status “Submitted, awaiting client approval” to" in str(error.value)


def test_submit_rechecks_days_against_a_contract_terminated_since():
    contract = report_contract()
    report = report_create(contract)
    activity_report_set_days(report=report, days=full_days(may(4), may(20)), by=None)
    contract.status = ContractStatus.TERMINATED
    contract.terminated_on = may(15)
    contract.save()
    with pytest.raises(ValidationError) as error:
        activity_report_submit(report=report, by=None)
    assert "May 20, 2026 is outside the contract period" in error.value.message_dict["days"][0]


def test_rate_changed_by_amendment_mid_month_prices_each_day_at_its_rate():
    contract = report_contract(daily_rate=Decimal("600.00"))
    amendment(contract, effective_from=may(18), daily_rate=Decimal("650.00"))
    # 11, 12, 13 May at 600 (Ascension 14 excluded), 15 half day at 600 -> 3.5 days = 2100.00
    # 18, 19 May at 650 -> 2 days = 1300.00; total 5.5 days, 3400.00
    days = {may(11): "1", may(12): "1", may(13): "1", may(15): "0.5", may(18): "1", may(19): "1"}
    report, _token = submitted_report(contract, days=days)
    assert report.days_total == Decimal("5.5")
    assert report.amount == Decimal("3400.00")
    assert report.daily_rate is None  # several rates: see the breakdown
    assert [
        (line["daily_rate"], line["days"], line["amount"]) for line in report.amount_breakdown
    ] == [
        ("600.00", "3.5", "2100.00"),
        ("650.00", "2.0", "1300.00"),
    ]


def test_each_rate_line_is_rounded_to_the_cent_half_up():
    contract = report_contract(daily_rate=Decimal("600.01"))
    report, _token = submitted_report(contract, days={may(4): "0.5"})
    # 0.5 x 600.01 = 300.005 -> 300.01 (half-up)
    assert report.amount == Decimal("300.01")


def test_fixed_price_days_add_nothing_to_the_amount():
    contract = report_contract(daily_rate=Decimal("600.00"))
    amendment(contract, effective_from=may(18), fixed_price=Decimal("9000.00"))
    report, _token = submitted_report(contract, days=full_days(may(15), may(18)))
    assert report.days_total == Decimal("2.0")
    assert report.amount == Decimal("600.00")
    assert report.daily_rate is None


def test_new_submission_invalidates_older_unused_links(staff_user):
    report, _first = submitted_report()
    activity_report_reject(report=report, by=staff_user, reason="Missing the 7th.")
    activity_report_set_days(report=report, days=full_days(may(4), may(7)), by=None)
    activity_report_submit(report=report, by=None)
    tokens = list(ApprovalToken.objects.filter(report=report).order_by("pk"))
    assert [t.used_action for t in tokens] == [ApprovalTokenUse.INVALIDATED, ""]


# --- validation, rejection, invoicing ---------------------------------------------------------
def _approved(**kwargs):
    report, _token = submitted_report(**kwargs)
    return activity_report_record_approval(
        report=report,
        by=None,
        proof_file=SimpleUploadedFile("ok.pdf", pdf_bytes()),
        approver_name="Paul Opérations",
    )


def test_validate_needs_the_client_approval(staff_user):
    report, _token = submitted_report()
    with pytest.raises(InvalidTransition) as error:
        activity_report_validate(report=report, by=staff_user)
    assert "only a report approved by the client can be validated" in str(error.value)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_validate_an_approved_report(staff_user):
    report = activity_report_validate(report=_approved(), by=staff_user)
    assert report.status == Status.VALIDATED
    assert report.validated_by == staff_user and report.validated_at is not None


def test_bulk_validation_validates_some_and_refuses_others_with_reasons(staff_user):
    consultant_contracts = [report_contract() for _ in range(3)]
    approved_1 = _approved(contract=consultant_contracts[0])
    approved_2 = _approved(contract=consultant_contracts[1])
    pending, _token = submitted_report(consultant_contracts[2])
    result = activity_reports_validate_bulk(
        reports=[approved_1, pending, approved_2], by=staff_user
    )
    assert [r.pk for r in result.validated] == [approved_1.pk, approved_2.pk]
    assert [(r.pk, "only a report approved by the client" in msg) for r, msg in result.refused] == [
        (pending.pk, True)
    ]
    statuses = dict(ActivityReport.objects.values_list("pk", "status"))
    assert statuses == {
        approved_1.pk: Status.VALIDATED,
        approved_2.pk: Status.VALIDATED,
        pending.pk: Status.SUBMITTED,
    }


@pytest.mark.parametrize("step", ["submitted", "client_approved", "validated"])
def test_staff_rejection_at_any_step_goes_back_to_draft(
    step, staff_user, django_capture_on_commit_callbacks, mailoutbox, consultant_user
):
    contract = report_contract(consultant=consultant_user.consultant)
    if step == "submitted":
        report, _token = submitted_report(contract)
    else:
        report = _approved(contract=contract)
        if step == "validated":
            report = activity_report_validate(report=report, by=staff_user)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = activity_report_reject(report=report, by=staff_user, reason="Wrong client.")
    assert report.status == Status.DRAFT
    assert report.rejected_by_kind == RejectedByKind.STAFF
    assert report.rejection_reason == "Wrong client."
    assert report.rejected_by == staff_user
    assert report.client_approved_at is None and report.validated_at is None
    assert report.amount is None
    assert not ApprovalToken.objects.filter(report=report, used_at__isnull=True).exists()
    assert [m.to for m in mailoutbox] == [[consultant_user.email]]
    assert "Wrong client." in mailoutbox[0].body


def test_rejection_needs_a_reason(staff_user):
    report, _token = submitted_report()
    with pytest.raises(ValidationError) as error:
        activity_report_reject(report=report, by=staff_user, reason="  ")
    assert "reason" in error.value.message_dict
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_draft_cannot_be_rejected(staff_user):
    report = report_create()
    with pytest.raises(InvalidTransition) as error:
        activity_report_reject(report=report, by=staff_user, reason="No.")
    assert "only a submitted, approved or validated report can be rejected" in str(error.value)


def test_invoiced_report_is_locked(staff_user):
    report = activity_report_validate(report=_approved(), by=staff_user)
    report = activity_report_mark_invoiced(report=report, invoice_reference="F-2026-000001")
    assert report.status == Status.INVOICED and report.invoice_reference == "F-2026-000001"
    with pytest.raises(InvalidTransition):
        activity_report_reject(report=report, by=staff_user, reason="Too late.")
    with pytest.raises(InvalidTransition):
        activity_report_mark_invoiced(report=report, invoice_reference="F-2026-000002")
    report.refresh_from_db()
    assert report.invoice_reference == "F-2026-000001"


def test_only_a_validated_report_can_be_invoiced():
    report, _token = submitted_report()
    with pytest.raises(InvalidTransition) as error:
        activity_report_mark_invoiced(report=report, invoice_reference="F-2026-000001")
    assert "only a validated report can be invoiced" in str(error.value)


# --- approval recorded by staff ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "extension"), [(pdf_bytes, "pdf"), (png_bytes, "png"), (jpeg_bytes, "jpg")]
)
def test_staff_record_an_approval_with_a_real_proof(content, extension, staff_user):
    report, _token = submitted_report()
    report = activity_report_record_approval(
        report=report,
        by=staff_user,
        proof_file=SimpleUploadedFile("scan.bin", content()),
        approver_name="Paul Opérations",
        comment="Approved by e-mail on 2 June.",
    )
    assert report.status == Status.CLIENT_APPROVED
    assert report.client_approval_channel == ApprovalChannel.RECORDED_BY_STAFF
    assert report.approval_recorded_by == staff_user
    assert report.approval_proof.name.endswith(f".{extension}")
    assert ApprovalToken.objects.get(report=report).used_action == ApprovalTokenUse.INVALIDATED


def test_html_renamed_pdf_is_refused_as_proof(staff_user):
    report, _token = submitted_report()
    fake = SimpleUploadedFile(
        "approval.pdf", b"<!DOCTYPE html><html><body>ok</body></html>", "application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        activity_report_record_approval(
            report=report, by=staff_user, proof_file=fake, approver_name="Paul"
        )
    assert "PDF, PNG or JPEG" in error.value.message_dict["proof_file"][0]
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and not report.approval_proof


def test_proof_over_10_mb_is_refused(staff_user):
    report, _token = submitted_report()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        activity_report_record_approval(
            report=report, by=staff_user, proof_file=big, approver_name="Paul"
        )
    assert "maximum is 10 MB" in error.value.message_dict["proof_file"][0]


def test_recording_an_approval_twice_is_refused(staff_user):
    report = _approved()
    with pytest.raises(InvalidTransition) as error:
        activity_report_record_approval(
            report=report,
            by=staff_user,
            proof_file=SimpleUploadedFile("ok.pdf", pdf_bytes()),
            approver_name="Paul",
        )
    assert "“Approved by the client”: only a submitted report can be approved" in str(error.value)
