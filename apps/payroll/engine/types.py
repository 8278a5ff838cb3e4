"""Input and output dataclasses of the payroll engine.

Conventions: amounts are Decimal EUR rounded to the cent; rates are Decimal
PERCENT (Decimal("2.08") means 2.08 %); ratios (part_time_ratio) are fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .money import ZERO, to_decimal


class Status(StrEnum):
    CADRE = "cadre"
    NON_CADRE = "non-cadre"


class ContractType(StrEnum):
    CDI = "CDI"
    CDD = "CDD"


class Group(StrEnum):
    """Risk groups of the "bulletin clarifié" (arrêté du 25/02/2016), in payslip order."""

    SANTE = "sante"
    ACCIDENTS_TRAVAIL = "accidents_travail"
    RETRAITE = "retraite"
    FAMILLE = "famille"
    ASSURANCE_CHOMAGE = "assurance_chomage"
    AUTRES_CONTRIBUTIONS = "autres_contributions_employeur"
    COTISATIONS_STATUTAIRES = "cotisations_statutaires"
    CSG_CRDS = "csg_crds"
    EXONERATIONS = "exonerations"


class Rounding(StrEnum):
    """How totals are formed from the lines.

    PER_LINE (default, DESIGN §3.3): every line is rounded to the cent and the totals are
    sums of the rounded lines, so a payslip always adds up.
    EXACT_TOTALS: totals are the unrounded sums of base x rate, rounded once at the end,
    as modele-social does (reference-cases, portage-rules.md §3 worked example); the
    rounded lines may then differ from the totals by a few cents.
    """

    PER_LINE = "per_line"
    EXACT_TOTALS = "exact_totals"


class IncomeTaxKind(StrEnum):
    PERSONALISED = "personalised"
    NEUTRAL = "neutral"


@dataclass(frozen=True, slots=True, kw_only=True)
class PayslipInput:
    """One month of pay for one employee.

    The ytd_* fields carry the year-to-date figures of the previous months of the
    same year so that the RGDU is regularised cumulatively (CSS D241-7); leave
    them at zero for a single-month computation.
    """

    period: date
    gross: Decimal
    status: Status
    headcount: int
    contract_type: ContractType = ContractType.CDI
    atmp_rate: Decimal | None = None  # None: default of the rates file (taux moyen)
    mobility_rate: Decimal = ZERO
    mutuelle_total: Decimal = Decimal("40.00")
    mutuelle_employer_share: Decimal = Decimal("50")  # percent of mutuelle_total
    prevoyance_rate: Decimal | None = None  # cadres; None: minimum of the rates file
    pas_rate: Decimal | None = None  # personalised PAS rate; None: neutral grid
    pas_short_contract: bool = False  # contract <= 2 months: neutral-grid abatement
    part_time_ratio: Decimal = Decimal(1)  # pro-rates the PSS and the SMIC (R242-2 CSS)
    ytd_gross: Decimal = ZERO
    ytd_smic: Decimal = ZERO
    ytd_rgdu: Decimal = ZERO
    rounding: Rounding = Rounding.PER_LINE

    def __post_init__(self) -> None:
        if not isinstance(self.period, date):
            raise TypeError(f"period must be a date (got {self.period!r})")
        object.__setattr__(self, "status", Status(self.status))
        object.__setattr__(self, "contract_type", ContractType(self.contract_type))
        object.__setattr__(self, "rounding", Rounding(self.rounding))
        if isinstance(self.headcount, bool) or not isinstance(self.headcount, int):
            raise TypeError(f"headcount must be an int (got {self.headcount!r})")
        if self.headcount < 0:
            raise ValueError("headcount must be >= 0")
        for name in (
            "gross",
            "mobility_rate",
            "mutuelle_total",
            "mutuelle_employer_share",
            "part_time_ratio",
            "ytd_gross",
            "ytd_smic",
            "ytd_rgdu",
        ):
            object.__setattr__(self, name, to_decimal(getattr(self, name), name))
        for name in ("atmp_rate", "prevoyance_rate", "pas_rate"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, to_decimal(value, name))
        if self.gross < 0:
            raise ValueError("gross must be >= 0")
        if not 0 < self.part_time_ratio <= 1:
            raise ValueError("part_time_ratio must be in (0, 1]")


@dataclass(frozen=True, slots=True, kw_only=True)
class PayslipLine:
    """One contribution line. A rate of None means "no share" (shown as a dash)."""

    code: str
    label_fr: str
    label_en: str
    group: Group
    base: Decimal
    employee_rate: Decimal | None
    employee_amount: Decimal
    employer_rate: Decimal | None
    employer_amount: Decimal
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RgduResult:
    """RGDU of the month and the year-to-date figures to pass to next month."""

    coefficient: Decimal  # C, 4 decimals (0.3588)
    reduction: Decimal  # this month's reduction (positive; negative = regularisation)
    ytd_gross: Decimal  # including this month
    ytd_smic: Decimal
    ytd_rgdu: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomeTax:
    """Prélèvement à la source (CGI 204 A s.)."""

    kind: IncomeTaxKind
    base: Decimal  # net taxable, less the short-contract abatement if any
    rate: Decimal  # percent
    amount: Decimal
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PayslipResult:
    inputs: PayslipInput
    rates_file: str
    pss: Decimal  # monthly ceiling used (pro-rated)
    smic: Decimal  # monthly SMIC used (pro-rated)
    lines: tuple[PayslipLine, ...]
    gross: Decimal
    employee_contributions: Decimal
    employer_contributions: Decimal
    net_before_income_tax: Decimal
    net_taxable: Decimal
    net_social: Decimal
    employer_cost: Decimal
    income_tax: IncomeTax
    net_paid: Decimal
    rgdu: RgduResult

    def line(self, code: str) -> PayslipLine | None:
        return next((line for line in self.lines if line.code == code), None)

    def lines_by_group(self) -> dict[Group, list[PayslipLine]]:
        """Lines grouped as on the bulletin clarifié (groups in payslip order)."""
        grouped: dict[Group, list[PayslipLine]] = {}
        for group in Group:
            members = [line for line in self.lines if line.group is group]
            if members:
                grouped[group] = members
        return grouped
