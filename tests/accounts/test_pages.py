"""Public account pages render in both languages."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_account_pages_in_french_and_english(client, url):
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    client.cookies.clear()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="fr"' in french and 'lang="en"' in english
    assert french != english


@pytest.mark.django_db
def test_api_docs_are_served_without_outside_hosts(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower()
    for host in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "googleapis"):
        assert host not in docs


@pytest.mark.django_db
def test_healthz(client):
    assert client.get("/healthz/").json() == {"status": "ok"}
