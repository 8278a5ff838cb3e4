from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core.views import healthz

admin.site.site_title = settings.UNFOLD["SITE_TITLE"]

api_v1 = [
    path("", include("apps.consultants.api_urls")),
    path("", include("apps.clients.api_urls")),
    path("", include("apps.accounts.api_urls")),
    path("", include("apps.commercial_contracts.api_urls")),
    path("", include("apps.employment_contracts.api_urls")),
    path("", include("apps.ledger.api_urls")),
    path("", include("apps.activity.api_urls")),
    path("", include("apps.invoices.api_urls")),
    path("", include("apps.payslips.api_documents_urls")),
    path("", include("apps.payroll.api_urls_simulator")),
    path("", include("apps.payroll.api_urls")),
    path("", include("apps.payslips.api_urls")),
]

urlpatterns = [
    path("", include("apps.accounts.urls")),
    path("admin/", admin.site.urls),
    path("portal/", include("apps.portal.urls")),
    path("activity/", include("apps.activity.public_urls")),
    path("payroll/", include("apps.payroll.urls_staff")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz/", healthz, name="healthz"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
