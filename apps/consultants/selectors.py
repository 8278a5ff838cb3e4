"""Reads on consultants, scoped to who asks (DESIGN.md §3.10)."""

from django.db.models import Count, QuerySet

from apps.accounts.roles import user_is_back_office, user_is_consultant

from .models import Consultant


def consultant_list() -> QuerySet[Consultant]:
    """Every consultant, with the portal account joined (lists show it without a query)."""
    return Consultant.objects.select_related("user")


def consultants_for_user(user) -> QuerySet[Consultant]:
    """Back-office: all; a consultant: only their own record; anyone else: nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Consultant.objects.none()
    if user_is_back_office(user):
        return consultant_list()
    if user_is_consultant(user):
        return consultant_list().filter(user=user)
    return Consultant.objects.none()


def consultant_get_for_user(user) -> Consultant | None:
    """The consultant profile linked to this portal account, if any."""
    if user is None or not user.is_authenticated:
        return None
    return consultant_list().filter(user=user).first()


def consultant_counts_by_status() -> dict[str, int]:
    """{status: count} with every status present (0 when none)."""
    counts = dict.fromkeys(Consultant.Status.values, 0)
    rows = Consultant.objects.order_by().values("status").annotate(n=Count("pk"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
