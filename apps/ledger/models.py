"""The compte d'activité (L1254-25, CCN 18.1 and 21.4): append-only entries per consultant.

Every movement of a consultant's money is one `LedgerEntry`: a signed amount, a kind, a date
and a link to the document that caused it (client payment, fee, expense claim, payslip).
Balances are sums computed on demand (DESIGN.md §3.6, after django-hordak), never a stored
field. An entry is never changed nor deleted: a mistake is corrected by a reversal, which is
a new entry of the opposite amount pointing to the one it cancels.

Append-only is enforced at three levels: `save()` refuses to write an existing row and
`delete()` refuses; the manager's queryset refuses `update()`/`delete()`/`bulk_update()`;
on PostgreSQL a trigger refuses UPDATE and DELETE of the table (migration 0002). The other
invariants are CHECK and UNIQUE constraints, mirrored in `clean()` to give clear messages.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class AppendOnlyError(DomainError):
    """Someone tried to change or delete a ledger entry."""

    code = "ledger_append_only"
    status_code = 409


class LedgerEntryKind(models.TextChoices):
    # + the share excl. VAT of a client payment actually received (PR-24: on cash receipt)
    TURNOVER_COLLECTED = "turnover_collected", _("Turnover collected (excl. VAT)")
    # − the management fee kept by the company on that payment (PR-28)
    MANAGEMENT_FEE = "management_fee", _("Management fee")
    # − professional expenses reimbursed to the consultant
    EXPENSE_REIMBURSED = "expense_reimbursed", _("Expense reimbursed")
    # − the employer cost (gross pay + employer contributions) of a payslip
    SALARY_EMPLOYER_COST = "salary_employer_cost", _("Salary (employer cost)")
    # − provision moved to the financial reserve (PR-18), + when released
    FINANCIAL_RESERVE = "financial_reserve", _("Financial reserve")
    # ± reserve released to fund a payout (allocation de prospection, end of contract, PR-19)
    RESERVE_PAYOUT = "reserve_payout", _("Reserve payout")
    # − paid-leave provision (PR-20), + when released
    PAID_LEAVE_PROVISION = "paid_leave_provision", _("Paid leave provision")
    # ± correction made by staff (or a movement whose kind is none of the above)
    ADJUSTMENT = "adjustment", _("Adjustment")
    # ± the exact opposite of another entry
    REVERSAL = "reversal", _("Reversal")
    # ± balance carried over when the account starts in this software
    OPENING_BALANCE = "opening_balance", _("Opening balance")


# Kinds whose sign never changes: a wrong sign is a bug upstream, refused (also by the DB).
CREDIT_KINDS = frozenset({LedgerEntryKind.TURNOVER_COLLECTED})
DEBIT_KINDS = frozenset(
    {
        LedgerEntryKind.MANAGEMENT_FEE,
        LedgerEntryKind.EXPENSE_REIMBURSED,
        LedgerEntryKind.SALARY_EMPLOYER_COST,
    }
)
# Kinds that may have no source document: staff entries (with `created_by`) and reversals
# (which point to the entry they reverse).
SOURCELESS_KINDS = frozenset(
    {LedgerEntryKind.ADJUSTMENT, LedgerEntryKind.OPENING_BALANCE, LedgerEntryKind.REVERSAL}
)
# Reserve balance = −(sum of these kinds): provisions are negative on the compte d'activité.
RESERVE_KINDS = frozenset({LedgerEntryKind.FINANCIAL_RESERVE, LedgerEntryKind.RESERVE_PAYOUT})


def _append_only_error() -> AppendOnlyError:
    return AppendOnlyError(
        _("Ledger entries cannot be changed or deleted: post a reversal or an adjustment instead.")
    )


class LedgerEntryQuerySet(models.QuerySet):
    """Reads and inserts only. `bulk_create` stays (batched postings) but may not upsert."""

    def update(self, **kwargs):
        raise _append_only_error()

    update.alters_data = True

    def _update(self, values):
        raise _append_only_error()

    _update.alters_data = True
    _update.queryset_only = True

    def bulk_update(self, objs, fields, batch_size=None):
        raise _append_only_error()

    bulk_update.alters_data = True

    def delete(self):
        raise _append_only_error()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts") or kwargs.get("ignore_conflicts"):
            # Upserting would change rows; ignoring conflicts would hide a double posting.
            raise _append_only_error()
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def for_consultant(self, consultant) -> "LedgerEntryQuerySet":
        return self.filter(consultant=consultant)


LedgerEntryManager = models.Manager.from_queryset(LedgerEntryQuerySet)


class LedgerEntry(models.Model):
    Kind = LedgerEntryKind

    consultant = models.ForeignKey(
        "consultants.Consultant",
        verbose_name=_("consultant"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        db_index=False,  # the (consultant, entry_date, id) index starts with it
    )
    entry_date = models.DateField(
        _("date"), help_text=_("Date of the movement (Europe/Paris), e.g. the payment date.")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=LedgerEntryKind.choices)
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Positive when it adds to the consultant's account, negative otherwise."),
    )
    label = models.CharField(
        _("label"), max_length=255, help_text=_("Text shown to the consultant.")
    )
    source_content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source document type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the (source, kind) unique constraint starts with it
    )
    source_object_id = models.PositiveBigIntegerField(
        _("source document id"), null=True, blank=True
    )
    source = GenericForeignKey("source_content_type", "source_object_id")
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        db_index=False,  # indexed by the unique constraint "reversed once"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries_posted",
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    objects = LedgerEntryManager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["entry_date", "id"]
        base_manager_name = "objects"
        # Entries are never changed nor deleted: no such permissions exist.
        default_permissions = ("add", "view")
        indexes = [
            # Balance at a date and statements: a range scan on one consultant's entries.
            models.Index(
                fields=["consultant", "entry_date", "id"], name="ledger_consultant_date_idx"
            ),
            # Back-office lists, newest first across all consultants (scanned backwards).
            models.Index(fields=["entry_date", "id"], name="ledger_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_content_type", "source_object_id", "kind"],
                condition=Q(source_content_type__isnull=False),
                name="ledger_entry_unique_source_kind",
                violation_error_message=_("This source document is already posted as this kind."),
            ),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=Q(reverses__isnull=False),
                name="ledger_entry_reversed_once",
                violation_error_message=_("This entry is already reversed."),
            ),
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="ledger_entry_amount_not_zero",
                violation_error_message=_("The amount cannot be zero."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(CREDIT_KINDS)) | Q(amount__gt=0),
                name="ledger_entry_credit_kind_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(DEBIT_KINDS)) | Q(amount__lt=0),
                name="ledger_entry_debit_kind_negative",
            ),
            models.CheckConstraint(
                condition=Q(source_content_type__isnull=True, source_object_id__isnull=True)
                | Q(source_content_type__isnull=False, source_object_id__isnull=False),
                name="ledger_entry_source_complete",
            ),
            models.CheckConstraint(
                condition=Q(source_content_type__isnull=False)
                | Q(kind__in=sorted(SOURCELESS_KINDS)),
                name="ledger_entry_source_required",
            ),
            models.CheckConstraint(
                condition=Q(source_content_type__isnull=False)
                | Q(kind=LedgerEntryKind.REVERSAL)
                | Q(created_by__isnull=False),
                name="ledger_entry_sourceless_has_author",
            ),
            models.CheckConstraint(
                condition=Q(kind=LedgerEntryKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=LedgerEntryKind.REVERSAL) & Q(reverses__isnull=True)),
                name="ledger_entry_reversal_points_to_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_date} · {self.kind_label} · {self.amount} €"

    # --- append-only ------------------------------------------------------------------
    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise _append_only_error()
        # Always INSERT: an explicit primary key must not turn the save into an UPDATE.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise _append_only_error()

    delete.alters_data = True

    @property
    def kind_label(self) -> str:
        try:
            return str(LedgerEntryKind(self.kind).label)
        except ValueError:
            return self.kind

    @property
    def is_credit(self) -> bool:
        return self.amount is not None and self.amount > 0

    @property
    def has_source(self) -> bool:
        return self.source_content_type_id is not None

    # --- validation (the constraints, with messages naming the field) -------------------
    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        kind_label = self.kind_label
        if self.amount is not None:
            if self.amount == 0:
                add("amount", _("The amount cannot be zero."))
            elif self.kind in CREDIT_KINDS and self.amount < 0:
                add(
                    "amount",
                    _(
                        "An entry of kind “%(kind)s” adds to the account: its amount must be positive."
                    )
                    % {"kind": kind_label},
                )
            elif self.kind in DEBIT_KINDS and self.amount > 0:
                add(
                    "amount",
                    _(
                        "An entry of kind “%(kind)s” is taken from the account: its amount must be"
                        " negative."
                    )
                    % {"kind": kind_label},
                )
        has_type = self.source_content_type_id is not None
        has_id = self.source_object_id is not None
        if has_type != has_id:
            add("source", _("The source document needs both its type and its id."))
        if not has_type and self.kind and self.kind not in SOURCELESS_KINDS:
            add(
                "source",
                _("An entry of kind “%(kind)s” must point to the document that caused it.")
                % {"kind": kind_label},
            )
        if (
            not has_type
            and self.kind in SOURCELESS_KINDS
            and self.kind != LedgerEntryKind.REVERSAL
            and self.created_by_id is None
        ):
            add(
                "created_by",
                _("An entry without a source document must record who posted it."),
            )
        if self.kind == LedgerEntryKind.REVERSAL:
            if self.reverses_id is None:
                add("reverses", _("A reversal must point to the entry it reverses."))
            else:
                original = self.reverses
                if self.amount is not None and original.amount != -self.amount:
                    add("amount", _("A reversal's amount must be the opposite of the original."))
                if original.consultant_id != self.consultant_id:
                    add(
                        "consultant",
                        _("A reversal belongs to the consultant of the entry it reverses."),
                    )
        elif self.reverses_id is not None:
            add("reverses", _("Only a reversal can point to a reversed entry."))
        if errors:
            raise ValidationError(errors)
