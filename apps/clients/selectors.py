"""Reads on client companies and contacts, scoped to the user who asks."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import user_is_back_office
from apps.core.errors import NotFound

from .models import ClientCompany, ClientContact
from .rules import due_date


def clients_list() -> QuerySet[ClientCompany]:
    """Every client with its contacts prefetched: one query for clients, one for contacts."""
    return ClientCompany.objects.prefetch_related(
        Prefetch("contacts", queryset=ClientContact.objects.order_by(*ClientContact._meta.ordering))
    )


def clients_for_user(user) -> QuerySet[ClientCompany]:
    """Back-office users (staff, finance) see every client; consultants none for now.

    A later issue gives consultants read access to the clients of their own missions.
    """
    if user_is_back_office(user):
        return clients_list()
    return ClientCompany.objects.none()


def client_contacts_for_user(user) -> QuerySet[ClientContact]:
    if user_is_back_office(user):
        return ClientContact.objects.all()
    return ClientContact.objects.none()


def client_count() -> int:
    """Active clients (the admin dashboard's KPI)."""
    return ClientCompany.objects.filter(is_active=True).count()


def client_get(pk: int) -> ClientCompany:
    client = clients_list().filter(pk=pk).first()
    if client is None:
        raise NotFound(_("No client with id %(id)s.") % {"id": pk})
    return client


def client_due_date(*, client: ClientCompany, issue_date: date) -> date:
    """Due date of an invoice to `client` issued on `issue_date` (see rules.due_date)."""
    return due_date(
        issue_date=issue_date, kind=client.payment_terms_kind, days=client.payment_terms_days
    )


def client_primary_contact(*, client: ClientCompany, kind: str) -> ClientContact | None:
    """The primary contact of a kind (billing: where invoices go), from the prefetch if any."""
    return next((c for c in client.contacts.all() if c.kind == kind and c.is_primary), None)
