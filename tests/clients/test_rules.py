"""Payment terms (Code de commerce L441-10 I) and due dates, computed by hand."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from apps.clients.models import ClientCompany
from apps.clients.rules import (
    PAYMENT_TERMS_RULES,
    PaymentTermsKind,
    due_date,
    payment_terms_max_days,
    payment_terms_rules_on,
)
from apps.clients.selectors import client_due_date
from apps.clients.services import client_create

from .factories import client_fields

NET, EOM = PaymentTermsKind.NET, PaymentTermsKind.END_OF_MONTH


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "days"), [(NET, 60), (EOM, 45), (NET, 0), (EOM, 0)])
def test_terms_up_to_the_legal_maximum_are_accepted(kind, days):
    client = client_create(**client_fields(payment_terms_kind=kind, payment_terms_days=days))
    assert (client.payment_terms_kind, client.payment_terms_days) == (kind, days)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "days", "message"),
    [
        (
            NET,
            61,
            "Payment terms of 61 days net from the invoice date exceed the legal maximum of"
            " 60 days (Code de commerce L441-10 I).",
        ),
        (
            EOM,
            46,
            "Payment terms of 46 days end of month exceed the legal maximum of 45 days"
            " (Code de commerce L441-10 I).",
        ),
    ],
)
def test_terms_beyond_the_legal_maximum_are_refused(kind, days, message):
    with pytest.raises(ValidationError) as caught:
        client_create(**client_fields(payment_terms_kind=kind, payment_terms_days=days))
    assert caught.value.message_dict["payment_terms_days"] == [message]
    assert not ClientCompany.objects.exists()


@pytest.mark.django_db
def test_default_terms_are_30_days_net():
    client = client_create(**client_fields())
    assert (client.payment_terms_kind, client.payment_terms_days) == (NET, 30)


def test_maxima_come_from_the_dated_table():
    assert payment_terms_max_days(NET, on=date(2026, 1, 1)) == 60
    assert payment_terms_max_days(EOM, on=date(2026, 1, 1)) == 45
    assert payment_terms_rules_on(date(2026, 1, 1))["source"] == "Code de commerce L441-10 I"
    with pytest.raises(LookupError):
        payment_terms_rules_on(date(2008, 8, 3))


def test_a_newer_row_takes_over_from_its_date(monkeypatch):
    newer = {**PAYMENT_TERMS_RULES[0], "valid_from": date(2030, 1, 1), "max_days": {NET: 40}}
    monkeypatch.setattr("apps.clients.rules.PAYMENT_TERMS_RULES", [*PAYMENT_TERMS_RULES, newer])
    assert payment_terms_max_days(NET, on=date(2029, 12, 31)) == 60
    assert payment_terms_max_days(NET, on=date(2030, 1, 1)) == 40


@pytest.mark.parametrize(
    ("issue", "kind", "days", "expected"),
    [
        # net: issue date + N days
        (date(2026, 1, 15), NET, 30, date(2026, 2, 14)),
        (date(2026, 1, 31), NET, 60, date(2026, 4, 1)),  # 28 (Feb) + 31 (Mar) + 1
        (date(2026, 12, 15), NET, 30, date(2027, 1, 14)),
        # end of month: last day of the issue month, then + N days
        (date(2026, 1, 31), EOM, 45, date(2026, 3, 17)),  # 31 Jan + 28 + 17
        (date(2026, 1, 10), EOM, 45, date(2026, 3, 17)),  # same month, same due date
        (date(2026, 2, 1), EOM, 45, date(2026, 4, 14)),  # 28 Feb + 31 + 14
        (date(2024, 2, 10), EOM, 30, date(2024, 3, 30)),  # 29 Feb (leap year) + 30
        (date(2026, 2, 3), EOM, 0, date(2026, 2, 28)),
        (date(2026, 12, 5), EOM, 45, date(2027, 2, 14)),  # 31 Dec + 31 + 14
    ],
)
def test_due_date(issue, kind, days, expected):
    assert due_date(issue_date=issue, kind=kind, days=days) == expected


def test_due_date_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="Unknown payment terms kind"):
        due_date(issue_date=date(2026, 1, 1), kind="weekly", days=7)


def test_client_due_date_uses_the_client_terms():
    client = ClientCompany(payment_terms_kind=EOM, payment_terms_days=45)
    assert client_due_date(client=client, issue_date=date(2026, 1, 31)) == date(2026, 3, 17)
