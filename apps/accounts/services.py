"""Writes on users: creation with a role, invitations and password e-mails."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .roles import Role

User = get_user_model()


@transaction.atomic
def user_create(
    *,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "fr",
    password: str | None = None,
) -> "User":
    """Create a user with exactly one role. Without a password, the account waits for an invite."""
    email = (email or "").strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_staff=role in (Role.STAFF, Role.FINANCE),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    return user


@transaction.atomic
def user_update_identity(*, user, email: str, first_name: str, last_name: str) -> "User":
    """Keep a portal account's login and name in step with the profile it belongs to."""
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user.email, user.first_name, user.last_name = email, first_name, last_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email", "first_name", "last_name"])
    return user


def user_activation_link(*, user) -> str:
    """A one-time link to set a password: Django's reset token changes once the password does."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:activate", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def user_send_invitation(*, user, invited_by=None) -> None:
    """E-mail the one-time link, in the user's language, after the transaction commits."""
    link = user_activation_link(user=user)
    company = settings.COMPANY_DISPLAY_NAME

    def send() -> None:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"user": user, "link": link, "company": company, "invited_by": invited_by}
            subject = _("Your portage-office account: set your password")
            body = render_to_string("accounts/email/invitation.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])

    transaction.on_commit(send)
