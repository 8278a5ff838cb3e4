"""Writes on employment contracts (and the daily contracts job). Views, serializers, admin
actions, tasks and the demo seed call these only. Split by concern: lifecycle (create ->
end), term (renewals, prospection extension), checks (compliance findings), pdf, daily."""

from .checks import (
    employment_contract_check,
    employment_contract_facts,
    expected_terms,
    findings_as_dicts,
    mention_findings,
)
from .daily import contracts_daily_scan, employment_contracts_scan_alerts
from .lifecycle import (
    EDITABLE_FIELDS,
    employment_contract_activate,
    employment_contract_create,
    employment_contract_end,
    employment_contract_link_commercial_contracts,
    employment_contract_send_for_signature,
    employment_contract_sign,
    employment_contract_terminate,
    employment_contract_update,
)
from .pdf import employment_contract_pdf_html, employment_contract_render_pdf, pdf_content
from .term import employment_contract_extend_for_prospection, employment_contract_renew

__all__ = [
    "EDITABLE_FIELDS",
    "contracts_daily_scan",
    "employment_contract_activate",
    "employment_contract_check",
    "employment_contract_create",
    "employment_contract_end",
    "employment_contract_extend_for_prospection",
    "employment_contract_facts",
    "employment_contract_link_commercial_contracts",
    "employment_contract_pdf_html",
    "employment_contract_render_pdf",
    "employment_contract_renew",
    "employment_contract_send_for_signature",
    "employment_contract_sign",
    "employment_contract_terminate",
    "employment_contract_update",
    "employment_contracts_scan_alerts",
    "expected_terms",
    "findings_as_dicts",
    "mention_findings",
    "pdf_content",
]
