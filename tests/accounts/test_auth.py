"""Login by e-mail, role-based landing pages, password reset, tokens."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from apps.accounts.roles import ROLE_PERMISSIONS, Role, roles_sync
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_the_three_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"staff", "finance", "consultant"}


@pytest.mark.django_db
def test_roles_sync_is_idempotent_and_matches_the_table():
    roles_sync()
    roles_sync()
    staff = Group.objects.get(name="staff")
    finance = Group.objects.get(name="finance")
    consultant = Group.objects.get(name="consultant")
    staff_codes = set(staff.permissions.values_list("codename", flat=True))
    finance_codes = set(finance.permissions.values_list("codename", flat=True))
    assert {"add_consultant", "change_consultant", "view_clientcompany"} <= staff_codes
    assert "add_consultant" not in finance_codes and "view_consultant" in finance_codes
    assert consultant.permissions.count() == 0
    assert Group.objects.filter(name__in=Role.values).count() == 3
    assert ROLE_PERMISSIONS[Role.CONSULTANT] == {}


@pytest.mark.django_db
def test_login_with_email_and_landing_per_role(
    client, staff_user, finance_user, consultant_role_user
):
    for user, landing in ((staff_user, "/admin/"), (finance_user, "/admin/")):
        client.logout()
        response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.get("/").url == landing
    client.logout()
    client.post("/accounts/login/", {"username": consultant_role_user.email, "password": PASSWORD})
    assert client.get("/").url == "/portal/"


@pytest.mark.django_db
def test_login_is_case_insensitive_on_email(client, staff_user):
    response = client.post(
        "/accounts/login/", {"username": staff_user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_wrong_password_shows_an_error_in_french_and_english(client, staff_user):
    response = client.post(
        "/accounts/login/",
        {"username": staff_user.email, "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "Saisissez" in response.content.decode() or "correct" in response.content.decode()
    client.cookies.clear()
    response = client.post(
        "/accounts/login/",
        {"username": staff_user.email, "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Please enter a correct" in response.content.decode()


@pytest.mark.django_db
def test_consultant_cannot_enter_the_admin(client, consultant_role_user):
    client.force_login(consultant_role_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_password_reset_link_works_once(client, staff_user):
    client.post("/accounts/password/reset/", {"email": staff_user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/activate/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    new_password = "Another-s3cure-pass!"
    response = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert client.login(username=staff_user.email, password=new_password)
    client.logout()
    # The same link is dead once the password changed.
    response = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "This link no longer works" in response.content.decode()


@pytest.mark.django_db
def test_api_token_and_me(api_client, finance_user):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": finance_user.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["email"] == finance_user.email
    assert me["roles"] == ["finance"]
