"""Mileage allowance (indemnités kilométriques) from the official barème kilométrique.

The figures are data, never code: one file per edition in apps/activity/rules/
(mileage_<year>.toml, each citing its sources), the edition in force for an expense line
being the one with the latest `valid_from` on or before the line's date. 2027 is a new
file, not a code change.

The barème gives a YEARLY amount from the yearly distance d (km) driven for work:
d x rate + fixed, the (rate, fixed) pair depending on the vehicle, its fiscal horsepower and
the band d falls in (cars: up to 5 000 km, 5 001 to 20 000 km, beyond 20 000 km). An
expense line is one trip, so the rule used here is the simple pro-rata one:

    band    = chosen by the consultant's declared yearly distance (yearly_distance_km)
    amount  = formula(yearly) / yearly x trip distance, rounded half-up to the cent once

For 100 % electric vehicles the formula's amount is increased by `electric_increase`
(+20 %, CGI annexe IV art. 6 B) before the pro-rata. Example (5 CV, 12 000 km a year):
12 000 x 0.357 + 1 395 = 5 679 € a year, 0.47325 €/km, a 300 km trip = 141.98 €.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.money import quantize_eur

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
FILE_GLOB = "mileage_*.toml"
RATE_PLACES = Decimal("0.00001")  # the rate per km shown and stored (5 decimals)
STATUSES = frozenset({"official", "cross_checked", "unconfirmed"})

# Vehicle types of the expense line -> (table of the barème, 100 % electric?)
VEHICLES: dict[str, tuple[str, bool]] = {
    "car": ("car", False),
    "electric_car": ("car", True),
    "motorcycle": ("motorcycle", False),
    "electric_motorcycle": ("motorcycle", True),
    "moped": ("moped", False),
    "electric_moped": ("moped", True),
}
# Tables whose rows depend on the fiscal horsepower (mopeds have a single row).
HORSEPOWER_TABLES = frozenset({"car", "motorcycle"})


class MileageScaleError(ValueError):
    """A barème file is malformed (a bug in the data, reported with the file name)."""


@dataclass(frozen=True, slots=True)
class Band:
    up_to_km: int | None  # None: no upper bound (last band)
    rate: Decimal
    fixed: Decimal

    def formula(self, yearly_km: int) -> Decimal:
        return Decimal(yearly_km) * self.rate + self.fixed

    def describe(self) -> str:
        if self.fixed:
            return f"d × {self.rate} + {self.fixed}"
        return f"d × {self.rate}"


@dataclass(frozen=True, slots=True)
class ScaleRow:
    label: str
    horsepower_min: int | None
    horsepower_max: int | None
    bands: tuple[Band, ...]

    def covers(self, horsepower: int | None) -> bool:
        if horsepower is None:
            return self.horsepower_min is None and self.horsepower_max is None
        if self.horsepower_min is not None and horsepower < self.horsepower_min:
            return False
        return self.horsepower_max is None or horsepower <= self.horsepower_max

    def band_for(self, yearly_km: int) -> Band:
        for band in self.bands:
            if band.up_to_km is None or yearly_km <= band.up_to_km:
                return band
        return self.bands[-1]


@dataclass(frozen=True, slots=True)
class MileageScale:
    """One edition of the barème (one file)."""

    edition: str
    valid_from: date
    status: str
    electric_increase: Decimal
    sources: tuple[str, ...]
    tables: dict[str, tuple[ScaleRow, ...]]
    path: Path

    @property
    def is_confirmed(self) -> bool:
        return self.status != "unconfirmed"


@dataclass(frozen=True, slots=True)
class MileageAllowance:
    """The computed allowance of one trip and how it was obtained."""

    amount: Decimal  # to the cent
    yearly_amount: Decimal  # formula(yearly), electric increase included, not rounded
    rate_per_km: Decimal  # yearly_amount / yearly, 5 decimals (display and audit)
    edition: str
    edition_confirmed: bool
    row_label: str
    band: Band
    electric: bool
    electric_factor: Decimal  # 1 for other vehicles
    distance_km: Decimal
    yearly_distance_km: int

    @property
    def formula(self) -> str:
        """How the amount was computed, e.g. "(12000 × 0.357 + 1395) / 12000 × 300"."""
        yearly = self.band.describe().replace("d", str(self.yearly_distance_km), 1)
        increase = f" × {self.electric_factor}" if self.electric else ""
        return f"({yearly}){increase} / {self.yearly_distance_km} × {self.distance_km}"


# --- reading the files --------------------------------------------------------------------
def _decimal(value, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise MileageScaleError(f"{where}: {value!r} is not a number") from error


def _row(raw: dict, where: str) -> ScaleRow:
    bands_raw = raw.get("bands") or []
    if not bands_raw:
        raise MileageScaleError(f"{where}: a row has no bands")
    bands = []
    previous = 0
    for index, band in enumerate(bands_raw):
        last = index == len(bands_raw) - 1
        up_to = band.get("up_to_km")
        if (up_to is None) != last:
            raise MileageScaleError(f"{where}: only the last band has no up_to_km")
        if up_to is not None:
            if int(up_to) <= previous:
                raise MileageScaleError(f"{where}: bands must be in ascending order")
            previous = int(up_to)
        bands.append(
            Band(
                up_to_km=None if up_to is None else int(up_to),
                rate=_decimal(band["rate"], where),
                fixed=_decimal(band.get("fixed", 0), where),
            )
        )
    return ScaleRow(
        label=str(raw.get("label", "")),
        horsepower_min=raw.get("horsepower_min"),
        horsepower_max=raw.get("horsepower_max"),
        bands=tuple(bands),
    )


@functools.lru_cache(maxsize=16)
def _read(path: Path) -> MileageScale:
    where = path.name
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise MileageScaleError(f"{where}: {error}") from error
    if not isinstance(data.get("valid_from"), date):
        raise MileageScaleError(f"{where}: valid_from must be a TOML date")
    if data.get("status") not in STATUSES:
        raise MileageScaleError(f"{where}: status must be one of {sorted(STATUSES)}")
    sources = tuple(str(source) for source in data.get("sources", []) if str(source).strip())
    if not sources:
        raise MileageScaleError(f"{where}: the edition must cite its sources")
    tables = {}
    for table in ("car", "motorcycle", "moped"):
        rows = data.get(table)
        if not rows:
            raise MileageScaleError(f"{where}: [[{table}]] is missing")
        tables[table] = tuple(_row(row, f"{where} [[{table}]]") for row in rows)
    return MileageScale(
        edition=str(data.get("edition", path.stem)),
        valid_from=data["valid_from"],
        status=data["status"],
        electric_increase=_decimal(data.get("electric_increase", 0), where),
        sources=sources,
        tables=tables,
        path=path,
    )


def mileage_scales(rules_dir: Path | None = None) -> list[MileageScale]:
    """Every edition found, oldest first."""
    directory = rules_dir or RULES_DIR
    scales = [_read(path) for path in sorted(directory.glob(FILE_GLOB))]
    return sorted(scales, key=lambda scale: scale.valid_from)


def mileage_scale_for(on_date: date, *, rules_dir: Path | None = None) -> MileageScale:
    """The edition in force on `on_date` (latest valid_from <= date); ValidationError on the
    line's date when none covers it."""
    in_force = [scale for scale in mileage_scales(rules_dir) if scale.valid_from <= on_date]
    if not in_force:
        raise ValidationError(
            {
                "date": _(
                    "No barème kilométrique is recorded for %(date)s: mileage allowances can"
                    " be computed for trips from %(first)s."
                )
                % {
                    "date": on_date.isoformat(),
                    "first": min(s.valid_from for s in mileage_scales(rules_dir)).isoformat(),
                }
            }
        )
    return in_force[-1]


