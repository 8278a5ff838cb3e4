"""Writes of payslips. `payslip_create` / `payslip_create_many` are the only code that
inserts Payslip rows.

They are called by the payroll service (apps/payroll/services) inside its transaction: the
numbers come from the gapless "BP" series of the period's year under lock (a rolled-back
payslip gives its number back), the figures and the lines from the engine result, and the
snapshots freeze who the employer and the employee were on that day (DESIGN.md §3.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.core.models import DocumentSequence
from apps.core.sequences import format_number, sequence_next

from .models import Payslip, PayslipKind, PayslipLine

SERIES = "BP"
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class PayslipComposition:
    """The portage split of the gross (zero for a corrective payslip)."""

    available_amount: Decimal = ZERO
    base_salary: Decimal = ZERO
    business_bonus: Decimal = ZERO
    paid_leave_allowance: Decimal = ZERO
    end_of_contract_indemnity: Decimal = ZERO
    financial_reserve: Decimal = ZERO


@dataclass(frozen=True)
class PayslipSpec:
    """Everything a payslip is made of. `result` is an engine PayslipResult (or any object
    of the same shape); `ytd_*` include this payslip."""

    contract: object
    period: date
    result: object
    composition: PayslipComposition
    employer_snapshot: dict
    employee_snapshot: dict
    inputs_snapshot: dict
    ytd_net_taxable: Decimal = ZERO
    ytd_employer_cost: Decimal = ZERO
    created_by: object = None
    kind: str = PayslipKind.REGULAR
    corrects: Payslip | None = None
    correction_reason: str = ""
    extra: dict = field(default_factory=dict)


def payslip_number(year: int, number: int) -> str:
    return format_number(prefix=SERIES, year=year, number=number)


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name}() must be called inside a transaction.")


def _payslip(spec: PayslipSpec, year: int, number: int) -> Payslip:
    result, composition, rgdu = spec.result, spec.composition, spec.result.rgdu
    return Payslip(
        kind=spec.kind,
        number=payslip_number(year, number),
        sequence_year=year,
        sequence_number=number,
        period=spec.period,
        employment_contract=spec.contract,
        consultant_id=spec.contract.consultant_id,
        corrects=spec.corrects,
        correction_reason=spec.correction_reason,
        available_amount=composition.available_amount,
        base_salary=composition.base_salary,
        business_bonus=composition.business_bonus,
        paid_leave_allowance=composition.paid_leave_allowance,
        end_of_contract_indemnity=composition.end_of_contract_indemnity,
        financial_reserve=composition.financial_reserve,
        gross=result.gross,
        employee_contributions=result.employee_contributions,
        employer_contributions=result.employer_contributions,
        net_before_income_tax=result.net_before_income_tax,
        net_taxable=result.net_taxable,
        net_social=result.net_social,
        income_tax_rate=result.income_tax.rate,
        income_tax_kind=str(result.income_tax.kind),
        income_tax=result.income_tax.amount,
        net_paid=result.net_paid,
        employer_cost=result.employer_cost,
        reductions=rgdu.reduction,
        ytd_gross=rgdu.ytd_gross,
        ytd_net_taxable=spec.ytd_net_taxable,
        ytd_employer_cost=spec.ytd_employer_cost,
        ytd_smic=rgdu.ytd_smic,
        ytd_rgdu=rgdu.ytd_rgdu,
        rates_file=result.rates_file,
        employer_snapshot=spec.employer_snapshot,
        employee_snapshot=spec.employee_snapshot,
        inputs_snapshot=spec.inputs_snapshot,
        created_by=spec.created_by,
    )


def _lines(payslip: Payslip, result) -> list[PayslipLine]:
    return [
        PayslipLine(**dict(zip(LINE_COLUMNS, row, strict=True)))
        for row in _line_rows(payslip.pk, result)
    ]


def payslip_create(**kwargs) -> Payslip:
    """Number and write one payslip with its lines (keyword arguments of PayslipSpec).
    Must run inside the caller's transaction."""
    _require_transaction("payslip_create")
    spec = PayslipSpec(**kwargs)
    year = spec.period.year
    payslip = _payslip(spec, year, sequence_next(series=SERIES, year=year))
    payslip.save(force_insert=True)
    PayslipLine.objects.bulk_create(_lines(payslip, spec.result))
    return payslip


