"""Portal invitation: account created once, e-mail sent on commit, link works once."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from apps.accounts.roles import Role, user_has_role
from apps.consultants import services
from apps.core.errors import DomainError

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"https?://[^\s]+/accounts/activate/[^\s]+/")


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_invite_creates_the_account_and_mails_on_commit(
    consultant, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.consultant_invite(consultant=consultant, invited_by=staff_user)
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    consultant.refresh_from_db()
    user = consultant.user
    assert user.email == consultant.email
    assert user_has_role(user, Role.CONSULTANT)
    assert not user.has_usable_password()
    assert not user.is_staff
    assert consultant.invited_at is not None
    assert mail.outbox[0].to == [consultant.email]
    assert LINK_RE.search(mail.outbox[0].body)


def test_no_mail_when_the_transaction_rolls_back(consultant, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.consultant_invite(consultant=consultant)
        transaction.set_rollback(True)
    assert mail.outbox == []


def test_link_sets_a_password_once_then_login_works(
    client, consultant, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.consultant_invite(consultant=consultant, invited_by=staff_user)
    path = _path(LINK_RE.search(mail.outbox[0].body).group(0))

    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_url = response.redirect_chain[-1][0]
    password = "Portail-s3cure-pass!"
    response = client.post(set_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302

    assert client.login(username=consultant.email, password=password)
    client.logout()
    response = client.get(path, follow=True)
    assert response.context["validlink"] is False


def test_reinvite_before_first_login_sends_again(consultant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.consultant_invite(consultant=consultant)
    first_user_id = type(consultant).objects.get(pk=consultant.pk).user_id
    with django_capture_on_commit_callbacks(execute=True):
        services.consultant_invite(consultant=consultant)
    consultant.refresh_from_db()
    assert len(mail.outbox) == 2
    assert consultant.user_id == first_user_id


def test_reinvite_after_password_set_is_refused(consultant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.consultant_invite(consultant=consultant)
    consultant.refresh_from_db()
    consultant.user.set_password("Portail-s3cure-pass!")
    consultant.user.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as info:
        services.consultant_invite(consultant=consultant)
    assert info.value.code == "already_has_account"
    assert "already has an account" in str(info.value)
    assert len(mail.outbox) == 1


def test_invite_refused_when_email_belongs_to_another_user(
    consultant, make_user, django_capture_on_commit_callbacks
):
    make_user(Role.STAFF, email=consultant.email)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as info:
        services.consultant_invite(consultant=consultant)
    assert "already exists" in str(info.value)
    consultant.refresh_from_db()
    assert consultant.user is None
    assert consultant.invited_at is None
    assert mail.outbox == []
