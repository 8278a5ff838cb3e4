"""The Factur-X (EN 16931 profile) CII XML of an issued invoice or credit note, and the
PDF/A-3 that embeds it.

The XML is built from the frozen document only: number, dates, lines, totals, VAT breakdown
and the seller / client / contract snapshots written at issue. Nothing is read from the
live client or company rows, so the XML of an invoice is the same in ten years.

Syntax: UN/CEFACT CrossIndustryInvoice D16B, guideline `urn:cen.eu:en16931:2017`
(Factur-X 1.0 EN 16931 profile). Business-term numbers (BT-xx) refer to EN 16931-1.
French reform data (invoicing.md §5) where the standard has a place for it:
- client SIREN: BT-47 buyer legal registration identifier, scheme 0002 (SIREN);
- nature of the operations (services): BT-23 business process "S1" (the French "cadre de
  de facturation" code for a service invoice) and a BT-22 note;
- "Option pour le paiement de la taxe d'après les débits": BT-8 VAT point date code 5
  (invoice date) instead of 72 (payment date), and a BT-22 note.
"""

from datetime import date
from decimal import Decimal

from lxml import etree

from apps.core.money import quantize_eur

from ..models import DocumentKind, Invoice, LineUnit

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
GUIDELINE_EN16931 = "urn:cen.eu:en16931:2017"
# French e-invoicing "cadre de facturation": S1 = invoice for services (nature of operations).
BUSINESS_PROCESS_SERVICES = "S1"
TYPE_CODE = {DocumentKind.INVOICE: "380", DocumentKind.CREDIT_NOTE: "381"}
# UN/ECE Recommendation 20 unit codes.
UNIT_CODE = {
    LineUnit.DAY: "DAY",
    LineUnit.HOUR: "HUR",
    LineUnit.UNIT: "C62",
    LineUnit.LUMP_SUM: "C62",
}
# VATEX codes of the exemption reasons (BT-121) for the categories without VAT.
EXEMPTION_CODE = {"AE": "VATEX-EU-AE", "G": "VATEX-EU-G"}
# SEPA credit transfer (UNCL 4461).
PAYMENT_MEANS_SEPA_TRANSFER = "58"
# BT-8 (UNCL 2005): 5 = invoice date (VAT on debits), 72 = paid to date (VAT on collection).
VAT_POINT_INVOICE_DATE = "5"
VAT_POINT_PAYMENT_DATE = "72"
SIREN_SCHEME = "0002"

