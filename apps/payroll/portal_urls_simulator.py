"""Portal URL of the simulator; the lead includes it under /portal/ (name portal:simulator)."""

from django.urls import path

from .portal_simulator import simulator

urlpatterns = [
    path("simulator/", simulator, name="simulator"),
]
