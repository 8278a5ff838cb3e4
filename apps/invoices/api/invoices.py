"""API routes of the invoices app (invoices); mounted by apps/invoices/api_urls.py."""

urlpatterns: list = []
