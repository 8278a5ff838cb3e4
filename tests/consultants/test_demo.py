"""Demo seed: valid, deterministic, idempotent; the demo consultant can log in."""

from collections import Counter

import pytest
from stdnum import iban as stdnum_iban
from stdnum.fr import nir as stdnum_nir

from apps.consultants.demo import DEMO_PORTAL_EMAIL, rib_key, seed_consultants
from apps.consultants.models import Consultant
from apps.consultants.rules import consultant_eligibility
from apps.consultants.selectors import consultant_get_for_user

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-s3cure-pass!"


def test_rib_key_matches_published_example():
    # The ECBS example FR14 2004 1010 0505 0001 3M02 606 ends with RIB key 06 for bank
    # 20041, branch 01005, account 0500013M026 (letters M -> 4 in the RIB algorithm).
    assert rib_key("20041", "01005", "05000134026") == "06"


def test_seed_is_valid_and_idempotent():
    first = seed_consultants(count=20, consultant_password=PASSWORD)
    assert len(first) == 20
    assert Consultant.objects.count() == 20
    second = seed_consultants(count=20, consultant_password=PASSWORD)
    assert Consultant.objects.count() == 20
    assert [c.pk for c in first] == [c.pk for c in second]
    for consultant in Consultant.objects.all():
        consultant.full_clean()  # NIR consistent with birth date and sex, IBAN, BIC, fees
        assert stdnum_nir.is_valid(consultant.nir)
        assert stdnum_iban.is_valid(consultant.iban)
        assert consultant.iban.startswith("FR")
        if consultant.status != Consultant.Status.PROSPECT:
            assert consultant_eligibility(consultant).eligible


def test_statuses_are_mixed():
    seed_consultants(count=20)
    counts = Counter(Consultant.objects.values_list("status", flat=True))
    assert counts["left"] == 1
    assert counts["prospect"] >= 2
    assert counts["active"] > counts["prospect"]
    prospects = Consultant.objects.filter(status="prospect")
    assert any(not consultant_eligibility(p).eligible for p in prospects)


def test_same_index_same_person_whatever_the_count():
    small = seed_consultants(count=3)
    emails = [c.email for c in small]
    Consultant.objects.all().delete()
    bigger = seed_consultants(count=6)
    assert [c.email for c in bigger[:3]] == emails


def test_demo_consultant_can_log_in_to_the_portal(client):
    seed_consultants(count=5, consultant_password=PASSWORD)
    consultant = Consultant.objects.get(email=DEMO_PORTAL_EMAIL)
    assert consultant.user is not None
    assert consultant.status == Consultant.Status.ACTIVE
    assert client.login(username=DEMO_PORTAL_EMAIL, password=PASSWORD)
    assert consultant_get_for_user(consultant.user) == consultant
    assert Consultant.objects.filter(user__isnull=False).count() == 1
