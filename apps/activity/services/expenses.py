"""Writes on expense claims: drafts and their lines, submission, approval, rejection,
reimbursement from the compte d'activité, and rebilling to the client.

Each service runs in one transaction, locks the claim row before changing it, re-checks the
state against ExpenseClaim.ALLOWED_TRANSITIONS and validates with full_clean. Who may call
which service (the consultant for their own drafts, staff to approve, finance or staff to
reimburse) is checked by the API, the admin and the portal; the services refuse what no one
may do (changing a submitted claim, approving one's own claim, paying beyond the balance).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.money import CENT, quantize_eur
from apps.ledger.models import LedgerEntryKind
from apps.ledger.selectors import ledger_available
from apps.ledger.services import ledger_post

from ..models.expenses import (
    ExpenseCategory,
    ExpenseClaim,
    ExpenseClaimStatus,
    ExpenseLine,
)
from .mileage import HORSEPOWER_TABLES, VEHICLES, mileage_allowance
from .uploads import receipt_check, receipt_extension

__all__ = [
    "ClaimNotEditable",
    "InsufficientBalance",
    "expense_claim_approve",
    "expense_claim_create",
    "expense_claim_reimburse",
    "expense_claim_reject",
    "expense_claim_reopen",
    "expense_claim_submit",
    "expense_claim_update",
    "expense_line_add",
    "expense_line_remove",
    "expense_line_update",
    "expense_lines_mark_rebilled",
]

Status = ExpenseClaimStatus
ZERO = Decimal("0.00")

CLAIM_FIELDS = frozenset({"title", "commercial_contract"})
LINE_FIELDS = frozenset(
    {
        "date",
        "category",
        "description",
        "amount_ttc",
        "vat_amount",
        "receipt",
        "vehicle_type",
        "fiscal_horsepower",
        "distance_km",
        "yearly_distance_km",
        "rebill_to_client",
    }
)
MILEAGE_FIELDS = ("vehicle_type", "fiscal_horsepower", "distance_km", "yearly_distance_km")
# FKs are given as instances by the callers; full_clean would re-fetch each one.
_CLAIM_FK = ["consultant", "commercial_contract", "created_by", "submitted_by"]


class InsufficientBalance(DomainError):
    """The claim is more than the consultant's available balance (PR-24)."""

    code = "insufficient_balance"
    status_code = 409


class ClaimNotEditable(DomainError):
    code = "expense_claim_not_editable"
    status_code = 409


class SelfApproval(DomainError):
    code = "expense_claim_own"
    status_code = 403


# --- helpers ------------------------------------------------------------------------------
def _check_fields(fields: dict, allowed: frozenset) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: _("This field cannot be set here; use the dedicated action.")
                for name in unknown
            }
        )


def _lock(claim: ExpenseClaim) -> ExpenseClaim:
    return (
        ExpenseClaim.objects.select_for_update(of=("self",))
        .select_related("consultant", "commercial_contract")
        .get(pk=claim.pk)
    )


def _history_user(instance, user) -> None:
    # Only when given: None would hide the request user set by the history middleware.
    if user is not None:
        instance._history_user = user


def _require_editable(claim: ExpenseClaim) -> None:
    if not claim.is_editable:
        raise ClaimNotEditable(
            _(
                "The claim is “%(status)s”: its lines can no longer be changed."
                " Only a draft can be changed."
            )
            % {"status": claim.Status(claim.status).label}
        )


