"""Celery application. The broker is Redis; tests and `make run` run tasks eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portage_office.settings.local")

app = Celery("portage_office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
