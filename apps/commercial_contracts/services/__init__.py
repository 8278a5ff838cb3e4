"""Writes on commercial contracts. Views, serializers, admin actions, tasks and the demo seed
call these only (DESIGN.md §3.1). Split by concern; import from here."""

from ._common import (
    STRUCTURAL_RULES,
    ComplianceBlocked,
    WarningsNotAcknowledged,
)
from .alerts import commercial_contracts_scan_alerts
from .amendments import AMENDABLE, commercial_contract_amend
from .checks import commercial_contract_check, commercial_contract_facts
from .documents import (
    MAX_SIGNED_PDF_BYTES,
    commercial_contract_pdf_html,
    commercial_contract_render_pdf,
    company_mentions_missing,
)
from .lifecycle import (
    CONTRACT_FIELDS,
    TERMS_FIELDS,
    commercial_contract_activate,
    commercial_contract_create,
    commercial_contract_end,
    commercial_contract_reopen,
    commercial_contract_send_for_signature,
    commercial_contract_sign,
    commercial_contract_terminate,
    commercial_contract_update,
)

__all__ = [
    "AMENDABLE",
    "CONTRACT_FIELDS",
    "MAX_SIGNED_PDF_BYTES",
    "STRUCTURAL_RULES",
    "TERMS_FIELDS",
    "ComplianceBlocked",
    "WarningsNotAcknowledged",
    "commercial_contract_activate",
    "commercial_contract_amend",
    "commercial_contract_check",
    "commercial_contract_create",
    "commercial_contract_end",
    "commercial_contract_facts",
    "commercial_contract_pdf_html",
    "commercial_contract_reopen",
    "commercial_contract_render_pdf",
    "commercial_contract_send_for_signature",
    "commercial_contract_sign",
    "commercial_contract_terminate",
    "commercial_contract_update",
    "commercial_contracts_scan_alerts",
    "company_mentions_missing",
]
