"""Payroll parameters per pay period, read from apps/payroll/rates/<year>.toml.

Each parameter in the file is a list of segments with `valid_from` and `source`;
the segment in force for a period is the one with the latest valid_from <= period.
A new year is a new file: no code change (DESIGN §3.7).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

RATES_DIR = Path(__file__).resolve().parents[1] / "rates"
_REPO_ROOT = Path(__file__).resolve().parents[3]


class RatesError(Exception):
    """Base class of the rates-file errors."""


class RatesNotFound(RatesError, LookupError):
    """No parameters for the requested period (missing file or segment)."""


class RatesFileError(RatesError, ValueError):
    """The rates file exists but is malformed."""


@dataclass(frozen=True, slots=True)
class Tier:
    """Rates that apply from `from_headcount` employees up to the next tier."""

    from_headcount: int
    employee: Decimal | None
    employer: Decimal | None
    base: str | None = None  # only FNAL: "t1" or "gross"


@dataclass(frozen=True, slots=True)
class ContributionRate:
    code: str
    tiers: tuple[Tier, ...]  # ascending from_headcount
    source: str
    valid_from: date
    extra: Mapping[str, Decimal]  # other numeric keys of the segment

    def tier(self, headcount: int) -> Tier | None:
        """The tier for this headcount, or None when the contribution is not due."""
        chosen = None
        for tier in self.tiers:
            if headcount >= tier.from_headcount:
                chosen = tier
        return chosen


@dataclass(frozen=True, slots=True)
class Pss:
    monthly: Decimal
    annual: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class Smic:
    hourly: Decimal
    monthly: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class Ceilings:
    tranche_2_max_pss: Decimal
    capped_4_pss: Decimal
    csg_abatement_max_pss: Decimal
    csg_abated_share: Decimal  # percent
    source: str


@dataclass(frozen=True, slots=True)
class RgduParams:
    t_min: Decimal
    exponent: Decimal
    smic_multiple: Decimal
    coefficient_decimals: int
    t_delta_tiers: tuple[tuple[int, Decimal], ...]
    source: str
    # The monthly SMIC the RGDU is computed on when a text fixes it apart from the SMIC in
    # force (décret n° 2026-509: the SMIC of 1 January 2026 for the whole of 2026, even
    # after the June revaluation); None: the SMIC in force for the period.
    smic_monthly_reference: Decimal | None = None

    def t_delta(self, headcount: int) -> Decimal:
        value = self.t_delta_tiers[0][1]
        for from_headcount, t_delta in self.t_delta_tiers:
            if headcount >= from_headcount:
                value = t_delta
        return value


@dataclass(frozen=True, slots=True)
class NetRules:
    taxable_includes_employer_prevoyance: bool
    social_includes_employer_prevoyance: bool
    source: str


@dataclass(frozen=True, slots=True)
class PasGrid:
    name: str
    valid_from: date
    brackets: tuple[tuple[Decimal, Decimal], ...]  # (lower bound EUR, rate %), ascending
    short_contract_abatement: Decimal
    source: str

    def rate_for(self, base: Decimal) -> Decimal:
        """Rate of the bracket holding `base` (applies to the whole base, CGI 204 H III)."""
        rate = Decimal(0)
        for lower, bracket_rate in self.brackets:
            if base >= lower:
                rate = bracket_rate
        return rate


@dataclass(frozen=True, slots=True)
class PortageParams:
    business_bonus_rate: Decimal
    paid_leave_rate: Decimal
    reserve_rate: Decimal
    precarity_rate: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class MinimumParams:
    reference_pss: Decimal
    levels: Mapping[int, Decimal]  # level -> percent of reference_pss
    source: str


@dataclass(frozen=True, slots=True)
class Rates:
    """Every parameter in force for one pay period."""

    period: date
    file: str
    pss: Pss
    smic: Smic
    ceilings: Ceilings
    contributions: Mapping[str, ContributionRate]
    rgdu: RgduParams
    net_rules: NetRules
    pas_grid: PasGrid
    portage: PortageParams
    portage_minimum: MinimumParams

    def contribution(self, code: str) -> ContributionRate:
        try:
            return self.contributions[code]
        except KeyError:
            raise RatesFileError(f"{self.file}: no [[contribution.{code}]] in force") from None


def load_rates(period: date, rates_dir: Path | None = None) -> Rates:
    """Parameters in force on `period` (cached per period and directory)."""
    return _load_rates(period, rates_dir or RATES_DIR)


def latest_rates_period(before: date, rates_dir: Path | None = None) -> date | None:
    """December of the latest year before `before`'s year that has a rates file, or None.

    For estimates only (the simulator's default month in early January, before the new
    year's parameters are published): a payslip is never computed on another year's file.
    """
    folder = rates_dir or RATES_DIR
    years = [
        int(path.stem)
        for path in folder.glob("[0-9][0-9][0-9][0-9].toml")
        if int(path.stem) < before.year
    ]
    return date(max(years), 12, 1) if years else None


def clear_rates_cache() -> None:
    _load_rates.cache_clear()
    _read_file.cache_clear()


@functools.lru_cache(maxsize=256)
def _load_rates(period: date, rates_dir: Path) -> Rates:
    path = rates_dir / f"{period.year}.toml"
    shown = _display(path)
    if not path.is_file():
        raise RatesNotFound(f"no payroll rates for {period:%Y-%m}: {shown} is missing")
    data = _read_file(path)

    def pick(key: str, table: Mapping[str, Any] = data, label: str | None = None) -> dict:
        return _pick(table, key, period, shown, label or key)

    contributions = {
        code: _contribution(code, pick(code, data["contribution"], f"contribution.{code}"), shown)
        for code in data.get("contribution", {})
    }
    pss, smic, ceilings = pick("pss"), pick("smic"), pick("ceilings")
    rgdu, net, grid = pick("rgdu"), pick("net_rules"), pick("pas_neutral_grid")
    portage, minimum = pick("portage"), pick("portage_minimum")
    return Rates(
        period=period,
        file=shown,
        pss=Pss(_dec(pss, "monthly", shown), _dec(pss, "annual", shown), pss["source"]),
        smic=Smic(_dec(smic, "hourly", shown), _dec(smic, "monthly", shown), smic["source"]),
        ceilings=Ceilings(
            tranche_2_max_pss=_dec(ceilings, "tranche_2_max_pss", shown),
            capped_4_pss=_dec(ceilings, "capped_4_pss", shown),
            csg_abatement_max_pss=_dec(ceilings, "csg_abatement_max_pss", shown),
            csg_abated_share=_dec(ceilings, "csg_abated_share", shown),
            source=ceilings["source"],
        ),
        contributions=contributions,
        rgdu=RgduParams(
            t_min=_dec(rgdu, "t_min", shown),
            exponent=_dec(rgdu, "exponent", shown),
            smic_multiple=_dec(rgdu, "smic_multiple", shown),
            coefficient_decimals=int(rgdu["coefficient_decimals"]),
            t_delta_tiers=tuple(
                (int(t["from_headcount"]), _dec(t, "t_delta", shown))
                for t in sorted(rgdu["t_delta_tiers"], key=lambda t: t["from_headcount"])
            ),
            source=rgdu["source"],
            smic_monthly_reference=(
                _dec(rgdu, "smic_monthly_reference", shown)
                if "smic_monthly_reference" in rgdu
                else None
            ),
        ),
        net_rules=NetRules(
            taxable_includes_employer_prevoyance=bool(net["taxable_includes_employer_prevoyance"]),
            social_includes_employer_prevoyance=bool(net["social_includes_employer_prevoyance"]),
            source=net["source"],
        ),
        pas_grid=PasGrid(
            name=str(grid["name"]),
            valid_from=grid["valid_from"],
            brackets=tuple(
                (Decimal(lower), Decimal(rate)) for lower, rate in sorted(grid["brackets"])
            ),
            short_contract_abatement=_dec(grid, "short_contract_abatement", shown),
            source=grid["source"],
        ),
        portage=PortageParams(
            business_bonus_rate=_dec(portage, "business_bonus_rate", shown),
            paid_leave_rate=_dec(portage, "paid_leave_rate", shown),
            reserve_rate=_dec(portage, "reserve_rate", shown),
            precarity_rate=_dec(portage, "precarity_rate", shown),
            source=portage["source"],
        ),
        portage_minimum=MinimumParams(
            reference_pss=_dec(minimum, "reference_pss", shown),
            levels={int(k): Decimal(v) for k, v in minimum["levels"].items()},
            source=minimum["source"],
        ),
    )


@functools.lru_cache(maxsize=16)
def _read_file(path: Path) -> dict[str, Any]:
    """Parse the file (floats as exact Decimals) and check every segment is dated and sourced."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RatesFileError(f"{_display(path)}: {exc}") from exc
    tables = [(key, value) for key, value in data.items() if key != "contribution"]
    tables += [(f"contribution.{k}", v) for k, v in data.get("contribution", {}).items()]
    for key, segments in tables:
        if not isinstance(segments, list) or not segments:
            raise RatesFileError(f"{_display(path)}: {key} must be an array of tables [[{key}]]")
        for segment in segments:
            if not isinstance(segment.get("valid_from"), date):
                raise RatesFileError(
                    f"{_display(path)}: a [[{key}]] segment has no valid_from date"
                )
            if not str(segment.get("source", "")).strip():
                raise RatesFileError(f"{_display(path)}: a [[{key}]] segment has no source")
    return data


def _pick(table: Mapping[str, Any], key: str, period: date, shown: str, label: str) -> dict:
    segments = table.get(key)
    if segments is None:
        raise RatesFileError(f"{shown}: [[{label}]] is missing")
    in_force = [s for s in segments if s["valid_from"] <= period]
    if not in_force:
        raise RatesNotFound(
            f"no payroll rates for {period:%Y-%m}: [[{label}]] in {shown} starts later"
        )
    return max(in_force, key=lambda s: s["valid_from"])


def _contribution(code: str, segment: Mapping[str, Any], shown: str) -> ContributionRate:
    if "tiers" in segment:
        tiers = tuple(
            Tier(
                from_headcount=int(t["from_headcount"]),
                employee=_opt_dec(t, "employee", shown),
                employer=_opt_dec(t, "employer", shown),
                base=t.get("base"),
            )
            for t in sorted(segment["tiers"], key=lambda t: t["from_headcount"])
        )
    else:
        tiers = (
            Tier(0, _opt_dec(segment, "employee", shown), _opt_dec(segment, "employer", shown)),
        )
    extra = {
        key: Decimal(value)
        for key, value in segment.items()
        if key not in {"employee", "employer"} and isinstance(value, Decimal | int)
    }
    return ContributionRate(code, tiers, segment["source"], segment["valid_from"], extra)


def _dec(segment: Mapping[str, Any], key: str, shown: str) -> Decimal:
    value = segment.get(key)
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise RatesFileError(f"{shown}: {key} must be a number (got {value!r})")
    return Decimal(value)


def _opt_dec(segment: Mapping[str, Any], key: str, shown: str) -> Decimal | None:
    return None if key not in segment else _dec(segment, key, shown)


def _display(path: Path) -> str:
    """Path relative to the repository when possible: the form used in error messages."""
    try:
        return path.resolve().relative_to(_REPO_ROOT).as_posix()
    except ValueError:
        return str(path)
