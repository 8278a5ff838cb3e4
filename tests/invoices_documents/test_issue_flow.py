"""Through CORE's services: issuing schedules the render after commit, the render stores
the Factur-X PDF and requests the first e-mail, which is sent once; for the three VAT
regimes the XML built from the real snapshots passes the EN 16931 rules."""

import facturx
import pytest
from django.core import mail

from apps.invoices.models import InvoiceStatus
from apps.invoices.services.en16931 import en16931_violations
from tests.invoices.factories import invoice_client, issued_credit_note, issued_invoice


@pytest.mark.parametrize("kind", ["fr", "de", "ch"])
def test_issue_renders_and_sends_once(kind, django_capture_on_commit_callbacks, settings):
    client = invoice_client(kind, document_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issued_invoice(client=client)
    invoice.refresh_from_db()
    assert invoice.pdf_file and len(invoice.pdf_sha256) == 64
    with invoice.pdf_file.open("rb") as handle:
        _, xml = facturx.get_xml_from_pdf(handle.read(), check_xsd=True)
    assert en16931_violations(xml) == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["compta@client.example"]
    assert invoice.status == InvoiceStatus.SENT

    with django_capture_on_commit_callbacks(execute=True):
        credit_note = issued_credit_note(invoice)
    credit_note.refresh_from_db()
    with credit_note.pdf_file.open("rb") as handle:
        _, xml = facturx.get_xml_from_pdf(handle.read())
    assert en16931_violations(xml) == []
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml
    assert len(mail.outbox) == 2  # the credit note, once


def test_no_automatic_sending_when_disabled(django_capture_on_commit_callbacks, settings):
    settings.INVOICE_SEND_ON_ISSUE = False
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issued_invoice()
    invoice.refresh_from_db()
    assert invoice.pdf_file
    assert mail.outbox == []
    assert invoice.status == InvoiceStatus.ISSUED
