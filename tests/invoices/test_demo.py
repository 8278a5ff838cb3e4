"""The demo seed of invoices: every VAT case issued plus a credit note; twice adds nothing."""

import pytest

from apps.accounts.roles import Role
from apps.activity.demo_reports import seed_activity_reports
from apps.activity.models import ActivityReportStatus
from apps.clients.demo import seed_clients
from apps.commercial_contracts.demo import DEMO_STAFF_EMAIL, seed_commercial_contracts
from apps.consultants.demo import seed_consultants
from apps.invoices.demo import seed_invoices
from apps.invoices.models import DocumentKind, Invoice, InvoiceStatus, VatRegime

pytestmark = pytest.mark.django_db


def test_seed_invoices_covers_every_vat_case_and_is_idempotent(make_user):
    make_user(Role.STAFF, email=DEMO_STAFF_EMAIL)
    seed_consultants(count=20)
    seed_clients(count=10)
    seed_commercial_contracts()
    reports = seed_activity_reports()
    validated = [r for r in reports if r.status == ActivityReportStatus.VALIDATED]
    created = seed_invoices()
    assert created["from_reports"] and len(created["foreign"]) == 2
    assert len(created["credit_notes"]) == 1
    invoices = Invoice.objects.filter(kind=DocumentKind.INVOICE)
    assert {invoice.vat_regime for invoice in invoices} == set(VatRegime.values)
    assert all(invoice.number for invoice in Invoice.objects.all())
    note = Invoice.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert note.number.startswith("AV-") and note.status == InvoiceStatus.ISSUED
    for report in validated:
        report.refresh_from_db()
        assert report.status == ActivityReportStatus.INVOICED
    count = Invoice.objects.count()
    again = seed_invoices()
    assert again == {"from_reports": [], "foreign": [], "credit_notes": []}
    assert Invoice.objects.count() == count
