"""Portal routes of the activity app, included by apps/portal/urls.py under /portal/."""

from .portal_expenses import urlpatterns as expense_urlpatterns
from .portal_reports import urlpatterns as report_urlpatterns

urlpatterns = report_urlpatterns + expense_urlpatterns
