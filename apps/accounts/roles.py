"""The three roles (DESIGN.md §3.10) as Django groups with model permissions.

- staff (gestionnaires): manage consultants, clients, contracts, activity, payroll;
  everything except finance exports.
- finance: invoices, payments, reminders and exports; read on the rest.
- consultant: the portal only; what they see is limited to their own records by the
  selectors (`*_for_user`), not by model permissions.

Each later app adds its permissions to ROLE_PERMISSIONS: one table, reviewed in one place.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff (gestionnaire)")
    FINANCE = "finance", _("Finance")
    CONSULTANT = "consultant", _("Consultant")


VIEW = ("view",)
MANAGE = ("view", "add", "change")
MANAGE_ALL = ("view", "add", "change", "delete")

# {role: {"app_label.model": actions}}; extra custom permissions as "app_label.codename".
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.STAFF: {
        "accounts.user": MANAGE,
        "core.companyprofile": ("view", "change"),
        "consultants.consultant": MANAGE,
        "clients.clientcompany": MANAGE_ALL,
        "clients.clientcontact": MANAGE_ALL,
        "compliance.activitycategory": MANAGE,
        "compliance.findingacknowledgement": VIEW,
        "compliance.contractalert": VIEW,
        "commercial_contracts.commercialcontract": MANAGE,
        "commercial_contracts.commercialcontractversion": MANAGE,
        "employment_contracts.employmentcontract": MANAGE,
        "employment_contracts.employmentcontractrenewal": MANAGE,
        "ledger.ledgerentry": ("view", "add"),
        "activity.activityreport": MANAGE,
        "activity.expenseclaim": MANAGE,
        # Staff turn validated reports into invoices and issue them; money is finance's.
        "invoices.invoice": MANAGE,
        "invoices.invoicesending": VIEW,
        "invoices.payment": VIEW,
        "invoices.paymentallocation": VIEW,
        "invoices.bankstatementimport": VIEW,
        "payslips.payslip": VIEW,
        "payroll.payrollrun": MANAGE,
        "payroll.payoutrequest": MANAGE,
    },
    Role.FINANCE: {
        "accounts.user": VIEW,
        "core.companyprofile": VIEW,
        "consultants.consultant": VIEW,
        "clients.clientcompany": VIEW,
        "clients.clientcontact": VIEW,
        "compliance.activitycategory": VIEW,
        "compliance.findingacknowledgement": VIEW,
        "compliance.contractalert": VIEW,
        "commercial_contracts.commercialcontract": VIEW,
        "commercial_contracts.commercialcontractversion": VIEW,
        "employment_contracts.employmentcontract": VIEW,
        "employment_contracts.employmentcontractrenewal": VIEW,
        "ledger.ledgerentry": ("view", "add"),
        "activity.activityreport": VIEW,
        "activity.expenseclaim": ("view", "change"),
        "invoices.invoice": MANAGE,
        "invoices.invoicesending": VIEW,
        "invoices.payment": MANAGE,
        "invoices.paymentallocation": MANAGE,
        "invoices.bankstatementimport": MANAGE,
        "payslips.payslip": VIEW,
        "payroll.payrollrun": VIEW,
        "payroll.payoutrequest": VIEW,
    },
    Role.CONSULTANT: {},
}


def role_permissions(role: str) -> list[Permission]:
    wanted = ROLE_PERMISSIONS.get(role, {})
    codenames_by_app: dict[str, set[str]] = {}
    for model_key, actions in wanted.items():
        app_label, model_name = model_key.split(".")
        codenames_by_app.setdefault(app_label, set()).update(
            f"{action}_{model_name}" for action in actions
        )
    query = models.Q(pk__in=[])
    for app_label, codenames in codenames_by_app.items():
        query |= models.Q(content_type__app_label=app_label, codename__in=codenames)
    return list(Permission.objects.filter(query))


def roles_sync(using: str = "default") -> None:
    """Create the role groups and set exactly their permissions (idempotent)."""
    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.set(role_permissions(role.value))


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def user_has_role(user, role: str) -> bool:
    return role in user_roles(user)


def user_is_consultant(user) -> bool:
    return user_has_role(user, Role.CONSULTANT)


def user_is_back_office(user) -> bool:
    """Staff or finance (or a superuser): the people who work in the admin."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & {Role.STAFF, Role.FINANCE})
