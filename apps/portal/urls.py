from django.urls import include, path

from apps.ledger.portal_views import ledger_page

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("contracts/", views.contracts, name="contracts"),
    path("ledger/", ledger_page, name="ledger"),
    path("", include("apps.activity.portal_urls")),
    path("", include("apps.invoices.portal_urls")),
    path("", include("apps.payroll.portal_urls_simulator")),
    path("", include("apps.payslips.portal_urls")),
    path("contracts/<str:kind>/<int:pk>/pdf/", views.contract_pdf, name="contract_pdf"),
]
