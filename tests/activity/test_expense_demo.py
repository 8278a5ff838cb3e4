"""The demo seed of expense claims: every status present, valid receipts, the reimbursed
claim posted once on the ledger, running it twice adds nothing."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from apps.accounts.roles import Role
from apps.activity.demo_expenses import demo_pdf, demo_png, seed_expense_claims
from apps.activity.models import ExpenseClaim, ExpenseClaimStatus, ExpenseLine
from apps.activity.services.uploads import receipt_check
from apps.clients.demo import seed_clients
from apps.commercial_contracts.demo import seed_commercial_contracts
from apps.consultants.demo import DEMO_PORTAL_EMAIL, seed_consultants
from apps.ledger.demo import seed_ledger
from apps.ledger.models import LedgerEntry, LedgerEntryKind

pytestmark = pytest.mark.django_db

Status = ExpenseClaimStatus


@pytest.fixture
def demo(make_user):
    make_user(Role.STAFF, email="staff@demo.portage.test")
    make_user(Role.FINANCE, email="finance@demo.portage.test")
    seed_consultants(count=20)
    seed_clients(count=10)
    seed_ledger()
    seed_commercial_contracts()


def test_demo_receipts_are_real_files():
    pdf, png = demo_pdf("Facture n° 12 (hôtel)"), demo_png()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Facture n° 12 (hôtel)" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert Image.open(io.BytesIO(png)).size == (24, 16)
    from django.core.files.base import ContentFile

    assert receipt_check(ContentFile(pdf, name="a.pdf")) == "application/pdf"
    assert receipt_check(ContentFile(png, name="a.png")) == "image/png"


def test_seed_covers_every_status_and_is_idempotent(demo):
    claims = seed_expense_claims()
    portal = [claim for claim in claims if claim.consultant.email == DEMO_PORTAL_EMAIL]
    assert {claim.status for claim in portal} == set(Status.values)
    assert sum(claim.status == Status.SUBMITTED for claim in claims) == 3  # + 2 colleagues

    reimbursed = next(claim for claim in portal if claim.status == Status.REIMBURSED)
    entry = LedgerEntry.objects.get(kind=LedgerEntryKind.EXPENSE_REIMBURSED)
    assert entry.source == reimbursed and entry.amount == -reimbursed.total_ttc
    rejected = next(claim for claim in portal if claim.status == Status.REJECTED)
    assert rejected.rejection_reason
    mileage = ExpenseLine.objects.get(category="mileage")
    assert mileage.amount_ttc > 0 and not mileage.receipt
    assert mileage.rebill_to_client  # the demo mission DEMO-CC-04 rebills expenses
    for line in ExpenseLine.objects.exclude(category="mileage"):
        assert line.receipt.storage.exists(line.receipt.name)

    counts = (
        ExpenseClaim.objects.count(),
        ExpenseLine.objects.count(),
        LedgerEntry.objects.count(),
        ExpenseClaim.history.count(),
    )
    again = seed_expense_claims()
    assert [claim.pk for claim in again] == [claim.pk for claim in claims]
    assert counts == (
        ExpenseClaim.objects.count(),
        ExpenseLine.objects.count(),
        LedgerEntry.objects.count(),
        ExpenseClaim.history.count(),
    )


def test_seed_without_consultants_does_nothing():
    assert seed_expense_claims() == []
    assert not ExpenseClaim.objects.exists()
