"""The portal's contract pages: a consultant sees and downloads only their own contracts."""

import pytest
from django.core.files.base import ContentFile

from apps.accounts.roles import Role
from tests.commercial_contracts.factories import CommercialContractFactory
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory
from tests.employment_contracts.factories import cdi_create

PDF = b"%PDF-1.4\n% test document\n"


@pytest.fixture
def me(make_user):
    user = make_user(Role.CONSULTANT)
    return ConsultantFactory(user=user, email=user.email)


@pytest.fixture
def other(db):
    return ConsultantFactory()


@pytest.fixture(autouse=True)
def company(db):
    return make_company_profile()


def _with_pdf(contract):
    contract.pdf_file.save(f"{contract.reference}.pdf", ContentFile(PDF), save=True)
    return contract


def test_list_shows_only_my_contracts(client, me, other):
    mine = CommercialContractFactory(consultant=me, status="active")
    theirs = CommercialContractFactory(consultant=other, status="active")
    my_cdi = cdi_create(consultant=me)
    client.force_login(me.user)
    page = client.get("/portal/contracts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mine.reference in page and my_cdi.reference in page
    assert theirs.reference not in page
    assert mine.client.legal_name in page


def test_download_my_pdf(client, me):
    mine = _with_pdf(CommercialContractFactory(consultant=me, status="active"))
    client.force_login(me.user)
    response = client.get(f"/portal/contracts/commercial/{mine.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_someone_elses_pdf_is_a_404(client, me, other):
    theirs = _with_pdf(CommercialContractFactory(consultant=other, status="active"))
    their_cdi = _with_pdf(cdi_create(consultant=other))
    client.force_login(me.user)
    assert client.get(f"/portal/contracts/commercial/{theirs.pk}/pdf/").status_code == 404
    assert client.get(f"/portal/contracts/employment/{their_cdi.pk}/pdf/").status_code == 404
    assert client.get(f"/portal/contracts/unknown/{theirs.pk}/pdf/").status_code == 404


def test_back_office_users_do_not_use_the_portal(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/portal/contracts/").status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get("/portal/contracts/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_contract_list_query_count_is_constant(client, me, django_assert_max_num_queries):
    CommercialContractFactory(consultant=me, status="active")
    cdi_create(consultant=me)
    client.force_login(me.user)
    with django_assert_max_num_queries(12) as few:
        client.get("/portal/contracts/")
    for _ in range(5):
        CommercialContractFactory(consultant=me, status="active")
        cdi_create(consultant=me)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/portal/contracts/")
