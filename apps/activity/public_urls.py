"""Pages reached without an account (the client's approval link), mounted at /activity/."""

from django.urls import path

from .public_views import approval_page

urlpatterns = [
    path("approval/<str:token>/", approval_page, name="activity_report_approval"),
]
