"""The CII XML: EN 16931 content, XSD-valid, and the official business rules (schematron)
pass for our three VAT cases and catch a broken document."""

from decimal import Decimal

import facturx
import pytest
from lxml import etree

from apps.invoices.services.en16931 import En16931Error, en16931_check, en16931_violations
from apps.invoices.services.facturx import NS, invoice_facturx_xml

from .factories import make_issued_credit_note, make_issued_invoice


def xpath(xml: bytes, path: str) -> list[str]:
    return [
        node if isinstance(node, str) else node.text
        for node in etree.fromstring(xml).xpath(path, namespaces=NS)
    ]


@pytest.mark.parametrize("category", ["S", "AE", "G"])
def test_xml_passes_xsd_and_en16931_rules(consultant_user, category):
    invoice = make_issued_invoice(consultant=consultant_user.consultant, category=category)
    xml = invoice_facturx_xml(invoice)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert en16931_violations(xml) == []
    credit_note = make_issued_credit_note(invoice)
    assert en16931_violations(invoice_facturx_xml(credit_note)) == []


def test_xml_content(invoice):
    xml = invoice_facturx_xml(invoice)
    seller = "//ram:SellerTradeParty"
    buyer = "//ram:BuyerTradeParty"
    assert xpath(xml, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()") == [
        "urn:cen.eu:en16931:2017"
    ]
    assert xpath(xml, "//rsm:ExchangedDocument/ram:ID/text()") == [invoice.number]  # BT-1
    assert xpath(xml, "//ram:IssueDateTime/udt:DateTimeString/text()") == ["20260402"]  # BT-2
    assert xpath(xml, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID") == ["0002"]
    assert xpath(xml, f"{buyer}/ram:SpecifiedLegalOrganization/ram:ID/text()") == [
        invoice.client.siren  # reform: client SIREN (BT-47, scheme 0002)
    ]
    assert xpath(xml, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID/text()") == [
        "PO-4521"  # BT-13
    ]
    assert xpath(xml, "//ram:BilledQuantity/@unitCode") == ["DAY"]
    assert xpath(xml, "//ram:IBANID/text()") == ["FR7630006000011234567890189"]  # BT-84
    assert xpath(xml, "//ram:DueDateDateTime/udt:DateTimeString/text()") == ["20260502"]
    # 20 × 550.00 = 11,000.00 HT; VAT 2,200.00; due 13,200.00 (BT-106, 109, 110, 112, 115).
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    assert xpath(xml, f"{summation}/*/text()") == [
        "11000.00",
        "11000.00",
        "2200.00",
        "13200.00",
        "0.00",
        "13200.00",
    ]
    assert "Nature des opérations : prestations de services." in xpath(
        xml, "//ram:IncludedNote/ram:Content/text()"
    )
    assert xpath(xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()") == [
        "S1"
    ]


def test_reverse_charge_exemption(consultant_user):
    invoice = make_issued_invoice(consultant=consultant_user.consultant, category="AE")
    xml = invoice_facturx_xml(invoice)
    tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    assert xpath(xml, f"{tax}/ram:CategoryCode/text()") == ["AE"]
    assert xpath(xml, f"{tax}/ram:ExemptionReasonCode/text()") == ["VATEX-EU-AE"]
    assert xpath(xml, f"{tax}/ram:CalculatedAmount/text()") == ["0.00"]


def test_credit_note_type_and_preceding_invoice(invoice):
    xml = invoice_facturx_xml(make_issued_credit_note(invoice))
    assert xpath(xml, "//rsm:ExchangedDocument/ram:TypeCode/text()") == ["381"]
    assert xpath(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()") == [
        invoice.number  # BT-25
    ]
    assert xpath(
        xml, "//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString/text()"
    ) == ["20260402"]  # BT-26


def test_rules_catch_a_vat_total_that_differs_from_the_breakdown(invoice):
    # VAT total declared 2,300.00 (and 13,300.00 incl. VAT) while the 20 % breakdown says
    # 2,200.00: BR-CO-14 (invoice total VAT = sum of the VAT category amounts).
    type(invoice).objects.filter(pk=invoice.pk).update(
        total_incl_tax=Decimal("13300.00"), total_vat=Decimal("2300.00")
    )
    invoice.refresh_from_db()
    rules = {violation.rule for violation in en16931_violations(invoice_facturx_xml(invoice))}
    assert "BR-CO-14" in rules


def test_rules_catch_a_grand_total_mismatch(invoice):
    xml = invoice_facturx_xml(invoice).replace(
        b"<ram:GrandTotalAmount>13200.00", b"<ram:GrandTotalAmount>13300.00"
    )
    rules = {violation.rule for violation in en16931_violations(xml)}
    assert "BR-CO-15" in rules


def test_rules_catch_missing_seller_vat_number(consultant_user):
    invoice = make_issued_invoice(
        consultant=consultant_user.consultant, seller_overrides={"vat_number": ""}
    )
    xml = invoice_facturx_xml(invoice)
    rules = {violation.rule for violation in en16931_violations(xml)}
    assert "BR-S-02" in rules
    with pytest.raises(En16931Error, match=r"\[BR-S-02\]"):
        en16931_check(xml)
