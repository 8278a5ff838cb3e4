"""Demo payroll: the run of the previous month on the demo data (idempotent).

Called by `manage.py seed_demo` after the ledger, contracts and payments are seeded, so the
portal has payslips. Consultants whose compte d'activité holds too little are reported as
failed (below the conventional minimum) or skipped, as in real life.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.accounts.roles import Role

from .models import PayrollRun
from .services import PayrollError, payroll_run_execute, payroll_run_start


def _months_back(today: date):
    month = today.replace(day=1)
    for _ in range(12):
        month = (month - timedelta(days=1)).replace(day=1)
        yield month


def seed_payroll(*, today: date | None = None) -> PayrollRun | None:
    """Start and execute the run of the previous month (or the latest month that has a
    rates file); a second call changes nothing. Returns the run, or None without rates."""
    today = today or timezone.localdate()
    user_model = get_user_model()
    author = (
        user_model.objects.filter(groups__name=Role.STAFF).order_by("pk").first()
        or user_model.objects.filter(is_superuser=True).order_by("pk").first()
    )
    for period in _months_back(today):
        try:
            run = payroll_run_start(period=period, started_by=author)
        except PayrollError:
            continue  # no rates file for that month yet
        return payroll_run_execute(run=run)
    return None
