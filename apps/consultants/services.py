"""Writes on consultants. Views, serializers, admin actions and the demo seed call these only.

Each service runs in one transaction, locks the row it changes, validates the whole record
(`full_clean`) and records who did it in the history (`_history_user`).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role, user_has_role
from apps.accounts.services import user_create, user_send_invitation, user_update_identity
from apps.core.errors import DomainError

from .models import Consultant
from .rules import EligibilityResult, consultant_eligibility

__all__ = [
    "EDITABLE_FIELDS",
    "ConsultantConflict",
    "EligibilityResult",
    "consultant_activate",
    "consultant_attach_user",
    "consultant_create",
    "consultant_eligibility",
    "consultant_invite",
    "consultant_mark_left",
    "consultant_update",
]

# Fields a create/update may set. Status, dates of status changes and the portal account
# change only through their own services (activate, mark_left, invite).
EDITABLE_FIELDS = frozenset(
    {
        "civility",
        "first_name",
        "last_name",
        "birth_name",
        "birth_date",
        "birth_place",
        "birth_country",
        "sex",
        "nir",
        "nationality",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
        "country",
        "email",
        "phone",
        "iban",
        "bic",
        "highest_diploma_level",
        "years_of_experience",
        "eligibility_evidence",
        "status_cadre",
        "management_fee_rate",
        "income_tax_rate",
        "income_tax_rate_received_on",
        "payslip_email_opt_in",
    }
)


class ConsultantConflict(DomainError):
    """The action clashes with the current state (an account already exists, ...)."""

    status_code = 409


def _check_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {
                name: _("This field cannot be set here; use the dedicated action.")
                for name in unknown
            }
        )


def _save(consultant: Consultant, *, by, update_fields: list[str] | None = None) -> Consultant:
    """Validate and save; a race on a unique field still ends as a clear field error."""
    consultant.full_clean()
    consultant._history_user = by
    try:
        with transaction.atomic():
            if update_fields is not None:
                consultant.save(update_fields=[*update_fields, "updated_at"])
            else:
                consultant.save()
    except IntegrityError:
        consultant.validate_unique()
        raise
    return consultant


def _lock(consultant: Consultant) -> Consultant:
    return Consultant.objects.select_for_update().get(pk=consultant.pk)


@transaction.atomic
def consultant_create(*, created_by=None, **fields) -> Consultant:
    """A new consultant always starts as a prospect; activate with `consultant_activate`."""
    _check_fields(fields)
    consultant = Consultant(**fields)
    return _save(consultant, by=created_by)


@transaction.atomic
def consultant_update(*, consultant: Consultant, updated_by=None, **fields) -> Consultant:
    _check_fields(fields)
    locked = _lock(consultant)
    for name, value in fields.items():
        setattr(locked, name, value)
    saved = _save(locked, by=updated_by)
    if saved.user_id and {"email", "first_name", "last_name"} & fields.keys():
        # The portal login is the consultant's e-mail: change both together or neither.
        user_update_identity(
            user=saved.user,
            email=saved.email,
            first_name=saved.first_name,
            last_name=saved.last_name,
        )
    return saved


@transaction.atomic
def consultant_activate(*, consultant: Consultant, by=None) -> Consultant:
    """prospect -> active, refused unless the consultant is eligible (PR-06)."""
    locked = _lock(consultant)
    locked.check_transition(Consultant.Status.ACTIVE)
    today = timezone.localdate()
    eligibility = consultant_eligibility(locked, on=today)
    if not eligibility.eligible:
        raise DomainError(
            _("Activation refused. %(reason)s") % {"reason": eligibility.message},
            code="not_eligible",
            fields={"highest_diploma_level": [eligibility.message]},
        )
    locked.status = Consultant.Status.ACTIVE
    locked.activated_on = today
    return _save(locked, by=by, update_fields=["status", "activated_on"])


@transaction.atomic
def consultant_mark_left(*, consultant: Consultant, left_on: date, by=None) -> Consultant:
    """active (or prospect) -> left, on the given date."""
    if not left_on:
        raise ValidationError({"left_on": _("A consultant who left needs a leaving date.")})
    locked = _lock(consultant)
    locked.check_transition(Consultant.Status.LEFT)
    locked.status = Consultant.Status.LEFT
    locked.left_on = left_on
    return _save(locked, by=by, update_fields=["status", "left_on"])


@transaction.atomic
def consultant_attach_user(*, consultant: Consultant, user, by=None) -> Consultant:
    """Link an existing consultant-role user as the consultant's portal account."""
    locked = _lock(consultant)
    if locked.user_id == user.pk:
        return locked
    if locked.user_id is not None:
        raise ConsultantConflict(
            _("This consultant already has a portal account."), code="already_linked"
        )
    if not user_has_role(user, Role.CONSULTANT):
        raise DomainError(_("The portal account must have the consultant role."), code="bad_role")
    if Consultant.objects.filter(user=user).exists():
        raise ConsultantConflict(
            _("This user is already the portal account of another consultant."),
            code="already_linked",
        )
    locked.user = user
    return _save(locked, by=by, update_fields=["user"])


def _user_has_account(user) -> bool:
    """True once the person has set a password or logged in: no invitation needed."""
    return user.has_usable_password() or user.last_login is not None


@transaction.atomic
def consultant_invite(*, consultant: Consultant, invited_by=None) -> Consultant:
    """Create (if needed) the portal account and e-mail a one-time set-password link.

    The e-mail leaves only when the transaction commits. Re-inviting someone who never
    used the link sends a fresh link; someone who already has a password is refused.
    """
    locked = _lock(consultant)
    if locked.status == Consultant.Status.LEFT:
        raise DomainError(
            _("A consultant who left cannot be invited to the portal."), code="consultant_left"
        )
    user = locked.user
    if user is None:
        user = user_create(
            email=locked.email,
            role=Role.CONSULTANT,
            first_name=locked.first_name,
            last_name=locked.last_name,
        )
        locked.user = user
    elif _user_has_account(user):
        raise ConsultantConflict(
            _("%(name)s already has an account on the portal; they can reset their password.")
            % {"name": locked.full_name},
            code="already_has_account",
        )
    locked.invited_at = timezone.now()
    _save(locked, by=invited_by, update_fields=["user", "invited_at"])
    user_send_invitation(user=user, invited_by=invited_by)
    return locked