# --- computing ----------------------------------------------------------------------------
def _positive_decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationError({field: _("Enter a number of kilometres.")})
    if number <= 0:
        raise ValidationError({field: _("The distance must be greater than zero.")})
    return number


def mileage_allowance(
    *,
    on_date: date,
    vehicle_type: str,
    fiscal_horsepower: int | None,
    distance_km,
    yearly_distance_km,
    rules_dir: Path | None = None,
) -> MileageAllowance:
    """The allowance of one trip of `distance_km`, for a consultant who declares
    `yearly_distance_km` km of professional driving in the year (the band is chosen by the
    yearly distance, the amount pro-rated: formula(yearly) / yearly x distance)."""
    if vehicle_type not in VEHICLES:
        raise ValidationError({"vehicle_type": _("Choose the type of vehicle.")})
    table, electric = VEHICLES[vehicle_type]
    distance = _positive_decimal(distance_km, "distance_km")
    if distance != distance.quantize(Decimal("0.1")):
        raise ValidationError(
            {"distance_km": _("Give the distance to the tenth of a kilometre at most.")}
        )
    yearly_value = _positive_decimal(yearly_distance_km, "yearly_distance_km")
    if yearly_value != yearly_value.to_integral_value():
        raise ValidationError(
            {"yearly_distance_km": _("Give the yearly distance in whole kilometres.")}
        )
    yearly = int(yearly_value)
    if distance > yearly:
        raise ValidationError(
            {
                "distance_km": _(
                    "The trip (%(distance)s km) cannot be longer than the yearly distance it"
                    " is part of (%(yearly)s km)."
                )
                % {"distance": distance, "yearly": yearly}
            }
        )

    horsepower = None
    if table in HORSEPOWER_TABLES:
        if fiscal_horsepower in (None, ""):
            raise ValidationError(
                {"fiscal_horsepower": _("Give the fiscal horsepower (CV) of the vehicle.")}
            )
        try:
            horsepower = int(fiscal_horsepower)
        except (TypeError, ValueError):
            horsepower = 0
        if horsepower < 1:
            raise ValidationError(
                {"fiscal_horsepower": _("The fiscal horsepower is a whole number from 1.")}
            )

    scale = mileage_scale_for(on_date, rules_dir=rules_dir)
    row = next((row for row in scale.tables[table] if row.covers(horsepower)), None)
    if row is None:  # a gap in the data file
        raise MileageScaleError(f"{scale.path.name}: no [[{table}]] row for {horsepower} CV")
    band = row.band_for(yearly)
    factor = Decimal(1) + scale.electric_increase if electric else Decimal(1)
    yearly_amount = band.formula(yearly) * factor
    amount = quantize_eur(yearly_amount * distance / Decimal(yearly))
    return MileageAllowance(
        amount=amount,
        yearly_amount=yearly_amount,
        rate_per_km=(yearly_amount / Decimal(yearly)).quantize(RATE_PLACES, ROUND_HALF_UP),
        edition=scale.edition,
        edition_confirmed=scale.is_confirmed,
        row_label=row.label,
        band=band,
        electric=electric,
        electric_factor=factor,
        distance_km=distance,
        yearly_distance_km=yearly,
    )
