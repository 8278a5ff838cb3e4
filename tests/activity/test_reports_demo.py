"""The demo seed of activity reports: every step present, running it twice adds nothing."""

import pytest
from django.utils import timezone

from apps.accounts.roles import Role
from apps.activity.demo_reports import seed_activity_reports
from apps.activity.models import (
    ActivityReport,
    ActivityReportStatus,
    ApprovalChannel,
    ApprovalToken,
)
from apps.clients.demo import seed_clients
from apps.commercial_contracts.demo import DEMO_STAFF_EMAIL, seed_commercial_contracts
from apps.consultants.demo import DEMO_PORTAL_EMAIL, seed_consultants

pytestmark = pytest.mark.django_db

Status = ActivityReportStatus


@pytest.fixture
def demo_contracts(make_user):
    make_user(Role.STAFF, email=DEMO_STAFF_EMAIL)
    seed_consultants(count=20)
    seed_clients(count=10)
    return seed_commercial_contracts()


def test_seed_covers_every_step_and_is_idempotent(demo_contracts, mailoutbox):
    reports = seed_activity_reports()
    statuses = {report.status for report in reports}
    assert statuses == {Status.DRAFT, Status.SUBMITTED, Status.CLIENT_APPROVED, Status.VALIDATED}
    assert all(report.days_total > 0 for report in reports)
    # The submitted report has a link waiting for the client; the rejected one a reason.
    submitted = next(r for r in reports if r.status == Status.SUBMITTED)
    assert ApprovalToken.objects.filter(report=submitted, used_at__isnull=True).count() == 1
    rejected = next(r for r in reports if r.status == Status.DRAFT)
    assert rejected.rejection_reason and rejected.rejected_by_kind == "client"
    channels = {r.client_approval_channel for r in reports if r.status == Status.CLIENT_APPROVED}
    assert channels == {ApprovalChannel.LINK, ApprovalChannel.RECORDED_BY_STAFF}
    # The portal demo consultant has reports, and the current month is left to fill.
    mine = ActivityReport.objects.filter(consultant__email=DEMO_PORTAL_EMAIL)
    assert mine.exists()
    assert not mine.filter(month=timezone.localdate().replace(day=1)).exists()

    count, tokens = ActivityReport.objects.count(), ApprovalToken.objects.count()
    history = ActivityReport.history.count()
    again = seed_activity_reports()
    assert [r.pk for r in again] == [r.pk for r in reports]
    assert ActivityReport.objects.count() == count
    assert ApprovalToken.objects.count() == tokens
    assert ActivityReport.history.count() == history


def test_seed_without_contracts_does_nothing():
    assert seed_activity_reports() == []
    assert not ActivityReport.objects.exists()
