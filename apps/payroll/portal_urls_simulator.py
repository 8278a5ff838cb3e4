"""Portal URLs of the payroll app (included under /portal/): the simulator and the
pay-out request (names portal:simulator, portal:payout)."""

from django.urls import path

from .portal_payout import payout
from .portal_simulator import simulator

urlpatterns = [
    path("simulator/", simulator, name="simulator"),
    path("payout/", payout, name="payout"),
]
