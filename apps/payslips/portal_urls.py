"""Portal URLs of the payslips; the lead includes them in apps/portal/urls.py (namespace
"portal"), e.g. `path("", include("apps.payslips.portal_urls"))`."""

from django.urls import path

from . import portal_views

urlpatterns = [
    path("payslips/", portal_views.payslips, name="payslips"),
    path("payslips/<int:pk>/pdf/", portal_views.payslip_pdf, name="payslip_pdf"),
]
