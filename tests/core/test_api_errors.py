"""The API speaks one error shape, in the caller's language."""

import pytest


@pytest.mark.django_db
def test_unauthenticated_request_gets_the_error_shape(api_client):
    response = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (401, 403)
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "not_authenticated"


@pytest.mark.django_db
def test_error_message_follows_accept_language(api_client):
    english = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    french = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="fr").json()["message"]
    assert english != french
    assert "authentification" in french.lower()


@pytest.mark.django_db
def test_unknown_endpoint_404(api_as, staff_user):
    response = api_as(staff_user).get("/api/v1/consultants/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_bad_login_is_400_with_fields(api_client):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "nobody@example.test", "password": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]