def _reserve_numbers(year: int, count: int) -> int:
    """Take `count` consecutive numbers of the year's BP series; returns the first. The
    same row and rule as apps.core.sequences.sequence_next (locked by it until the end of
    the transaction, gapless, given back on rollback), in four queries for a whole batch."""
    first = sequence_next(series=SERIES, year=year)
    if count > 1:
        DocumentSequence.objects.filter(series=SERIES, year=year).update(
            last_number=F("last_number") + (count - 1), updated_at=timezone.now()
        )
    return first


def payslip_create_many(specs: list[PayslipSpec]) -> list[Payslip]:
    """Number and write a batch of payslips (one period's year) in a constant number of
    queries: the numbers follow the order of `specs`. Inside the caller's transaction."""
    _require_transaction("payslip_create_many")
    if not specs:
        return []
    years = {spec.period.year for spec in specs}
    if len(years) != 1:
        raise ValueError("payslip_create_many() takes payslips of one year")
    year = years.pop()
    first = _reserve_numbers(year, len(specs))
    payslips = [_payslip(spec, year, first + index) for index, spec in enumerate(specs)]
    pairs = list(zip(payslips, specs, strict=True))
    if connection.vendor == "postgresql":
        _copy_payslips(payslips)
        _copy_lines(row for payslip, spec in pairs for row in _line_rows(payslip.pk, spec.result))
    else:
        Payslip.objects.bulk_create(payslips, batch_size=500)
        lines = [line for payslip, spec in pairs for line in _lines(payslip, spec.result)]
        PayslipLine.objects.bulk_create(lines, batch_size=2000)
    return payslips


LINE_COLUMNS = (
    "payslip_id",
    "position",
    "code",
    "group",
    "label_fr",
    "label_en",
    "base",
    "employee_rate",
    "employee_amount",
    "employer_rate",
    "employer_amount",
)


def _copy_payslips(payslips: list[Payslip]) -> None:
    """PostgreSQL COPY of new payslips, ids taken from the table's sequence first.

    Same values as bulk_create (each field's pre_save and get_db_prep_save: timestamps,
    JSON, decimals), same constraints, same transaction; a monthly run writes hundreds per
    batch and Django's multi-row INSERT of ~40 columns cost more than the engine's work.
    """
    meta = Payslip._meta
    fields = list(meta.concrete_fields)
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(payslips)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for payslip, pk in zip(payslips, ids, strict=True):
                payslip.pk = pk
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(payslip, True), connection)
                        for field in fields
                    ]
                )
    for payslip in payslips:
        payslip._state.adding = False
        payslip._state.db = connection.alias


def _line_rows(payslip_id: int, result):
    """The lines of one payslip as COPY rows, in LINE_COLUMNS order (no model instances:
    ~30 per payslip, building them cost more than the COPY itself)."""
    for position, line in enumerate(result.lines, start=1):
        yield (
            payslip_id,
            position,
            line.code,
            str(line.group),
            line.label_fr,
            line.label_en,
            line.base,
            line.employee_rate,
            line.employee_amount,
            line.employer_rate,
            line.employer_amount,
        )


def _copy_lines(rows) -> None:
    """PostgreSQL COPY of the lines: a monthly run writes ~30 lines per payslip, and
    building a multi-row INSERT costs Django more than the engine's whole computation
    (bench/bench_payroll_run.py). Same rows, same constraints, same transaction."""
    table = connection.ops.quote_name(PayslipLine._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in LINE_COLUMNS)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
