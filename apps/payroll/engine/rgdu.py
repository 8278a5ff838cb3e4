"""Réduction générale dégressive unique (RGDU), from 01/01/2026.

CSS L241-13 and D241-7 (LFSS 2026, BOSS "allègements généraux"):
    C = Tmin + Tdelta x (1/2 x (3 x SMIC / gross - 1)) ^ P, rounded to 4 decimals,
    capped at Tmin + Tdelta, 0 from 3 SMIC; reduction = C x gross.
The computation is cumulative over the year: C uses the year-to-date gross and SMIC,
and this month's reduction is the cumulative reduction minus what was already taken,
which regularises the previous months.
"""

from decimal import ROUND_HALF_UP, Decimal

from .money import round_cent
from .rates import RgduParams
from .types import RgduResult

_HALF = Decimal("0.5")


def decimal_power(base: Decimal, exponent: Decimal) -> Decimal:
    """base ** exponent (base >= 0). Decimal's non-integer power costs ~75 µs, a third of a
    whole payslip; when the exponent's denominator is a small power of two (the RGDU's
    1.75 = 7/4), an integer power then square roots gives the same value to the context's
    28 digits about ten times faster (each step is correctly rounded)."""
    numerator, denominator = exponent.as_integer_ratio()
    if numerator > 0 and denominator <= 16 and denominator & (denominator - 1) == 0:
        value = base**numerator
        while denominator > 1:
            value, denominator = value.sqrt(), denominator // 2
        return value
    return base**exponent


def rgdu_coefficient(
    gross: Decimal, smic: Decimal, t_delta: Decimal, params: RgduParams
) -> Decimal:
    """Coefficient C for a gross and the SMIC of the same period (month or year to date)."""
    quantum = Decimal(1).scaleb(-params.coefficient_decimals)
    if gross <= 0 or gross >= params.smic_multiple * smic:
        return Decimal(0).quantize(quantum)
    ratio = _HALF * (params.smic_multiple * smic / gross - 1)
    coefficient = params.t_min + t_delta * decimal_power(ratio, params.exponent)
    coefficient = min(coefficient, params.t_min + t_delta)
    return coefficient.quantize(quantum, rounding=ROUND_HALF_UP)


def compute_rgdu(
    *,
    gross: Decimal,
    smic: Decimal,
    headcount: int,
    params: RgduParams,
    ytd_gross: Decimal,
    ytd_smic: Decimal,
    ytd_rgdu: Decimal,
) -> RgduResult:
    """This month's reduction, regularised on the year-to-date figures.

    `smic` is this month's SMIC reference (pro-rated for part time); the ytd_* inputs
    are the sums of the previous months of the same calendar year.
    """
    total_gross = ytd_gross + gross
    total_smic = ytd_smic + smic
    coefficient = rgdu_coefficient(total_gross, total_smic, params.t_delta(headcount), params)
    cumulative = round_cent(coefficient * total_gross)
    reduction = cumulative - ytd_rgdu
    return RgduResult(
        coefficient=coefficient,
        reduction=reduction,
        ytd_gross=total_gross,
        ytd_smic=total_smic,
        ytd_rgdu=cumulative,
    )