def _not_own(claim: ExpenseClaim, user) -> None:
    """Nobody approves, rejects or pays their own claim (segregation of duties)."""
    owner_id = claim.consultant.user_id
    if user is not None and owner_id is not None and owner_id == user.pk:
        raise SelfApproval(_("You cannot approve, reject or reimburse your own expense claim."))


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):
        raise ValidationError({field: _("The amount must be a decimal number, not a float.")})
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({field: _("Enter a valid amount.")}) from error
    if not amount.is_finite():
        raise ValidationError({field: _("Enter a valid amount.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("The amount cannot have more than 2 decimal places.")})
    return amount.quantize(CENT)


def _euros(amount: Decimal) -> str:
    return f"{number_format(amount, 2)} €"


def _cents(total) -> Decimal:
    """A SUM of amounts to the cent, back to the cent (SQLite adds decimals as floats)."""
    if total is None:
        return ZERO
    return quantize_eur(Decimal(str(total)) if isinstance(total, float) else total)


def _recompute_totals(claim: ExpenseClaim) -> None:
    totals = claim.lines.aggregate(ttc=Sum("amount_ttc"), vat=Sum("vat_amount"))
    claim.total_ttc = _cents(totals["ttc"])
    claim.total_vat = _cents(totals["vat"])
    claim.save(update_fields=["total_ttc", "total_vat", "updated_at"])


def _delete_file_on_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name) if storage.exists(name) else None)


# --- claims ---------------------------------------------------------------------------------
@transaction.atomic
def expense_claim_create(
    *, consultant, title: str, commercial_contract=None, created_by=None
) -> ExpenseClaim:
    """A new draft claim of `consultant`, optionally for one of their missions."""
    claim = ExpenseClaim(
        consultant=consultant,
        title=(title or "").strip(),
        commercial_contract=commercial_contract,
        created_by=created_by,
    )
    claim.full_clean(exclude=_CLAIM_FK)
    _history_user(claim, created_by)
    claim.save()
    return claim


@transaction.atomic
def expense_claim_update(*, claim: ExpenseClaim, updated_by=None, **fields) -> ExpenseClaim:
    """Change the title or the mission of a draft. Removing the mission (or choosing one
    that is not rebilled) is refused while lines are marked for rebilling."""
    _check_fields(fields, CLAIM_FIELDS)
    claim = _lock(claim)
    _require_editable(claim)
    if "title" in fields:
        claim.title = (fields["title"] or "").strip()
    if "commercial_contract" in fields:
        contract = fields["commercial_contract"]
        claim.commercial_contract = contract
        rebilled = claim.lines.filter(rebill_to_client=True).count()
        if rebilled and (contract is None or not contract.rebill_expenses):
            raise ValidationError(
                {
                    "commercial_contract": _(
                        "%(count)s line(s) are marked for rebilling: this mission does not"
                        " rebill expenses. Untick “rebill to the client” on them first."
                    )
                    % {"count": rebilled}
                }
            )
    claim.full_clean(exclude=_CLAIM_FK)
    _history_user(claim, updated_by)
    claim.save()
    return claim


@transaction.atomic
def expense_claim_submit(*, claim: ExpenseClaim, by=None) -> ExpenseClaim:
    """Draft -> submitted: at least one line; the totals are computed from the lines and
    frozen (lines cannot change any more)."""
    claim = _lock(claim)
    claim.check_transition(Status.SUBMITTED)
    if not claim.lines.exists():
        raise ValidationError({"lines": _("Add at least one expense before submitting the claim.")})
    _recompute_totals(claim)
    claim.status = Status.SUBMITTED
    claim.submitted_at = timezone.now()
    claim.submitted_by = by
    claim.full_clean(exclude=_CLAIM_FK)
    _history_user(claim, by)
    claim.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    return claim


@transaction.atomic
def expense_claim_approve(*, claim: ExpenseClaim, by) -> ExpenseClaim:
    """Submitted -> approved (staff): the claim can now be reimbursed and its rebillable
    lines appear on the next invoice of the mission."""
    claim = _lock(claim)
    claim.check_transition(Status.APPROVED)
    _not_own(claim, by)
    claim.status = Status.APPROVED
    claim.approved_at = timezone.now()
    claim.approved_by = by
    _history_user(claim, by)
    claim.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    return claim


@transaction.atomic
def expense_claim_reject(*, claim: ExpenseClaim, by, reason: str) -> ExpenseClaim:
    """Submitted -> rejected with a reason shown to the consultant."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    claim = _lock(claim)
    claim.check_transition(Status.REJECTED)
    _not_own(claim, by)
    claim.status = Status.REJECTED
    claim.rejected_at = timezone.now()
    claim.rejected_by = by
    claim.rejection_reason = reason
    _history_user(claim, by)
    claim.save(
        update_fields=["status", "rejected_at", "rejected_by", "rejection_reason", "updated_at"]
    )
    return claim


@transaction.atomic
def expense_claim_reopen(*, claim: ExpenseClaim, by=None) -> ExpenseClaim:
    """Rejected -> draft, to correct the lines and submit again (the last rejection stays
    visible until the next decision)."""
    claim = _lock(claim)
    claim.check_transition(Status.DRAFT)
    claim.status = Status.DRAFT
    claim.submitted_at = None
    claim.submitted_by = None
    _history_user(claim, by)
    claim.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    return claim


def _ledger_label(claim: ExpenseClaim) -> str:
    """The label of the ledger entry, in the consultant's language (it is shown to them)."""
    user = claim.consultant.user
    language = getattr(user, "language", "") or None
    with translation.override(language or translation.get_language()):
        return str(
            _("Expense claim #%(id)s reimbursed: %(title)s")
            % {"id": claim.pk, "title": claim.title}
        )[:255]


def expense_claim_reimburse(
    *, claim: ExpenseClaim, by, on_date: date | None = None
) -> ExpenseClaim:
    """Approved -> reimbursed: posts ONE ledger entry (kind expense_reimbursed, −total) in
    the same transaction as the status change, dated `on_date` (default today, Europe/Paris).

    Refused (InsufficientBalance, nothing written) when the total is more than the
    consultant's available balance; refused (InvalidTransition) when already reimbursed.
    """
    on_date = on_date or timezone.localdate()
    with transaction.atomic():
        claim = _lock(claim)
        claim.check_transition(Status.REIMBURSED)
        _not_own(claim, by)
        # Serialise the balance checks of one consultant: two reimbursements at the same
        # time must not both see the same available balance.
        consultant_model = type(claim.consultant)
        list(
            consultant_model.objects.select_for_update()
            .filter(pk=claim.consultant_id)
            .values_list("pk", flat=True)
        )
        if claim.approved_at and on_date < timezone.localdate(claim.approved_at):
            raise ValidationError(
                {
                    "on_date": _(
                        "The reimbursement cannot be dated before the approval (%(date)s)."
                    )
                    % {"date": timezone.localdate(claim.approved_at).isoformat()}
                }
            )
        amount = claim.total_ttc
        available = ledger_available(claim.consultant)
        if amount > available:
            raise InsufficientBalance(
                _(
                    "The claim is %(amount)s but only %(available)s is available on the"
                    " activity account."
                )
                % {"amount": _euros(amount), "available": _euros(available)},
                fields={"amount": [str(amount)], "available": [str(available)]},
            )
        claim.status = Status.REIMBURSED
        claim.reimbursed_at = timezone.now()
        claim.reimbursed_by = by
        claim.reimbursement_date = on_date
        _history_user(claim, by)
        claim.save(
            update_fields=[
                "status",
                "reimbursed_at",
                "reimbursed_by",
                "reimbursement_date",
                "updated_at",
            ]
        )
        ledger_post(
            consultant=claim.consultant,
            kind=LedgerEntryKind.EXPENSE_REIMBURSED,
            amount=-amount,
            entry_date=on_date,
            label=_ledger_label(claim),
            source=claim,
            created_by=by,
        )
    return claim


# --- lines ------------------------------------------------------------------------------
def _apply_mileage(line: ExpenseLine) -> None:
    allowance = mileage_allowance(
        on_date=line.date,
        vehicle_type=line.vehicle_type,
        fiscal_horsepower=line.fiscal_horsepower,
        distance_km=line.distance_km,
        yearly_distance_km=line.yearly_distance_km,
    )
    line.amount_ttc = allowance.amount
    line.vat_amount = ZERO
    line.distance_km = allowance.distance_km
    line.yearly_distance_km = allowance.yearly_distance_km
    line.mileage_scale = allowance.edition
    line.mileage_rate_per_km = allowance.rate_per_km
    if VEHICLES[line.vehicle_type][0] not in HORSEPOWER_TABLES:
        line.fiscal_horsepower = None  # mopeds: one row whatever the horsepower


def _prepare(line: ExpenseLine, upload) -> None:
    """Validate and complete a line before saving: the amounts of a mileage line come from
    the barème; other lines need an amount and a receipt; the receipt is checked from its
    content and renamed (the client's file name is never kept)."""
    errors: dict[str, list] = {}
    if line.date is None:
        errors["date"] = [_("Give the date of the expense.")]
    elif line.date > timezone.localdate():
        errors["date"] = [_("The date of an expense cannot be in the future.")]
    if line.category not in ExpenseCategory.values:
        errors["category"] = [_("Choose a category.")]
    if errors:
        raise ValidationError(errors)

    if line.is_mileage:
        _apply_mileage(line)
    else:
        for name in MILEAGE_FIELDS:
            setattr(line, name, "" if name == "vehicle_type" else None)
        line.mileage_scale = ""
        line.mileage_rate_per_km = None
        if line.amount_ttc is None:
            raise ValidationError({"amount_ttc": _("Give the amount including VAT.")})
        if line.vat_amount is None:
            line.vat_amount = ZERO

    if upload is not None:
        content_type = receipt_check(upload, field="receipt")
        # The stored name comes from upload_to (expenses/<consultant>/<uuid>.<ext>); this
        # short name only keeps the client's one out of validation and storage.
        upload.name = f"receipt.{receipt_extension(content_type)}"
        line.receipt_content_type = content_type
        line.receipt = upload


def _save_line(line: ExpenseLine, upload, by) -> ExpenseLine:
    line.full_clean(exclude=["claim"], validate_constraints=False)
    _history_user(line, by)
    line.save()
    return line


@transaction.atomic
def expense_line_add(
    *,
    claim: ExpenseClaim,
    date: date,
    category: str,
    description: str,
    amount_ttc=None,
    vat_amount=None,
    receipt=None,
    vehicle_type: str = "",
    fiscal_horsepower: int | None = None,
    distance_km=None,
    yearly_distance_km=None,
    rebill_to_client: bool = False,
    added_by=None,
) -> ExpenseLine:
    """Add a line to a draft claim (totals updated). A mileage line is computed from the
    barème kilométrique: `amount_ttc` is ignored, no VAT, the receipt is optional; any
    other line needs an amount and a receipt (PDF/JPEG/PNG, checked from its content)."""
    claim = _lock(claim)
    _require_editable(claim)
    line = ExpenseLine(
        claim=claim,
        date=date,
        category=category,
        description=(description or "").strip(),
        amount_ttc=_money(amount_ttc, "amount_ttc"),
        vat_amount=_money(vat_amount, "vat_amount"),
        vehicle_type=vehicle_type or "",
        fiscal_horsepower=fiscal_horsepower,
        distance_km=distance_km,
        yearly_distance_km=yearly_distance_km,
        rebill_to_client=bool(rebill_to_client),
    )
    _prepare(line, receipt)
    try:
        _save_line(line, receipt, added_by)
        _recompute_totals(claim)
    except Exception:
        _discard_upload(line, receipt)
        raise
    return line


def _discard_upload(line: ExpenseLine, upload) -> None:
    """Remove a receipt stored by a save that then failed (the row is rolled back)."""
    if upload is not None and line.receipt and getattr(line.receipt, "_committed", False):
        storage = line.receipt.storage
        if storage.exists(line.receipt.name):
            storage.delete(line.receipt.name)


@transaction.atomic
def expense_line_update(*, line: ExpenseLine, updated_by=None, **fields) -> ExpenseLine:
    """Change a line of a draft claim (totals updated). Giving `receipt` replaces the file
    (the old one is deleted after commit)."""
    _check_fields(fields, LINE_FIELDS)
    claim = _lock(line.claim)
    _require_editable(claim)
    line = ExpenseLine.objects.select_for_update().get(pk=line.pk, claim=claim)
    line.claim = claim
    upload = fields.pop("receipt", None)
    for name in ("amount_ttc", "vat_amount"):
        if name in fields:
            fields[name] = _money(fields[name], name)
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "rebill_to_client" in fields:
        fields["rebill_to_client"] = bool(fields["rebill_to_client"])
    if "vehicle_type" in fields:
        fields["vehicle_type"] = fields["vehicle_type"] or ""
    for name, value in fields.items():
        setattr(line, name, value)
    old_name = line.receipt.name if upload is not None else ""
    old_storage = line.receipt.storage
    _prepare(line, upload)
    try:
        _save_line(line, upload, updated_by)
        _recompute_totals(claim)
    except Exception:
        _discard_upload(line, upload)
        raise
    if old_name and old_name != line.receipt.name:
        _delete_file_on_commit(old_storage, old_name)
    return line


@transaction.atomic
def expense_line_remove(*, line: ExpenseLine, removed_by=None) -> None:
    """Remove a line of a draft claim (its receipt is deleted after commit)."""
    claim = _lock(line.claim)
    _require_editable(claim)
    line = ExpenseLine.objects.filter(pk=line.pk, claim=claim).first()
    if line is None:
        return
    name, storage = line.receipt.name, line.receipt.storage
    _history_user(line, removed_by)
    line.delete()
    _delete_file_on_commit(storage, name)
    _recompute_totals(claim)


# --- rebilling ------------------------------------------------------------------------------
@transaction.atomic
def expense_lines_mark_rebilled(*, lines, invoice_reference: str) -> int:
    """Record that these lines were rebilled on invoice `invoice_reference` (called by the
    invoice service when it issues the invoice). Idempotent for the same reference; a line
    already rebilled on another invoice, not marked for rebilling or whose claim is not
    approved refuses the whole batch. Returns the number of lines newly marked."""
    reference = (invoice_reference or "").strip()
    if not reference:
        raise ValidationError({"invoice_reference": _("Give the invoice reference.")})
    ids = sorted({getattr(line, "pk", line) for line in lines})
    rows = list(
        ExpenseLine.objects.select_for_update(of=("self",))
        .select_related("claim")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    missing = sorted(set(ids) - {row.pk for row in rows})
    if missing:
        raise ValidationError(
            {
                "lines": _("Unknown expense line(s): %(ids)s.")
                % {"ids": ", ".join(map(str, missing))}
            }
        )
    to_mark = []
    for row in rows:
        if not row.rebill_to_client:
            raise DomainError(
                _("Expense line #%(id)s is not marked for rebilling.") % {"id": row.pk},
                code="expense_line_not_rebillable",
            )
        if row.claim.status not in ExpenseClaim.REBILLABLE:
            raise DomainError(
                _("Expense line #%(id)s belongs to a claim that is not approved.") % {"id": row.pk},
                code="expense_line_not_rebillable",
            )
        if row.rebilled_invoice_reference:
            if row.rebilled_invoice_reference != reference:
                raise DomainError(
                    _("Expense line #%(id)s is already rebilled on invoice %(reference)s.")
                    % {"id": row.pk, "reference": row.rebilled_invoice_reference},
                    code="expense_line_already_rebilled",
                )
            continue
        to_mark.append(row.pk)
    if to_mark:
        ExpenseLine.objects.filter(pk__in=to_mark).update(
            rebilled_invoice_reference=reference, rebilled_at=timezone.now()
        )
    return len(to_mark)
