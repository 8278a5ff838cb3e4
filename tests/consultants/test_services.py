"""Services: create/update, duplicates, status transitions, activation (PR-06), history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.consultants import services
from apps.consultants.models import Consultant
from apps.consultants.selectors import (
    consultant_counts_by_status,
    consultant_get_for_user,
    consultants_for_user,
)
from apps.core.errors import DomainError, InvalidTransition

from .factories import ConsultantFactory

pytestmark = pytest.mark.django_db

L = Consultant.DiplomaLevel

# Public examples (python-stdnum documentation for the NIR; ECBS registry for the IBAN).
VALID_FIELDS = {
    "civility": Consultant.Civility.MRS,
    "first_name": "Marie",
    "last_name": "Lefèvre",
    "birth_date": date(1955, 8, 14),
    "birth_place": "Caen",
    "nir": "2 55 08 14 168 025 38",
    "address_line1": "3 rue Pasteur",
    "postal_code": "14000",
    "city": "Caen",
    "email": "Marie.Lefevre@Example.test",
    "iban": "FR14 2004 1010 0505 0001 3M02 606",
    "bic": "PSSTFRPPCAE",
    "highest_diploma_level": L.LEVEL_5,
    "years_of_experience": Decimal("0"),
}


def test_create_normalises_and_records_who(staff_user):
    consultant = services.consultant_create(created_by=staff_user, **VALID_FIELDS)
    consultant.refresh_from_db()
    assert consultant.status == Consultant.Status.PROSPECT
    assert consultant.nir == "255081416802538"
    assert consultant.iban == "FR1420041010050500013M02606"
    assert consultant.email == "marie.lefevre@example.test"
    assert consultant.sex == Consultant.Sex.FEMALE
    assert consultant.management_fee_rate == Decimal("7.00")
    record = consultant.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff_user


def test_update_writes_a_history_row_with_the_user(staff_user, consultant):
    services.consultant_update(consultant=consultant, updated_by=staff_user, city="Nantes")
    latest = consultant.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == staff_user
    assert latest.city == "Nantes"
    delta = latest.diff_against(latest.prev_record)
    assert delta.changed_fields == ["city"]


def test_create_refuses_fields_reserved_to_actions():
    with pytest.raises(ValidationError) as info:
        services.consultant_create(**VALID_FIELDS, status=Consultant.Status.ACTIVE)
    assert "status" in info.value.message_dict
    assert Consultant.objects.count() == 0


def test_duplicate_email_is_refused_case_insensitively():
    services.consultant_create(**VALID_FIELDS)
    other = {
        **VALID_FIELDS,
        "email": "MARIE.LEFEVRE@example.TEST",
        "nir": "2 95 10 99 126 111 93",
        "birth_date": date(1995, 10, 3),
    }
    with pytest.raises(ValidationError) as info:
        services.consultant_create(**other)
    assert info.value.message_dict == {
        "email": ["A consultant with this e-mail address already exists."]
    }
    assert Consultant.objects.count() == 1


def test_duplicate_nir_is_refused():
    services.consultant_create(**VALID_FIELDS)
    with pytest.raises(ValidationError) as info:
        services.consultant_create(**{**VALID_FIELDS, "email": "other@example.test"})
    assert info.value.message_dict == {
        "nir": ["A consultant with this social security number already exists."]
    }
    assert Consultant.objects.count() == 1


def test_invalid_update_changes_nothing(consultant):
    before = consultant.history.count()
    with pytest.raises(ValidationError):
        services.consultant_update(
            consultant=consultant, city="Nice", iban="FR1420041010050500013M02607"
        )
    consultant.refresh_from_db()
    assert consultant.city == "Lyon"
    assert consultant.history.count() == before


class TestActivation:
    @pytest.mark.parametrize(
        ("level", "years"), [(L.LEVEL_5, "0"), (L.LEVEL_4, "3"), (L.LEVEL_8, None)]
    )
    def test_eligible_prospect_is_activated(self, staff_user, level, years):
        consultant = ConsultantFactory(
            highest_diploma_level=level,
            years_of_experience=None if years is None else Decimal(years),
        )
        services.consultant_activate(consultant=consultant, by=staff_user)
        consultant.refresh_from_db()
        assert consultant.status == Consultant.Status.ACTIVE
        assert consultant.activated_on is not None
        assert consultant.history.first().history_user == staff_user

    def test_not_eligible_is_refused_with_source_and_figures(self):
        consultant = ConsultantFactory(
            highest_diploma_level=L.LEVEL_4, years_of_experience=Decimal("2")
        )
        with pytest.raises(DomainError) as info:
            services.consultant_activate(consultant=consultant)
        message = str(info.value)
        assert info.value.code == "not_eligible"
        assert "L1254-2 / CCN art. 2.2" in message
        assert "diploma level 4 and 2 years" in message
        consultant.refresh_from_db()
        assert consultant.status == Consultant.Status.PROSPECT

    def test_missing_eligibility_data_is_allowed_as_prospect_but_not_activated(self):
        consultant = ConsultantFactory(highest_diploma_level=None, years_of_experience=None)
        consultant.full_clean()  # a prospect may be recorded without the evidence yet
        with pytest.raises(DomainError) as info:
            services.consultant_activate(consultant=consultant)
        assert "Eligibility incomplete" in str(info.value)


class TestTransitions:
    def test_active_to_left_needs_a_date(self, consultant):
        services.consultant_activate(consultant=consultant)
        with pytest.raises(ValidationError) as info:
            services.consultant_mark_left(consultant=consultant, left_on=None)
        assert "left_on" in info.value.message_dict
        services.consultant_mark_left(consultant=consultant, left_on=date(2099, 1, 31))
        consultant.refresh_from_db()
        assert consultant.status == Consultant.Status.LEFT
        assert consultant.left_on == date(2099, 1, 31)

    def test_prospect_can_be_closed_as_left(self, consultant):
        services.consultant_mark_left(consultant=consultant, left_on=date(2026, 1, 5))
        consultant.refresh_from_db()
        assert consultant.status == Consultant.Status.LEFT

    def test_left_cannot_be_activated_again(self, consultant):
        services.consultant_mark_left(consultant=consultant, left_on=date(2026, 1, 5))
        with pytest.raises(InvalidTransition) as info:
            services.consultant_activate(consultant=consultant)
        assert str(info.value) == "A consultant cannot go from status “Left” to “Active”."

    def test_active_cannot_be_activated_twice(self, consultant):
        services.consultant_activate(consultant=consultant)
        with pytest.raises(InvalidTransition):
            services.consultant_activate(consultant=consultant)

    def test_left_cannot_leave_twice(self, consultant):
        services.consultant_mark_left(consultant=consultant, left_on=date(2026, 1, 5))
        with pytest.raises(InvalidTransition):
            services.consultant_mark_left(consultant=consultant, left_on=date(2026, 2, 5))

    def test_leaving_before_activation_is_refused(self, consultant):
        services.consultant_activate(consultant=consultant)
        with pytest.raises(ValidationError) as info:
            services.consultant_mark_left(consultant=consultant, left_on=date(2000, 1, 1))
        assert "left_on" in info.value.message_dict
        consultant.refresh_from_db()
        assert consultant.status == Consultant.Status.ACTIVE

    def test_status_map_is_the_single_source(self):
        allowed = {
            (src, dst) for src, targets in Consultant.ALLOWED_TRANSITIONS.items() for dst in targets
        }
        assert allowed == {("prospect", "active"), ("prospect", "left"), ("active", "left")}


class TestSelectors:
    def test_scoping_by_role(self, staff_user, finance_user, consultant_with_user, make_user):
        from apps.accounts.roles import Role

        other = ConsultantFactory()
        assert set(consultants_for_user(staff_user)) == {consultant_with_user, other}
        assert set(consultants_for_user(finance_user)) == {consultant_with_user, other}
        assert list(consultants_for_user(consultant_with_user.user)) == [consultant_with_user]
        lone = make_user(Role.CONSULTANT)
        assert list(consultants_for_user(lone)) == []
        assert consultant_get_for_user(consultant_with_user.user) == consultant_with_user
        assert consultant_get_for_user(lone) is None

    def test_counts_by_status(self):
        ConsultantFactory.create_batch(2)
        services.consultant_activate(consultant=ConsultantFactory())
        assert consultant_counts_by_status() == {"prospect": 2, "active": 1, "left": 0}


def test_changing_the_email_changes_the_portal_login(consultant_with_user, staff_user):
    from apps.consultants.services import consultant_update

    consultant_update(
        consultant=consultant_with_user, updated_by=staff_user, email="New.Address@Example.test"
    )
    consultant_with_user.user.refresh_from_db()
    assert consultant_with_user.user.email == "new.address@example.test"


def test_email_taken_by_another_user_changes_nothing(consultant_with_user, staff_user):
    from django.core.exceptions import ValidationError

    from apps.consultants.services import consultant_update

    old = consultant_with_user.email
    with pytest.raises(ValidationError):
        consultant_update(
            consultant=consultant_with_user, updated_by=staff_user, email=staff_user.email
        )
    consultant_with_user.refresh_from_db()
    assert consultant_with_user.email == old
