"""Writes on the compte d'activité. Every app that moves a consultant's money calls these.

Idempotency: an entry with a source document is unique per (source, kind), so a retried job
never posts twice. Posting the same (source, kind) again returns the existing entry when it
says the same thing (same consultant, same amount); anything else is a bug upstream and is
refused loudly (`LedgerConflict`), never swallowed.

Choose the source so that "the same source" means "the same movement": the payment
allocation (lettrage) row rather than the invoice, the payslip rather than the pay run.
A source whose entry was reversed cannot be posted again under the same kind: a new movement
needs its own source document (or a staff adjustment).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.money import CENT, to_decimal

from .models import LedgerEntry, LedgerEntryKind

# Foreign keys are given as instances by the callers: checking them costs a query each
# (ForeignKey.validate) and the database refuses a wrong id anyway.
_FK_FIELDS = ["consultant", "source_content_type", "created_by", "reverses"]
# Pre-check of existing (source, kind) pairs: this many source ids per query.
_PRECHECK_CHUNK = 5000
_BULK_BATCH = 1000


class LedgerConflict(DomainError):
    """The ledger already holds something different for this source, or refuses a second
    reversal."""

    code = "ledger_conflict"
    status_code = 409


@dataclass(frozen=True)
class LedgerPosting:
    """One entry to post with `ledger_post_many` (same meaning as `ledger_post`'s arguments)."""

    consultant: models.Model
    kind: str
    amount: Decimal
    entry_date: date
    label: str
    source: models.Model | None = None
    created_by: models.Model | None = None


def _amount(value) -> Decimal:
    """Money in, as a Decimal to the cent. Never rounds silently: 10.005 is an error."""
    try:
        amount = to_decimal(value)
    except TypeError as error:
        raise ValidationError(
            {"amount": _("The amount must be a decimal number, not a float.")}
        ) from error
    except ArithmeticError as error:
        raise ValidationError({"amount": _("Enter a valid amount.")}) from error
    if not amount.is_finite():
        raise ValidationError({"amount": _("Enter a valid amount.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("The amount cannot have more than 2 decimal places.")})
    return amount.quantize(CENT)


def _build(posting: LedgerPosting, *, reverses: LedgerEntry | None = None) -> LedgerEntry:
    source = posting.source
    if source is not None and getattr(source, "pk", None) is None:
        raise ValidationError({"source": _("The source document must be saved first.")})
    if posting.kind not in LedgerEntryKind.values:
        raise ValidationError({"kind": _("Unknown kind of ledger entry.")})
    if posting.kind == LedgerEntryKind.REVERSAL and reverses is None:
        raise ValidationError({"kind": _("Use the reversal action to reverse an entry.")})
    entry = LedgerEntry(
        consultant=posting.consultant,
        kind=posting.kind,
        amount=_amount(posting.amount),
        entry_date=posting.entry_date,
        label=(posting.label or "").strip(),
        created_by=posting.created_by,
        reverses=reverses,
    )
    if source is not None:
        entry.source_content_type = ContentType.objects.get_for_model(source)
        entry.source_object_id = source.pk
    entry.full_clean(exclude=_FK_FIELDS, validate_unique=False, validate_constraints=False)
    return entry


def _key(entry: LedgerEntry) -> tuple[int, int, str]:
    return (entry.source_content_type_id, entry.source_object_id, entry.kind)


def _same_or_conflict(existing: LedgerEntry, wanted: LedgerEntry) -> LedgerEntry:
    """A repost of (source, kind): a no-op if it says the same thing, else refused."""
    if existing.consultant_id != wanted.consultant_id or existing.amount != wanted.amount:
        raise LedgerConflict(
            _(
                "This source document is already posted as “%(kind)s” with a different"
                " consultant or amount (%(existing)s € posted, %(wanted)s € asked). Reverse"
                " the posted entry first if it is wrong."
            )
            % {"kind": existing.kind_label, "existing": existing.amount, "wanted": wanted.amount},
            code="ledger_source_conflict",
        )
    if existing.reversals.exists():
        raise LedgerConflict(
            _(
                "This source document was posted as “%(kind)s” and then reversed; a new"
                " movement needs its own source document."
            )
            % {"kind": existing.kind_label},
            code="ledger_source_reversed",
        )
    return existing


def _existing_for(entry: LedgerEntry) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(
        source_content_type_id=entry.source_content_type_id,
        source_object_id=entry.source_object_id,
        kind=entry.kind,
    ).first()


def _insert(entry: LedgerEntry) -> LedgerEntry:
    """INSERT, or return what a concurrent transaction inserted for the same (source, kind)."""
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        existing = _existing_for(entry) if entry.has_source else None
        if existing is None:
            raise
        return _same_or_conflict(existing, entry)
    return entry


def ledger_post(
    *,
    consultant,
    kind: str,
    amount: Decimal,
    entry_date: date,
    label: str,
    source: models.Model | None = None,
    created_by=None,
) -> LedgerEntry:
    """Post one movement on a consultant's compte d'activité; idempotent per (source, kind).

    `amount` is signed (+ adds to the account); a Decimal, an int or a string, at most 2
    decimal places. Raises ValidationError for bad input, LedgerConflict (409) when the same
    (source, kind) is already posted differently or was reversed.
    """
    entry = _build(
        LedgerPosting(
            consultant=consultant,
            kind=kind,
            amount=amount,
            entry_date=entry_date,
            label=label,
            source=source,
            created_by=created_by,
        )
    )
    with transaction.atomic():
        if entry.has_source:
            existing = _existing_for(entry)
            if existing is not None:
                return _same_or_conflict(existing, entry)
        return _insert(entry)


def ledger_post_many(*, entries: list[LedgerPosting]) -> list[LedgerEntry]:
    """Post a batch (the payroll run): one pre-check query, then bulk INSERTs.

    Returns one entry per posting, in order: the existing one for a (source, kind) already
    posted with the same consultant and amount, the new one otherwise. A pair repeated inside
    the batch, or already posted differently, refuses the whole batch (nothing is written).
    Query count does not depend on the batch size (up to 5,000 sources per pre-check query).
    """
    built: list[LedgerEntry] = []
    for index, posting in enumerate(entries):
        try:
            built.append(_build(posting))
        except ValidationError as error:
            by_field = (
                error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            )
            raise ValidationError(
                {
                    field: [
                        _("Posting %(index)s: %(message)s") % {"index": index + 1, "message": m}
                        for m in messages
                    ]
                    for field, messages in by_field.items()
                }
            ) from error
    seen: set[tuple[int, int, str]] = set()
    for entry in built:
        if entry.has_source:
            if _key(entry) in seen:
                raise LedgerConflict(
                    _("The same source document is posted twice as “%(kind)s” in one batch.")
                    % {"kind": entry.kind_label},
                    code="ledger_duplicate_in_batch",
                )
            seen.add(_key(entry))

    with transaction.atomic():
        existing = _existing_by_key(built)
        result: list[LedgerEntry] = []
        to_create: list[LedgerEntry] = []
        for entry in built:
            found = existing.get(_key(entry)) if entry.has_source else None
            if found is not None:
                result.append(_same_or_conflict_batch(found, entry))
            else:
                result.append(entry)
                to_create.append(entry)
        if to_create:
            LedgerEntry.objects.bulk_create(to_create, batch_size=_BULK_BATCH)
    return result


def _existing_by_key(built: list[LedgerEntry]) -> dict[tuple[int, int, str], LedgerEntry]:
    ids_by_type: dict[int, set[int]] = {}
    for entry in built:
        if entry.has_source:
            ids_by_type.setdefault(entry.source_content_type_id, set()).add(entry.source_object_id)
    pairs = [(ct_id, object_id) for ct_id, ids in ids_by_type.items() for object_id in sorted(ids)]
    kinds = {entry.kind for entry in built if entry.has_source}
    found: dict[tuple[int, int, str], LedgerEntry] = {}
    for start in range(0, len(pairs), _PRECHECK_CHUNK):
        chunk = pairs[start : start + _PRECHECK_CHUNK]
        query = models.Q()
        for ct_id in {ct for ct, _oid in chunk}:
            query |= models.Q(
                source_content_type_id=ct_id,
                source_object_id__in=[oid for ct, oid in chunk if ct == ct_id],
            )
        rows = (
            LedgerEntry.objects.filter(query, kind__in=kinds)
            # Whether each was reversed, in the same query (no N+1 in the conflict check).
            .annotate(reversed_count=models.Count("reversals"))
            .order_by()
        )
        found.update({_key(row): row for row in rows})
    return found


def _same_or_conflict_batch(existing: LedgerEntry, wanted: LedgerEntry) -> LedgerEntry:
    if existing.reversed_count:
        raise LedgerConflict(
            _(
                "This source document was posted as “%(kind)s” and then reversed; a new"
                " movement needs its own source document."
            )
            % {"kind": existing.kind_label},
            code="ledger_source_reversed",
        )
    if existing.consultant_id != wanted.consultant_id or existing.amount != wanted.amount:
        return _same_or_conflict(existing, wanted)  # raises the conflict
    return existing


def ledger_reverse(
    *, entry: LedgerEntry, reason: str, created_by, entry_date: date | None = None
) -> LedgerEntry:
    """Cancel an entry with a new one of the opposite amount (an entry is reversed once).

    `reason` becomes the label shown to the consultant. The reversal is dated today
    (Europe/Paris) unless `entry_date` is given; it cannot be dated before the original.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason of the reversal.")})
    with transaction.atomic():
        original = (
            LedgerEntry.objects.select_for_update().select_related("consultant").get(pk=entry.pk)
        )
        if original.kind == LedgerEntryKind.REVERSAL:
            raise LedgerConflict(
                _("A reversal cannot be reversed: post an adjustment instead."),
                code="ledger_reversal_of_reversal",
            )
        if original.reversals.exists():
            raise LedgerConflict(
                _("This entry is already reversed."), code="ledger_already_reversed"
            )
        entry_date = entry_date or timezone.localdate()
        if entry_date < original.entry_date:
            raise ValidationError(
                {
                    "entry_date": _(
                        "A reversal cannot be dated before the entry it reverses (%(date)s)."
                    )
                    % {"date": original.entry_date.isoformat()}
                }
            )
        reversal = _build(
            LedgerPosting(
                consultant=original.consultant,
                kind=LedgerEntryKind.REVERSAL,
                amount=-original.amount,
                entry_date=entry_date,
                label=reason,
                created_by=created_by,
            ),
            reverses=original,
        )
        try:
            with transaction.atomic():
                reversal.save()
        except IntegrityError as error:
            # Another transaction reversed it between our check and our insert.
            raise LedgerConflict(
                _("This entry is already reversed."), code="ledger_already_reversed"
            ) from error
    return reversal


def ledger_adjust(
    *, consultant, amount: Decimal, label: str, created_by, entry_date: date
) -> LedgerEntry:
    """A staff correction without source document: signed amount, a label, and its author."""
    errors = {}
    if created_by is None:
        errors["created_by"] = _("An adjustment must record who posted it.")
    if not (label or "").strip():
        errors["label"] = _("Explain the adjustment: the label is shown to the consultant.")
    if errors:
        raise ValidationError(errors)
    return ledger_post(
        consultant=consultant,
        kind=LedgerEntryKind.ADJUSTMENT,
        amount=amount,
        entry_date=entry_date,
        label=label,
        created_by=created_by,
    )
