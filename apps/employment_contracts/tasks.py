"""Celery tasks: thin, named, take ids, call one service, idempotent (DESIGN.md §3.8)."""

from celery import shared_task

from . import services
from .models import EmploymentContract


@shared_task(name="employment_contracts.render_employment_contract_pdf")
def render_employment_contract_pdf(contract_id: int) -> bool:
    """(Re-)render the contract PDF if what it shows changed since the last rendering."""
    contract = EmploymentContract.objects.filter(pk=contract_id).first()
    if contract is None:
        return False
    return services.employment_contract_render_pdf(contract=contract)


@shared_task(name="employment_contracts.contracts_daily_scan")
def contracts_daily_scan_task() -> dict:
    """Daily at 06:30 Europe/Paris (CELERY_BEAT_SCHEDULE): contract alerts + staff digest."""
    return services.contracts_daily_scan()
