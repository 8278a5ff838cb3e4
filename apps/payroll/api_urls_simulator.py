from django.urls import path

from .api_simulator import PayrollSimulateView

urlpatterns = [
    path("payroll/simulate/", PayrollSimulateView.as_view(), name="payroll-simulate"),
]
