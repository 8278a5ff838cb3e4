"""Reads of the company profile."""

from .models import CompanyProfile


def company_profile_get() -> CompanyProfile | None:
    """The company's one profile row, or None before setup (seed_demo creates it)."""
    return CompanyProfile.objects.order_by("pk").first()
