"""Mounted under /api/v1/ (namespace "api") by portage_office/urls.py."""

from django.urls import path

from .api_documents import PayslipPdfView

urlpatterns = [
    path("payslips/<int:pk>/pdf/", PayslipPdfView.as_view(), name="payslip-pdf"),
]
