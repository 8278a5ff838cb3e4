"""Invoicing services, one module per concern:

- invoicing.py: drafts (from activity reports or by hand), lines, issuing, credit notes;
- settlement.py: what is still owed on an invoice and its payment status;
- documents.py / facturx.py / sending.py: PDF, Factur-X and e-mail of issued documents;
- payments.py / bank_statements.py: payments, allocation (lettrage), bank statement imports.
"""
