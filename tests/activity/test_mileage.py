"""Mileage allowance from the barème kilométrique, checked by hand against the published
formulas (arrêté du 27 mars 2023, reconducted for 2024 and 2025; see docs/activity.md).

Rule under test: the band is chosen by the declared yearly distance, the trip amount is the
yearly formula pro-rated: formula(yearly) / yearly x distance, rounded half-up to the cent.
"""

import shutil
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.activity.models import VehicleType
from apps.activity.services.mileage import (
    RULES_DIR,
    VEHICLES,
    MileageScaleError,
    mileage_allowance,
    mileage_scale_for,
    mileage_scales,
)

D2026 = date(2026, 3, 2)


def allowance(vehicle="car", hp=5, distance=300, yearly=12000, on=D2026, **kwargs):
    return mileage_allowance(
        on_date=on,
        vehicle_type=vehicle,
        fiscal_horsepower=hp,
        distance_km=distance,
        yearly_distance_km=yearly,
        **kwargs,
    )


def test_example_of_the_brief_5cv_12000_km():
    # 12 000 x 0,357 + 1 395 = 5 679 € a year -> 0,47325 €/km -> 300 km = 141,975 -> 141,98 €
    result = allowance()
    assert result.yearly_amount == Decimal("5679.000")
    assert result.rate_per_km == Decimal("0.47325")
    assert result.amount == Decimal("141.98")
    assert result.row_label == "5 CV"
    assert result.formula == "(12000 × 0.357 + 1395) / 12000 × 300"


def test_published_example_7000_km_5cv():
    # DGFiP example: 7 000 km with a 5 CV car -> (7 000 x 0,357) + 1 395 = 3 894 €
    assert allowance(distance=7000, yearly=7000).amount == Decimal("3894.00")


def test_published_example_motorcycle_4cv_4500_km():
    # DGFiP example: 4 500 km with a 4 CV motorcycle -> (4 500 x 0,082) + 1 158 = 1 527 €
    result = allowance(vehicle="motorcycle", hp=4, distance=4500, yearly=4500)
    assert result.amount == Decimal("1527.00")


@pytest.mark.parametrize(
    ("yearly", "per_km", "trip_100km"),
    [
        # up to 5 000 km: d x 0,636
        (5000, Decimal("0.63600"), Decimal("63.60")),
        # 5 001 km: (5 001 x 0,357 + 1 395) / 5 001 = 3 180,357 / 5 001 = 0,635944...
        (5001, Decimal("0.63594"), Decimal("63.59")),
        # 20 000 km: (20 000 x 0,357 + 1 395) / 20 000 = 8 535 / 20 000 = 0,42675
        (20000, Decimal("0.42675"), Decimal("42.68")),
        # 20 001 km: d x 0,427
        (20001, Decimal("0.42700"), Decimal("42.70")),
    ],
)
def test_band_edges_5cv(yearly, per_km, trip_100km):
    result = allowance(distance=100, yearly=yearly)
    assert result.rate_per_km == per_km
    assert result.amount == trip_100km


def test_electric_car_is_increased_by_20_percent():
    # 5 679 x 1,20 = 6 814,80 € a year -> x 300 / 12 000 = 170,37 €
    result = allowance(vehicle="electric_car")
    assert result.yearly_amount == Decimal("6814.80000")
    assert result.amount == Decimal("170.37")
    assert result.electric


@pytest.mark.parametrize(
    ("hp", "rate"),
    [(1, "0.529"), (3, "0.529"), (4, "0.606"), (6, "0.665"), (7, "0.697"), (11, "0.697")],
)
def test_fiscal_horsepower_rows(hp, rate):
    # the first band reads directly: 1 000 km -> rate per km
    assert allowance(hp=hp, distance=1000, yearly=1000).amount == Decimal(rate) * 1000


def test_moped_needs_no_horsepower():
    # mopeds: d x 0,315 up to 3 000 km
    result = allowance(vehicle="moped", hp=None, distance=50, yearly=2000)
    assert result.amount == Decimal("15.75")


def test_the_trip_cannot_exceed_the_yearly_distance():
    with pytest.raises(ValidationError) as error:
        allowance(distance=12001, yearly=12000)
    assert "distance_km" in error.value.message_dict


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"hp": None}, "fiscal_horsepower"),
        ({"hp": 0}, "fiscal_horsepower"),
        ({"distance": 0}, "distance_km"),
        ({"distance": -5}, "distance_km"),
        ({"distance": "12.55"}, "distance_km"),
        ({"yearly": "abc"}, "yearly_distance_km"),
        ({"yearly": "1000.5", "distance": 10}, "yearly_distance_km"),
        ({"vehicle": "bicycle"}, "vehicle_type"),
        ({"on": date(2024, 12, 31)}, "date"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(ValidationError) as error:
        allowance(**kwargs)
    assert field in error.value.message_dict


def test_every_vehicle_type_has_a_table():
    assert set(VehicleType.values) == set(VEHICLES)


def test_editions_are_selected_by_the_expense_date():
    assert mileage_scale_for(date(2025, 12, 31)).edition == "2025"
    assert mileage_scale_for(date(2026, 1, 1)).edition == "2026"
    assert allowance(on=date(2025, 6, 1)).edition == "2025"


def test_each_edition_is_sourced_and_the_2026_one_is_flagged_unconfirmed():
    scales = {scale.edition: scale for scale in mileage_scales()}
    assert scales["2025"].status == "cross_checked"
    assert scales["2026"].status == "unconfirmed"
    assert not allowance().edition_confirmed
    for scale in scales.values():
        assert any("27 mars 2023" in source for source in scale.sources)
        assert scale.electric_increase == Decimal("0.20")
    # Assumption recorded in docs/activity.md: 2026 reconducts the 2025 figures.
    assert scales["2026"].tables == scales["2025"].tables


def test_a_new_year_is_a_new_file_not_a_code_change(tmp_path):
    for path in RULES_DIR.glob("mileage_*.toml"):
        shutil.copy(path, tmp_path / path.name)
    text = (RULES_DIR / "mileage_2026.toml").read_text(encoding="utf-8")
    text = text.replace('edition = "2026"', 'edition = "2027"')
    text = text.replace("valid_from = 2026-01-01", "valid_from = 2027-01-01")
    text = text.replace("rate = 0.357, fixed = 1395", "rate = 0.360, fixed = 1400")
    (tmp_path / "mileage_2027.toml").write_text(text, encoding="utf-8")

    result = allowance(on=date(2027, 2, 1), rules_dir=tmp_path)
    assert result.edition == "2027"
    # 12 000 x 0,360 + 1 400 = 5 720 -> x 300 / 12 000 = 143,00
    assert result.amount == Decimal("143.00")
    assert allowance(on=date(2026, 12, 31), rules_dir=tmp_path).amount == Decimal("141.98")


def test_a_file_without_sources_is_refused(tmp_path):
    text = (RULES_DIR / "mileage_2026.toml").read_text(encoding="utf-8")
    start = text.index("sources = [")
    end = text.index("]", start) + 1
    (tmp_path / "mileage_2026.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(MileageScaleError, match="sources"):
        mileage_scales(tmp_path)