NATURE_NOTE = "Nature des opérations : prestations de services."
DEBITS_NOTE = "Option pour le paiement de la taxe d'après les débits."
NO_DISCOUNT_NOTE = "Pas d'escompte pour paiement anticipé."


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def _sub(parent, tag: str, text: object = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = str(text)
    return element


def _amount(value) -> str:
    return f"{quantize_eur(Decimal(str(value))):.2f}"


def _date(parent, tag: str, value: date, *, qualified: bool = False) -> None:
    wrapper = _sub(parent, tag)
    _sub(
        wrapper,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        value.strftime("%Y%m%d"),
        format="102",
    )


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _note(parent, content: str, subject: str | None = None) -> None:
    note = _sub(parent, "ram:IncludedNote")
    _sub(note, "ram:Content", content)
    if subject:
        _sub(note, "ram:SubjectCode", subject)


def _address(party, *, line1, line2, postal_code, city, country) -> None:
    address = _sub(party, "ram:PostalTradeAddress")
    if postal_code:
        _sub(address, "ram:PostcodeCode", postal_code)
    if line1:
        _sub(address, "ram:LineOne", line1)
    if line2:
        _sub(address, "ram:LineTwo", line2)
    if city:
        _sub(address, "ram:CityName", city)
    _sub(address, "ram:CountryID", (country or "FR").upper())


def _seller(agreement, seller: dict) -> None:
    party = _sub(agreement, "ram:SellerTradeParty")
    _sub(party, "ram:Name", seller.get("legal_name", ""))
    # BT-33 seller additional legal information: legal form, capital, RCS (IV-03).
    description = " ".join(
        part
        for part in (
            seller.get("legal_form", ""),
            f"au capital de {seller['share_capital']} €" if seller.get("share_capital") else "",
            f"RCS {seller['rcs_city']}" if seller.get("rcs_city") else "",
        )
        if part
    )
    if description:
        _sub(party, "ram:Description", description)
    if seller.get("siren"):
        legal = _sub(party, "ram:SpecifiedLegalOrganization")
        _sub(legal, "ram:ID", seller["siren"], schemeID=SIREN_SCHEME)
    _address(
        party,
        line1=seller.get("address_line1"),
        line2=seller.get("address_line2"),
        postal_code=seller.get("postal_code"),
        city=seller.get("city"),
        country=seller.get("country") or "FR",
    )
    if seller.get("email"):
        uri = _sub(party, "ram:URIUniversalCommunication")
        _sub(uri, "ram:URIID", seller["email"], schemeID="EM")
    if seller.get("vat_number"):
        tax = _sub(party, "ram:SpecifiedTaxRegistration")
        _sub(tax, "ram:ID", seller["vat_number"], schemeID="VA")


def _buyer(agreement, client: dict) -> None:
    party = _sub(agreement, "ram:BuyerTradeParty")
    _sub(party, "ram:Name", client.get("legal_name", ""))
    if client.get("siren"):
        legal = _sub(party, "ram:SpecifiedLegalOrganization")
        _sub(legal, "ram:ID", client["siren"], schemeID=SIREN_SCHEME)
    elif client.get("registration_id"):
        legal = _sub(party, "ram:SpecifiedLegalOrganization")
        _sub(legal, "ram:ID", client["registration_id"])
    if client.get("billing_contact_name") or client.get("billing_contact_email"):
        contact = _sub(party, "ram:DefinedTradeContact")
        if client.get("billing_contact_name"):
            _sub(contact, "ram:PersonName", client["billing_contact_name"])
        if client.get("billing_contact_email"):
            email = _sub(contact, "ram:EmailURIUniversalCommunication")
            _sub(email, "ram:URIID", client["billing_contact_email"])
    _address(
        party,
        line1=client.get("billing_address_line1"),
        line2=client.get("billing_address_line2"),
        postal_code=client.get("billing_postal_code"),
        city=client.get("billing_city"),
        country=client.get("billing_country") or client.get("country") or "FR",
    )
    if client.get("vat_number"):
        tax = _sub(party, "ram:SpecifiedTaxRegistration")
        _sub(tax, "ram:ID", client["vat_number"], schemeID="VA")


def _line(transaction, line, position: int, category: str) -> None:
    item = _sub(transaction, "ram:IncludedSupplyChainTradeLineItem")
    document = _sub(item, "ram:AssociatedDocumentLineDocument")
    _sub(document, "ram:LineID", position)
    product = _sub(item, "ram:SpecifiedTradeProduct")
    _sub(product, "ram:Name", line.description)
    agreement = _sub(item, "ram:SpecifiedLineTradeAgreement")
    price = _sub(agreement, "ram:NetPriceProductTradePrice")
    _sub(price, "ram:ChargeAmount", _amount(line.unit_price_excl_tax))
    delivery = _sub(item, "ram:SpecifiedLineTradeDelivery")
    _sub(
        delivery,
        "ram:BilledQuantity",
        f"{Decimal(line.quantity):.2f}",
        unitCode=UNIT_CODE.get(line.unit, "C62"),
    )
    settlement = _sub(item, "ram:SpecifiedLineTradeSettlement")
    tax = _sub(settlement, "ram:ApplicableTradeTax")
    _sub(tax, "ram:TypeCode", "VAT")
    _sub(tax, "ram:CategoryCode", category)
    _sub(tax, "ram:RateApplicablePercent", f"{Decimal(line.vat_rate):.2f}")
    if line.service_date_start and line.service_date_end:
        period = _sub(settlement, "ram:BillingSpecifiedPeriod")
        _date(period, "ram:StartDateTime", line.service_date_start)
        _date(period, "ram:EndDateTime", line.service_date_end)
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", _amount(line.total_excl_tax))


def _line_category(invoice: Invoice, vat_rate: Decimal) -> str:
    """The VAT category of a line: the breakdown entry with the same rate (one category per
    rate on our invoices: S at 20 %, AE or G at 0 %)."""
    for entry in invoice.vat_breakdown:
        if Decimal(str(entry["rate"])) == Decimal(vat_rate):
            return entry.get("category") or "S"
    return "S"


def _trade_tax(settlement, entry: dict, *, vat_on_debits: bool) -> None:
    category = entry.get("category") or "S"
    tax = _sub(settlement, "ram:ApplicableTradeTax")
    _sub(tax, "ram:CalculatedAmount", _amount(entry["vat"]))
    _sub(tax, "ram:TypeCode", "VAT")
    if category in EXEMPTION_CODE:
        _sub(tax, "ram:ExemptionReason", entry.get("exemption_reason") or "")
    _sub(tax, "ram:BasisAmount", _amount(entry["base"]))
    _sub(tax, "ram:CategoryCode", category)
    if category in EXEMPTION_CODE:
        _sub(
            tax,
            "ram:ExemptionReasonCode",
            entry.get("exemption_reason_code") or EXEMPTION_CODE[category],
        )
    if category == "S":
        _sub(
            tax,
            "ram:DueDateTypeCode",
            VAT_POINT_INVOICE_DATE if vat_on_debits else VAT_POINT_PAYMENT_DATE,
        )
    _sub(tax, "ram:RateApplicablePercent", f"{Decimal(str(entry['rate'])):.2f}")


def _payment_terms_text(invoice: Invoice) -> str:
    parts = []
    if invoice.payment_terms_label:
        parts.append(f"Conditions de paiement : {invoice.payment_terms_label}.")
    parts.append(NO_DISCOUNT_NOTE)
    if invoice.late_payment_rate is not None:
        parts.append(
            f"Pénalités de retard : {invoice.late_payment_rate} % par an, exigibles dès le "
            "lendemain de l'échéance."
        )
    parts.append(
        f"Indemnité forfaitaire pour frais de recouvrement : {invoice.recovery_indemnity} €."
    )
    return " ".join(parts)


def _header_notes(document, invoice: Invoice, seller: dict) -> None:
    _note(document, NATURE_NOTE, "AAI")
    if seller.get("vat_on_debits"):
        _note(document, DEBITS_NOTE, "TXD")
    if invoice.is_credit_note and invoice.credit_reason:
        _note(document, invoice.credit_reason, "ACB")
    if invoice.notes:
        _note(document, invoice.notes, "AAI")
    # Subject codes of the French guidelines (XP Z12-012): PMT recovery indemnity, PMD
    # late-payment penalties, AAB early-payment discount.
    _note(
        document,
        f"Indemnité forfaitaire pour frais de recouvrement : {invoice.recovery_indemnity} € "
        "(art. L441-10 et D441-5 du Code de commerce).",
        "PMT",
    )
    if invoice.late_payment_rate is not None:
        _note(
            document,
            f"Pénalités de retard au taux annuel de {invoice.late_payment_rate} %, exigibles "
            "dès le lendemain de la date d'échéance (art. L441-10 du Code de commerce).",
            "PMD",
        )
    _note(document, NO_DISCOUNT_NOTE, "AAB")


def _settlement(transaction, invoice: Invoice, seller: dict, lines_total: Decimal) -> None:
    settlement = _sub(transaction, "ram:ApplicableHeaderTradeSettlement")
    _sub(settlement, "ram:InvoiceCurrencyCode", invoice.currency or "EUR")
    if seller.get("iban"):
        means = _sub(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _sub(means, "ram:TypeCode", PAYMENT_MEANS_SEPA_TRANSFER)
        account = _sub(means, "ram:PayeePartyCreditorFinancialAccount")
        _sub(account, "ram:IBANID", seller["iban"].replace(" ", ""))
        if seller.get("bic"):
            institution = _sub(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            _sub(institution, "ram:BICID", seller["bic"])
    for entry in invoice.vat_breakdown:
        _trade_tax(settlement, entry, vat_on_debits=bool(seller.get("vat_on_debits")))
    if invoice.service_period_start and invoice.service_period_end:
        period = _sub(settlement, "ram:BillingSpecifiedPeriod")
        _date(period, "ram:StartDateTime", invoice.service_period_start)
        _date(period, "ram:EndDateTime", invoice.service_period_end)
    terms = _sub(settlement, "ram:SpecifiedTradePaymentTerms")
    _sub(terms, "ram:Description", _payment_terms_text(invoice))
    if invoice.due_date:
        _date(terms, "ram:DueDateDateTime", invoice.due_date)
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", _amount(lines_total))
    _sub(summation, "ram:TaxBasisTotalAmount", _amount(invoice.total_excl_tax))
    _sub(
        summation,
        "ram:TaxTotalAmount",
        _amount(invoice.total_vat),
        currencyID=invoice.currency or "EUR",
    )
    _sub(summation, "ram:GrandTotalAmount", _amount(invoice.total_incl_tax))
    # The document itself: nothing prepaid when it is issued (payments come later).
    _sub(summation, "ram:TotalPrepaidAmount", "0.00")
    _sub(summation, "ram:DuePayableAmount", _amount(invoice.total_incl_tax))
    if invoice.is_credit_note and invoice.credited_invoice_id:
        original = invoice.credited_invoice
        reference = _sub(settlement, "ram:InvoiceReferencedDocument")
        _sub(reference, "ram:IssuerAssignedID", original.number)
        if original.issue_date:
            _date(reference, "ram:FormattedIssueDateTime", original.issue_date, qualified=True)


def invoice_facturx_tree(invoice: Invoice) -> etree._Element:
    """The CII XML tree of an issued invoice or credit note."""
    seller = invoice.seller_snapshot or {}
    client = invoice.client_snapshot or {}
    contract = invoice.contract_snapshot or {}
    lines = list(invoice.lines.order_by("position", "pk"))

    root = etree.Element(_q("rsm:CrossIndustryInvoice"), nsmap=NS)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    process = _sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter")
    _sub(process, "ram:ID", BUSINESS_PROCESS_SERVICES)
    guideline = _sub(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _sub(guideline, "ram:ID", GUIDELINE_EN16931)

    document = _sub(root, "rsm:ExchangedDocument")
    _sub(document, "ram:ID", invoice.number)
    _sub(document, "ram:TypeCode", TYPE_CODE[invoice.kind])
    _date(document, "ram:IssueDateTime", invoice.issue_date)
    _header_notes(document, invoice, seller)

    transaction = _sub(root, "rsm:SupplyChainTradeTransaction")
    for position, line in enumerate(lines, start=1):
        _line(transaction, line, position, _line_category(invoice, line.vat_rate))

    agreement = _sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    _seller(agreement, seller)
    _buyer(agreement, client)
    purchase_order = invoice.purchase_order_reference or contract.get(
        "purchase_order_reference", ""
    )
    if purchase_order:
        order = _sub(agreement, "ram:BuyerOrderReferencedDocument")
        _sub(order, "ram:IssuerAssignedID", purchase_order)
    if contract.get("reference"):
        contract_ref = _sub(agreement, "ram:ContractReferencedDocument")
        _sub(contract_ref, "ram:IssuerAssignedID", contract["reference"])

    delivery = _sub(transaction, "ram:ApplicableHeaderTradeDelivery")
    if client.get("delivery_address"):
        ship_to = _sub(delivery, "ram:ShipToTradeParty")
        _sub(ship_to, "ram:Name", client.get("legal_name", ""))
        address = _sub(ship_to, "ram:PostalTradeAddress")
        _sub(address, "ram:LineOne", client["delivery_address"])
        _sub(address, "ram:CountryID", (client.get("billing_country") or "FR").upper())
    # BT-72 actual delivery date: the end of the service period (also keeps the mandatory
    # delivery element non-empty, PEPPOL-EN16931-R008).
    delivered_on = invoice.service_period_end or invoice.issue_date
    event = _sub(delivery, "ram:ActualDeliverySupplyChainEvent")
    _date(event, "ram:OccurrenceDateTime", delivered_on)

    lines_total = sum((Decimal(line.total_excl_tax) for line in lines), Decimal("0.00"))
    _settlement(transaction, invoice, seller, lines_total)
    return root


def invoice_facturx_xml(invoice: Invoice) -> bytes:
    """The Factur-X XML (UTF-8 bytes) of an issued invoice or credit note."""
    return etree.tostring(
        invoice_facturx_tree(invoice), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
