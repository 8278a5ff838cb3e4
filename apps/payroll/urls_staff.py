"""Back-office HTML pages of the payroll app, mounted by the lead at /payroll/."""

from django.urls import path

from .admin_simulator import staff_simulator

app_name = "payroll"

urlpatterns = [
    path("simulator/", staff_simulator, name="staff_simulator"),
]
