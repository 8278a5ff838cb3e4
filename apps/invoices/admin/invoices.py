"""Admin of invoices and credit notes."""
