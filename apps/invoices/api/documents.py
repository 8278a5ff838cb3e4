"""API routes of the invoices app (documents); mounted by apps/invoices/api_urls.py."""

urlpatterns: list = []
