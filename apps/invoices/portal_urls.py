"""Portal routes of the invoices app, to include in apps/portal/urls.py under /portal/
(names "portal:invoices" and "portal:invoice_pdf")."""

from django.urls import path

from .portal_views import invoice_pdf, invoices_page

urlpatterns = [
    path("invoices/", invoices_page, name="invoices"),
    path("invoices/<int:pk>/pdf/", invoice_pdf, name="invoice_pdf"),
]
