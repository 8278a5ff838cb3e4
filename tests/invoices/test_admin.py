"""Back-office screens of invoices: drafts edited through the services, issued documents
read-only (no save, no delete, lines shown only), the issue and credit-note actions, and
the page that turns validated reports into drafts."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from apps.activity.models import ActivityReportStatus
from apps.invoices.models import DocumentKind, Invoice, InvoiceStatus

from .factories import draft_invoice, invoice_client, issued_invoice, validated_report

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/invoices/invoice/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def page(invoice, action: str = "") -> str:
    return f"{CHANGELIST}{invoice.pk}/" + (f"{action}/" if action else "change/")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _inline(prefix="lines", total=0, initial=0, rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_changelist_filters_and_search(staff_client):
    issued = issued_invoice()
    draft_invoice()
    response = staff_client.get(CHANGELIST, {"q": issued.number})
    assert response.status_code == 200
    assert issued.number in response.content.decode()
    for params in ({"status__exact": "draft"}, {"overdue": "yes"}, {"kind__exact": "invoice"}):
        assert staff_client.get(CHANGELIST, params).status_code == 200


def test_issued_invoice_is_read_only(staff_client):
    invoice = issued_invoice()
    response = staff_client.get(page(invoice))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content and 'name="notes"' not in content
    response = staff_client.post(page(invoice), {"notes": "changed"})
    assert response.status_code == 403
    assert staff_client.post(page(invoice, "delete"), {"post": "yes"}).status_code == 403
    invoice.refresh_from_db()
    assert invoice.notes == "" and invoice.status == InvoiceStatus.ISSUED


def test_issued_invoice_shows_the_frozen_parties_as_addresses_not_json(staff_client):
    invoice = issued_invoice()
    content = staff_client.get(page(invoice)).content.decode()
    seller = invoice.seller_snapshot
    # The seller's identity as an address block, the VAT breakdown as a sentence per rate.
    assert f"SIREN {seller['siren']} · SIRET {seller['siret']}" in content
    assert f"{seller['postal_code']} {seller['city']}" in content
    assert "20.00 % — base" in content
    # Totals as amounts: 2 decimals, thousands grouped, euro sign (hand-checked formatting).
    total = invoice.total_incl_tax
    assert f"{total:,.2f} €" in content
    assert '"legal_name":' not in content and '"siren":' not in content


def test_manual_draft_lines_through_the_inline_then_issue(staff_client, staff_user):
    from tests.consultants.factories import ConsultantFactory

    client, consultant = invoice_client(), ConsultantFactory()
    response = staff_client.post(
        f"{CHANGELIST}add/",
        {
            "client": client.pk,
            "consultant": consultant.pk,
            "language": "fr",
            "purchase_order_reference": "PO-9",
            **_inline(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    invoice = Invoice.objects.get(purchase_order_reference="PO-9")
    assert invoice.created_by == staff_user and invoice.vat_regime == "domestic"
    response = staff_client.post(
        page(invoice),
        {
            "purchase_order_reference": "PO-9",
            "language": "fr",
            "notes": "",
            **_inline(
                total=1,
                rows=[
                    {
                        "description": "Conseil",
                        "quantity": "2",
                        "unit": "day",
                        "unit_price_excl_tax": "500.00",
                        "vat_rate": "20.00",
                    }
                ],
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    invoice.refresh_from_db()
    assert invoice.total_incl_tax == Decimal("1200.00")  # 2 × 500 + 20 %
    response = staff_client.post(page(invoice, "issue"), {"issue_date": "2026-03-16"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.number == "F-2026-000001" and invoice.issued_by == staff_user


def test_issue_page_shows_the_refusal(staff_client):
    invoice = draft_invoice(lines=[])
    response = staff_client.post(page(invoice, "issue"), {})
    assert response.status_code == 200
    assert "The invoice has no line: add at least one line." in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT


def test_credit_note_page(staff_client):
    invoice = issued_invoice(lines=[("Conseil", "10", "600.00"), ("Formation", "1", "450.00")])
    conseil, formation = invoice.lines.order_by("position")
    response = staff_client.get(page(invoice, "credit-note"))
    assert response.status_code == 200
    response = staff_client.post(
        page(invoice, "credit-note"),
        {"reason": "Deux jours non faits", f"line_{conseil.pk}": "2", f"line_{formation.pk}": ""},
    )
    assert response.status_code == 302
    note = Invoice.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert response["Location"] == page(note)
    assert note.total_incl_tax == Decimal("1440.00")  # 2 × 600 + 20 %
    # Beyond what is left: the page says why.
    response = staff_client.post(
        page(invoice, "credit-note"), {"reason": "Trop", f"line_{conseil.pk}": "9"}
    )
    assert response.status_code == 200
    assert "exceeds what is left to credit on it" in response.content.decode()


def test_credit_note_action_not_offered_on_a_draft(staff_client):
    assert staff_client.get(page(draft_invoice(), "credit-note")).status_code in {302, 403}


def test_create_invoices_from_validated_reports_page(staff_client, staff_user):
    report = validated_report(by=staff_user)
    response = staff_client.get(f"{CHANGELIST}from-reports/")
    assert response.status_code == 200
    assert str(report.consultant) in response.content.decode()
    response = staff_client.post(f"{CHANGELIST}from-reports/", {"reports": [report.pk]})
    assert response.status_code == 302
    draft = Invoice.objects.get()
    assert response["Location"] == page(draft)
    response = staff_client.post(page(draft, "issue"), {"issue_date": "2026-06-01"})
    report.refresh_from_db()
    assert report.status == ActivityReportStatus.INVOICED
    # Invoiced reports are no longer offered.
    assert (
        str(report.consultant)
        not in staff_client.get(f"{CHANGELIST}from-reports/").content.decode()
    )


def test_draft_can_be_deleted_but_not_an_issued_one(staff_client):
    draft = draft_invoice()
    response = staff_client.post(page(draft, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    issued = issued_invoice()
    staff_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [issued.pk], "post": "yes"}
    )
    assert Invoice.objects.filter(pk=issued.pk).exists()
    assert _messages is not None


def test_consultant_has_no_admin(client, consultant_user):
    client.force_login(consultant_user)
    assert client.get(CHANGELIST).status_code == 302


def test_a_refused_line_shows_its_message(staff_client):
    invoice = draft_invoice(client=invoice_client("de"), lines=[])
    response = staff_client.post(
        page(invoice),
        {
            "purchase_order_reference": "",
            "language": "en",
            "notes": "",
            **_inline(
                total=1,
                rows=[
                    {
                        "description": "Conseil",
                        "quantity": "1",
                        "unit": "day",
                        "unit_price_excl_tax": "500.00",
                        "vat_rate": "20.00",
                    }
                ],
            ),
        },
    )
    assert response.status_code == 200
    assert "the VAT rate must be 0" in response.content.decode()
    assert invoice.lines.count() == 0
