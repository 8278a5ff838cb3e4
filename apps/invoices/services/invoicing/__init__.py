"""Invoicing services: drafts (by hand or from validated activity reports), issuing with
gapless numbering, credit notes. Re-exported here: `from apps.invoices.services.invoicing
import invoice_issue`."""

from .credit_notes import credit_note_create
from .drafts import (
    invoice_create,
    invoice_delete_draft,
    invoice_line_add,
    invoice_line_remove,
    invoice_update,
)
from .issue import invoice_issue
from .reports import invoice_create_from_reports
from .vat import invoice_totals_recompute, vat_regime_for_client

__all__ = [
    "credit_note_create",
    "invoice_create",
    "invoice_create_from_reports",
    "invoice_delete_draft",
    "invoice_issue",
    "invoice_line_add",
    "invoice_line_remove",
    "invoice_totals_recompute",
    "invoice_update",
    "vat_regime_for_client",
]
