"""Reads of the invoices app, scoped to who asks (DESIGN §3.10)."""
