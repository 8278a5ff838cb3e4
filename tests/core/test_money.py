from decimal import Decimal

import pytest

from apps.core.money import percent_of, quantize_eur


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Half a cent rounds away from zero (ROUND_HALF_UP), unlike banker's rounding.
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),
        ("2.675", "2.68"),  # float(2.675) is 2.67499...: this is why money is never a float
        ("-0.005", "-0.01"),
        ("1234.5649", "1234.56"),
        (7, "7.00"),
    ],
)
def test_quantize_eur_rounds_half_up_to_the_cent(value, expected):
    assert quantize_eur(value) == Decimal(expected)


def test_quantize_eur_refuses_floats():
    with pytest.raises(TypeError):
        quantize_eur(2.675)


def test_percent_of_by_hand():
    # 6 % of 10 000 € = 600 € (portage-rules.md §3, step 2)
    assert percent_of(Decimal("10000"), Decimal("6")) == Decimal("600.00")
    # 0.036 % of 4 005 € = 1.44180 -> 1.44
    assert percent_of(Decimal("4005"), Decimal("0.036")) == Decimal("1.44")


def test_sum_to_cent_rounds_a_floating_point_database_sum():
    from apps.core.money import sum_to_cent

    # What SQLite returned for 0.10 + 0.20 - 0.28 (it adds decimals as floats).
    assert str(sum_to_cent(Decimal("0.0199999999998681"))) == "0.02"
    assert str(sum_to_cent(None)) == "0.00"  # no row
