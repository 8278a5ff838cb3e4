"""Corrective payslips (rappel de salaire / régularisation) for a past period.

`payslip_correct(payslip=..., gross_delta=...)` adds `gross_delta` to the gross of the
period (positive: a rappel, negative: a régularisation), recomputes the whole month with
the engine inputs frozen on the original (status, headcount, contract type, year-to-date
figures) and writes a CORRECTIVE payslip holding the *difference*, line by line: it gets
its own number in the BP series and points to the original. Several corrections chain:
each starts from the original plus the corrections already made.

The compte d'activité receives the difference of employer cost, dated the day of the
correction, with the corrective payslip as source: a debit (SALARY_EMPLOYER_COST) when the cost rises, a credit
(ADJUSTMENT, since a salary debit is always negative) when it falls. The reserve and the
portage split are not recomputed: the correction is a gross amount paid or taken back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.money import to_decimal
from apps.ledger.models import LedgerEntryKind
from apps.ledger.services import LedgerPosting, ledger_post_many
from apps.payroll.engine import IncomeTaxKind, PayslipInput, compute_payslip
from apps.payslips.models import Payslip, PayslipKind
from apps.payslips.services import PayslipComposition, payslip_create

from .payslip_build import PayrollError

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class _DeltaTax:
    kind: str
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class _DeltaRgdu:
    reduction: Decimal
    ytd_gross: Decimal
    ytd_smic: Decimal
    ytd_rgdu: Decimal


@dataclass(frozen=True)
class _DeltaLine:
    code: str
    group: str
    label_fr: str
    label_en: str
    base: Decimal | None
    employee_rate: Decimal | None
    employee_amount: Decimal
    employer_rate: Decimal | None
    employer_amount: Decimal


@dataclass(frozen=True)
class DeltaResult:
    """The shape payslip_create reads from an engine result, holding differences."""

    rates_file: str
    lines: tuple
    gross: Decimal
    employee_contributions: Decimal
    employer_contributions: Decimal
    net_before_income_tax: Decimal
    net_taxable: Decimal
    net_social: Decimal
    employer_cost: Decimal
    income_tax: _DeltaTax
    net_paid: Decimal
    rgdu: _DeltaRgdu


def _template(original: Payslip) -> PayslipInput:
    snapshot = original.inputs_snapshot
    return PayslipInput(
        period=original.period,
        gross=ZERO,
        status=snapshot["status"],
        headcount=int(snapshot["headcount"]),
        contract_type=snapshot["contract_type"],
        pas_rate=Decimal(snapshot["pas_rate"]) if snapshot.get("pas_rate") else None,
        ytd_gross=Decimal(snapshot.get("ytd_gross", "0")),
        ytd_smic=Decimal(snapshot.get("ytd_smic", "0")),
        ytd_rgdu=Decimal(snapshot.get("ytd_rgdu", "0")),
        rounding=snapshot.get("rounding", "per_line"),
    )


def _delta(before, after, original: Payslip) -> DeltaResult:
    old = {line.code: line for line in before.lines}
    lines = []
    for line in after.lines:
        was = old.pop(line.code, None)
        lines.append(_line_delta(line, was))
    lines.extend(_line_delta(None, was) for was in old.values())
    lines = [x for x in lines if x.employee_amount or x.employer_amount or x.base]
    return DeltaResult(
        rates_file=after.rates_file,
        lines=tuple(lines),
        gross=after.gross - before.gross,
        employee_contributions=after.employee_contributions - before.employee_contributions,
        employer_contributions=after.employer_contributions - before.employer_contributions,
        net_before_income_tax=after.net_before_income_tax - before.net_before_income_tax,
        net_taxable=after.net_taxable - before.net_taxable,
        net_social=after.net_social - before.net_social,
        employer_cost=after.employer_cost - before.employer_cost,
        income_tax=_DeltaTax(
            kind=str(after.income_tax.kind or IncomeTaxKind.NEUTRAL),
            rate=after.income_tax.rate,
            amount=after.income_tax.amount - before.income_tax.amount,
        ),
        net_paid=after.net_paid - before.net_paid,
        rgdu=_DeltaRgdu(
            reduction=after.rgdu.reduction - before.rgdu.reduction,
            ytd_gross=original.ytd_gross + after.gross - before.gross,
            ytd_smic=original.ytd_smic,
            ytd_rgdu=original.ytd_rgdu + after.rgdu.reduction - before.rgdu.reduction,
        ),
    )


def _line_delta(line, was) -> _DeltaLine:
    ref = line or was
    zero = ZERO
    return _DeltaLine(
        code=ref.code,
        group=str(ref.group),
        label_fr=ref.label_fr,
        label_en=ref.label_en,
        base=(line.base if line else zero) - (was.base if was else zero),
        employee_rate=ref.employee_rate,
        employee_amount=(line.employee_amount if line else zero)
        - (was.employee_amount if was else zero),
        employer_rate=ref.employer_rate,
        employer_amount=(line.employer_amount if line else zero)
        - (was.employer_amount if was else zero),
    )


def payslip_correct(*, payslip: Payslip, gross_delta, reason: str, created_by) -> Payslip:
    """Create the corrective payslip of `payslip` (a regular one) for `gross_delta`."""
    reason = (reason or "").strip()
    errors = {}
    try:
        delta = to_decimal(gross_delta)
    except (TypeError, ArithmeticError):
        delta = None
        errors["gross_delta"] = _("Enter the gross amount to add (negative to take back).")
    if delta is not None and (not delta or delta != delta.quantize(Decimal("0.01"))):
        errors["gross_delta"] = _("The gross change must be a non-zero amount in cents.")
    if not reason:
        errors["reason"] = _("Give the reason of the correction (printed on the payslip).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        original = (
            Payslip.objects.select_for_update()
            .select_related("employment_contract__consultant")
            .get(pk=payslip.pk)
        )
        if original.kind != PayslipKind.REGULAR:
            raise PayrollError(
                _("Correct the monthly payslip itself, not a corrective one."),
                code="payroll_correct_corrective",
            )
        corrected_before = sum((c.gross for c in original.corrections.all()), start=original.gross)
        if corrected_before + delta < 0:
            raise ValidationError(
                {"gross_delta": _("The gross of the month cannot become negative.")}
            )
        template = _template(original)
        before = compute_payslip(replace(template, gross=corrected_before))
        after = compute_payslip(replace(template, gross=corrected_before + delta))
        result = _delta(before, after, original)
        corrective = payslip_create(
            contract=original.employment_contract,
            period=original.period,
            result=result,
            composition=PayslipComposition(),
            employer_snapshot=original.employer_snapshot,
            employee_snapshot=original.employee_snapshot,
            inputs_snapshot={
                **original.inputs_snapshot,
                "corrected_gross_before": str(corrected_before),
                "gross_delta": str(delta),
                # Paid with the correction, not at the end of the corrected month: the
                # payslip prints this date and follows the payslip model in force on it.
                "payment_date": timezone.localdate().isoformat(),
            },
            ytd_net_taxable=original.ytd_net_taxable + result.net_taxable,
            ytd_employer_cost=original.ytd_employer_cost + result.employer_cost,
            created_by=created_by,
            kind=PayslipKind.CORRECTIVE,
            corrects=original,
            correction_reason=reason[:300],
        )
        if result.employer_cost:
            rises = result.employer_cost > 0
            ledger_post_many(
                entries=[
                    LedgerPosting(
                        consultant=original.employment_contract.consultant,
                        kind=(
                            LedgerEntryKind.SALARY_EMPLOYER_COST
                            if rises
                            else LedgerEntryKind.ADJUSTMENT
                        ),
                        amount=-result.employer_cost,
                        # A correction moves money today, not in the past month.
                        entry_date=timezone.localdate(),
                        label=_("Corrective payslip %(number)s (employer cost, %(original)s)")
                        % {"number": corrective.number, "original": original.number},
                        source=corrective,
                        created_by=created_by,
                    )
                ]
            )
        payslip_id = corrective.pk
        transaction.on_commit(lambda: _schedule_render(payslip_id))
    return corrective


def _schedule_render(payslip_id: int) -> None:
    from .run import schedule_payslip_render

    schedule_payslip_render(payslip_id)
