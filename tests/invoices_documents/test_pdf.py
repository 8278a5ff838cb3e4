"""The PDF of an issued invoice: every mandatory mention, Factur-X PDF/A-3, rendered once."""

import io
import re
from decimal import Decimal

import facturx
import pytest
from pypdf import PdfReader

from apps.invoices.services.documents import invoice_document_render

from .factories import make_issued_credit_note, make_issued_invoice


def pdf_text(invoice) -> str:
    invoice.refresh_from_db()
    with invoice.pdf_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_pdf_contains_every_mandatory_mention(invoice):
    invoice_document_render(invoice=invoice)
    text = pdf_text(invoice)
    client = invoice.client_snapshot
    expected = [
        "INVOICE",
        invoice.number,  # IV-02
        "02/04/2026",  # IV-01 issue date
        "Portage Exemple SAS",  # IV-03 seller
        "SIREN 732829320",
        "SIRET 73282932000074",
        "RCS Paris",
        "SAS with a capital of 10,000.00 €",
        "1 rue de Rivoli",
        "FR44732829320",  # IV-04
        client["legal_name"],  # IV-05
        "10 rue de la Paix",
        f"SIREN {client['siren']}",  # reform: client SIREN
        client["vat_number"],  # IV-06
        "01/03/2026 – 31/03/2026",  # IV-07 service period
        "Conseil en architecture logicielle",  # IV-08
        "20",
        "550.00 €",
        # IV-10: 20 days × 550.00 = 11,000.00 HT; VAT 20 % = 2,200.00; TTC 13,200.00
        "11,000.00 €",
        "2,200.00 €",
        "13,200.00 €",
        "20 %",
        "due on 02/05/2026",  # IV-12
        "No discount for early payment.",  # IV-13
        "Late-payment penalties: 12.15 % per year",  # IV-14
        "Fixed indemnity for recovery costs: 40 €",  # IV-15
        "PO-4521",  # IV-16
        "Nature of operations: services",  # reform
        "FR7630006000011234567890189",  # bank details
        "AGRIFRPP",
    ]
    missing = [mention for mention in expected if mention not in text]
    assert not missing, (missing, text)


def test_reverse_charge_wording_and_vat_on_debits(consultant_user):
    invoice = make_issued_invoice(
        consultant=consultant_user.consultant,
        category="AE",
        language="en",
        seller_overrides={"vat_on_debits": True},
    )
    invoice_document_render(invoice=invoice)
    text = pdf_text(invoice)
    assert "Autoliquidation (art. 283-2 du CGI" in text  # IV-11
    assert "Option for payment of VAT on debits" in text
    # 0 % VAT: 11,000.00 HT = TTC.
    assert text.count("11,000.00 €") >= 3


def test_credit_note_title_and_reference(invoice):
    credit_note = make_issued_credit_note(invoice)
    invoice_document_render(invoice=credit_note)
    text = pdf_text(credit_note)
    assert "CREDIT NOTE" in text
    assert f"Credit note on invoice no. {invoice.number} of 02/04/2026" in text


def test_facturx_xml_embedded_xsd_valid_and_pdfa3_metadata(invoice):
    invoice_document_render(invoice=invoice)
    invoice.refresh_from_db()
    with invoice.pdf_file.open("rb") as handle:
        content = handle.read()
    filename, xml = facturx.get_xml_from_pdf(content, check_xsd=True)
    assert filename == "factur-x.xml"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert f"<ram:ID>{invoice.number}</ram:ID>".encode() in xml
    assert b"<ram:TypeCode>380</ram:TypeCode>" in xml
    metadata = PdfReader(io.BytesIO(content)).xmp_metadata
    xmp = metadata.stream.get_data().decode() if metadata else ""
    assert re.search(r"pdfaid:part(>|=\")3", xmp), xmp
    assert "EN 16931" in xmp
    assert "fx:ConformanceLevel" in xmp


def test_render_is_idempotent_and_never_rerendered(invoice, django_assert_max_num_queries):
    first = invoice_document_render(invoice=invoice)
    name, digest, rendered_at = first.pdf_file.name, first.pdf_sha256, first.pdf_rendered_at
    assert len(digest) == 64
    # Even if what it shows changed (it cannot, but suppose), the stored copy stays.
    type(invoice).objects.filter(pk=invoice.pk).update(total_excl_tax=Decimal("11000.00"))
    with django_assert_max_num_queries(3):
        again = invoice_document_render(invoice=invoice)
    assert (again.pdf_file.name, again.pdf_sha256, again.pdf_rendered_at) == (
        name,
        digest,
        rendered_at,
    )


def test_draft_is_refused(invoice):
    from apps.core.errors import DomainError
    from apps.invoices.models import Invoice

    draft = Invoice.objects.create(
        client=invoice.client, consultant=invoice.consultant, vat_breakdown=[]
    )
    with pytest.raises(DomainError, match="issue it before rendering"):
        invoice_document_render(invoice=draft)
