"""Writes on client companies and their contacts.

Every write runs in one transaction, calls full_clean() (the rules of models.py and
identifiers.py) before saving, and records the acting user in the history
(django-simple-history reads `_history_user`; without it, the request's user from the
middleware).
"""

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError

from .models import ClientCompany, ClientContact

CLIENT_FIELDS = frozenset(
    {
        "legal_name",
        "trade_name",
        "legal_form",
        "country",
        "siren",
        "siret",
        "vat_number",
        "registration_id",
        "billing_address_line1",
        "billing_address_line2",
        "billing_postal_code",
        "billing_city",
        "billing_country",
        "delivery_address_line1",
        "delivery_address_line2",
        "delivery_postal_code",
        "delivery_city",
        "delivery_country",
        "payment_terms_kind",
        "payment_terms_days",
        "document_language",
        "notes",
        "is_active",
    }
)


class ClientInUse(DomainError):
    """409 Conflict: the request is valid but other records still refer to the client."""

    code = "client_in_use"
    status_code = 409


CONTACT_FIELDS = frozenset(
    {"kind", "civility", "first_name", "last_name", "job_title", "email", "phone", "is_primary"}
)


def _assign(instance, fields: Mapping, allowed: frozenset) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown field(s) for {type(instance).__name__}: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _by(instance, user) -> None:
    # Only when given: None would hide the request user set by the history middleware.
    if user is not None:
        instance._history_user = user


def _save_checked(instance, **kwargs) -> None:
    """Save; if a concurrent request took the same SIREN/SIRET after our full_clean, the
    unique constraint fires: re-validate to turn it into the usual field message."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError:
        instance.full_clean()
        raise


# --- client companies -----------------------------------------------------------------


@transaction.atomic
def client_create(
    *,
    created_by: AbstractBaseUser | None = None,
    contacts: Iterable[Mapping] | None = None,
    **fields,
) -> ClientCompany:
    """Create a client and its contacts together: any invalid contact saves nothing."""
    client = ClientCompany()
    _assign(client, fields, CLIENT_FIELDS)
    client.full_clean()
    _by(client, created_by)
    _save_checked(client)
    _contacts_create(client=client, contacts=list(contacts or []), user=created_by)
    return client


@transaction.atomic
def client_update(
    *, client: ClientCompany, updated_by: AbstractBaseUser | None = None, **fields
) -> ClientCompany:
    """Change some fields of a client (the others keep their value)."""
    locked = ClientCompany.objects.select_for_update().get(pk=client.pk)
    _assign(locked, fields, CLIENT_FIELDS)
    locked.full_clean()
    _by(locked, updated_by)
    _save_checked(locked)
    return locked


@transaction.atomic
def client_deactivate(
    *, client: ClientCompany, deactivated_by: AbstractBaseUser | None = None
) -> ClientCompany:
    """Hide a client from new missions and invoices; its history and documents stay."""
    locked = ClientCompany.objects.select_for_update().get(pk=client.pk)
    if locked.is_active:
        locked.is_active = False
        _by(locked, deactivated_by)
        locked.save(update_fields=["is_active", "updated_at"])
    return locked


@transaction.atomic
def client_delete(*, client: ClientCompany, deleted_by: AbstractBaseUser | None = None) -> None:
    """Delete a client that nothing refers to.

    Today nothing else points to a client, so deletion always succeeds. Apps that later
    refer to clients (missions, invoices) use on_delete=PROTECT: deleting a client in use
    then raises `client_in_use` (409) and the client should be deactivated instead.
    """
    locked = ClientCompany.objects.select_for_update().get(pk=client.pk)
    _by(locked, deleted_by)
    try:
        with transaction.atomic():
            # One by one so that each contact's history row names the user too.
            for contact in list(locked.contacts.all()):
                _by(contact, deleted_by)
                contact.delete()
            locked.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ClientInUse(
            _("The client “%(client)s” is in use and cannot be deleted: deactivate it instead.")
            % {"client": locked.legal_name}
        ) from error


# --- contacts -------------------------------------------------------------------------


def _contacts_create(*, client: ClientCompany, contacts: list[Mapping], user) -> None:
    errors: dict[str, list] = {}
    built: list[ClientContact] = []
    primary_kinds: dict[str, int] = {}
    for index, data in enumerate(contacts):
        contact = ClientContact(client=client)
        _assign(contact, data, CONTACT_FIELDS)
        try:
            contact.full_clean(exclude=["client"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                key = f"contacts.{index}" + ("" if field == "__all__" else f".{field}")
                errors.setdefault(key, []).extend(messages)
        if contact.is_primary:
            if contact.kind in primary_kinds:
                errors.setdefault(f"contacts.{index}.is_primary", []).append(
                    _("Only one contact of each kind can be primary.")
                )
            primary_kinds[contact.kind] = index
        built.append(contact)
    if errors:
        raise ValidationError(errors)
    for contact in built:
        if contact.kind not in primary_kinds:
            # The first contact of a kind becomes its primary contact.
            contact.is_primary = True
            primary_kinds[contact.kind] = -1
        _by(contact, user)
        contact.save()


def _demote_other_primaries(contact: ClientContact, user) -> None:
    """One primary contact per kind: choosing a new one demotes the previous one."""
    others = ClientContact.objects.select_for_update().filter(
        client_id=contact.client_id, kind=contact.kind, is_primary=True
    )
    if contact.pk:
        others = others.exclude(pk=contact.pk)
    for other in others:
        other.is_primary = False
        _by(other, user)
        other.save(update_fields=["is_primary", "updated_at"])


def _has_primary(client_id: int, kind: str, exclude_pk: int | None = None) -> bool:
    query = ClientContact.objects.filter(client_id=client_id, kind=kind, is_primary=True)
    if exclude_pk:
        query = query.exclude(pk=exclude_pk)
    return query.exists()


@transaction.atomic
def contact_add(
    *, client: ClientCompany, added_by: AbstractBaseUser | None = None, **fields
) -> ClientContact:
    """Add a contact. The first contact of a kind, or one marked primary, becomes primary."""
    ClientCompany.objects.select_for_update().filter(pk=client.pk).first()
    contact = ClientContact(client=client)
    _assign(contact, fields, CONTACT_FIELDS)
    if not contact.is_primary and contact.kind and not _has_primary(client.pk, contact.kind):
        contact.is_primary = True
    if contact.is_primary:
        _demote_other_primaries(contact, added_by)
    contact.full_clean()
    _by(contact, added_by)
    contact.save()
    return contact


@transaction.atomic
def contact_update(
    *, contact: ClientContact, updated_by: AbstractBaseUser | None = None, **fields
) -> ClientContact:
    ClientCompany.objects.select_for_update().filter(pk=contact.client_id).first()
    locked = ClientContact.objects.select_for_update().get(pk=contact.pk)
    _assign(locked, fields, CONTACT_FIELDS)
    if locked.is_primary:
        _demote_other_primaries(locked, updated_by)
    locked.full_clean()
    _by(locked, updated_by)
    locked.save()
    return locked


@transaction.atomic
def contact_remove(*, contact: ClientContact, removed_by: AbstractBaseUser | None = None) -> None:
    locked = ClientContact.objects.select_for_update().get(pk=contact.pk)
    _by(locked, removed_by)
    locked.delete()
