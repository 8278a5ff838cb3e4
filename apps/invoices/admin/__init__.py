"""Admin of the invoices app: invoices and credit notes (invoices.py, with the document
actions of document_actions.py), payments and bank statements (payments.py)."""

from . import invoices, payments  # noqa: F401
