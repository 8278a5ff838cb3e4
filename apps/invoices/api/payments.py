"""API routes of the invoices app (payments); mounted by apps/invoices/api_urls.py."""

urlpatterns: list = []
