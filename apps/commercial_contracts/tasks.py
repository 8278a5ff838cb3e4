"""Celery tasks of commercial contracts: thin, take ids, idempotent (DESIGN.md §3.8)."""

from celery import shared_task


@shared_task(name="commercial_contracts.render_pdf", time_limit=120, soft_time_limit=100)
def render_commercial_contract_pdf(contract_id: int) -> bool:
    """(Re-)render a contract's PDF; does nothing when what it shows has not changed."""
    from .models import CommercialContract
    from .services import commercial_contract_render_pdf

    contract = CommercialContract.objects.filter(pk=contract_id).first()
    if contract is None:
        return False
    return commercial_contract_render_pdf(contract=contract)
