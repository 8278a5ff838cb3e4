"""Writes of the payroll: monthly runs, corrective payslips, the journal export."""

from .corrective import payslip_correct
from .journal import journal_csv_rows, journal_csv_stream, journal_filename
from .payout import (
    PayoutPreview,
    PayoutRequestError,
    payout_period,
    payout_preview,
    payout_request_cancel,
    payout_request_check,
    payout_request_set,
)
from .payslip_build import BelowMinimum, PayrollError, payslip_build, top_up_to_minimum
from .run import (
    payroll_item_process,
    payroll_period,
    payroll_run_execute,
    payroll_run_start,
    schedule_payslip_render,
)

__all__ = [
    "BelowMinimum",
    "PayoutPreview",
    "PayoutRequestError",
    "PayrollError",
    "journal_csv_rows",
    "journal_csv_stream",
    "journal_filename",
    "payout_period",
    "payout_preview",
    "payout_request_cancel",
    "payout_request_check",
    "payout_request_set",
    "payroll_item_process",
    "payroll_period",
    "payroll_run_execute",
    "payroll_run_start",
    "payslip_build",
    "payslip_correct",
    "schedule_payslip_render",
    "top_up_to_minimum",
]
