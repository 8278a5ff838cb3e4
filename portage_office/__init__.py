"""portage-office: back-office of a French société de portage salarial."""

from .celery import app as celery_app

__all__ = ("celery_app",)
