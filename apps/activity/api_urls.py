"""API routes of the activity app: activity reports and expense claims."""

from .api.expenses import urlpatterns as expense_urlpatterns
from .api.reports import urlpatterns as report_urlpatterns

urlpatterns = report_urlpatterns + expense_urlpatterns
