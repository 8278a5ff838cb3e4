"""CAMT.053 (ISO 20022 BankToCustomerStatement) bank statements, versions 001.02 to 001.13.

Each `Stmt/Ntry` with `CdtDbtInd` = CRDT and `Amt/@Ccy` = EUR becomes a line: the booking
date (`BookgDt/Dt`, or the date part of `BookgDt/DtTm`), the amount, the debtor's name
(`NtryDtls/TxDtls/RltdPties/Dbtr/Nm`, or `Dbtr/Pty/Nm` from version 08) and the remittance
information (`RmtInf/Ustrd`, joined, else `RmtInf/Strd/CdtrRefInf/Ref`, else `AddtlNtryInf`).
The parser never resolves entities nor reaches the network.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

from .parsed import ParsedLine, StatementFormatError

NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d{2}$")


def is_camt053(content: bytes) -> bool:
    return b"urn:iso:std:iso:20022:tech:xsd:camt.053.001." in content[:4096]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _text(node, path: str, ns: dict) -> str:
    found = node.find(path, ns)
    return (found.text or "").strip() if found is not None and found.text else ""


def parse_camt053(content: bytes) -> list[ParsedLine]:
    try:
        root = etree.fromstring(content, parser=_parser())  # noqa: S320 (safe parser above)
    except etree.XMLSyntaxError as error:
        raise StatementFormatError(
            _("The XML file cannot be read: %(error)s") % {"error": error}
        ) from error
    namespace = etree.QName(root).namespace or ""
    if not NAMESPACE.match(namespace):
        raise StatementFormatError(
            _("This XML file is not a CAMT.053 statement (namespace “%(ns)s”).") % {"ns": namespace}
        )
    ns = {"c": namespace}
    entries = root.findall("c:BkToCstmrStmt/c:Stmt/c:Ntry", ns)
    lines: list[ParsedLine] = []
    errors: list[str] = []
    for position, entry in enumerate(entries, start=1):
        if _text(entry, "c:CdtDbtInd", ns) != "CRDT":
            continue
        amount_node = entry.find("c:Amt", ns)
        currency = (amount_node.get("Ccy") if amount_node is not None else "") or ""
        if currency.upper() != "EUR":
            continue
        try:
            amount = Decimal((amount_node.text or "").strip())
            if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            errors.append(_("Entry %(n)s: the amount is not valid.") % {"n": position})
            continue
        raw_date = _text(entry, "c:BookgDt/c:Dt", ns) or _text(entry, "c:BookgDt/c:DtTm", ns)[:10]
        try:
            booking_date = date.fromisoformat(raw_date)
        except ValueError:
            errors.append(_("Entry %(n)s: the booking date is missing.") % {"n": position})
            continue
        details = entry.find("c:NtryDtls/c:TxDtls", ns)
        scope = details if details is not None else entry
        counterparty = _text(scope, "c:RltdPties/c:Dbtr/c:Nm", ns) or _text(
            scope, "c:RltdPties/c:Dbtr/c:Pty/c:Nm", ns
        )
        unstructured = [(node.text or "").strip() for node in scope.findall("c:RmtInf/c:Ustrd", ns)]
        reference = (
            " ".join(part for part in unstructured if part)
            or _text(scope, "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref", ns)
            or _text(entry, "c:AddtlNtryInf", ns)
        )
        if amount <= 0:
            continue
        lines.append(
            ParsedLine(
                line_number=position,
                booking_date=booking_date,
                amount=amount.quantize(Decimal("0.01")),
                currency="EUR",
                counterparty=counterparty[:200],
                reference=reference[:500],
            )
        )
    if errors:
        raise StatementFormatError(errors)
    return lines
