"""/api/v1/ routes of the invoices app: invoices, their documents, payments."""

from .api.documents import urlpatterns as document_urlpatterns
from .api.invoices import urlpatterns as invoice_urlpatterns
from .api.payments import urlpatterns as payment_urlpatterns

urlpatterns = invoice_urlpatterns + document_urlpatterns + payment_urlpatterns
