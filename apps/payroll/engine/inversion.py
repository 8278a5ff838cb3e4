"""Gross from a target employer cost or net, exact to the cent (DESIGN §3.7).

Both figures grow with the gross, but not strictly cent by cent: per-line rounding can
make the net dip by a few cents when the gross rises by one, and the CET (due only
above 1 PSS) makes the net drop by ~5.60 EUR just above the ceiling. So the solver
works on whole cents: a secant guess, a bracket, a bisection, then a short climb
upwards that catches the rounding dips (bounded by NET_MAX_DIP). Jumps down (the CET)
are handled by solving on the branch above them first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from .money import cents, from_cents, round_cent, to_decimal
from .payslip import compute_payslip
from .rates import load_rates
from .types import PayslipInput, PayslipResult

# Each rounded employee line is within half a cent of its exact value (plus a hair for
# the CSG lines, whose base is rounded too), and the exact net increases with the gross.
# So two points of the net cannot dip by more than 11 lines x 1 cent (+ margin): once a
# value exceeds target + NET_MAX_DIP, no larger gross comes back under the target.
# The portage solve (employer cost + loaded reserve) dips by less.
NET_MAX_DIP = Decimal("0.12")
# The secant stops this close to the target (EUR): a few cents of gross from the answer.
SECANT_TOLERANCE = Decimal("0.05")
_MAX_CENTS = 10**10  # 100 million EUR: beyond, the target is not a salary


class InversionError(ValueError):
    """The target cannot be reached with a gross >= 0."""


def largest_at_most(
    evaluate: Callable[[int], Decimal],
    target: Decimal,
    *,
    guess: int,
    max_dip: Decimal = NET_MAX_DIP,
    breakpoints: Sequence[int] = (),
) -> int:
    """Largest x (whole cents, >= 0) with evaluate(x) <= target.

    evaluate is increasing except for dips of at most `max_dip` (0 for a non-decreasing
    function) and downward jumps just after the `breakpoints`.
    Raises InversionError if no x >= 0 qualifies.
    """
    lowest = 0
    # Above a downward jump the function restarts lower: if the branch above it reaches
    # the target, the answer is there (the function is increasing on that branch).
    for point in sorted(breakpoints, reverse=True):
        start = _climb(evaluate, target, point + 1, max_dip, inclusive=True)
        if start is not None:
            lowest = start
            break
    guess = max(guess, lowest)
    # A point at or under the target exists if the guess is one; else check the lowest.
    if evaluate(guess) > target and evaluate(lowest) > target:
        raise InversionError(f"target {target} is below the value at gross {from_cents(lowest)}")

    lo, hi = _bracket(evaluate, target, lowest, guess)
    while hi - lo > 1:
        middle = (lo + hi) // 2
        if evaluate(middle) <= target:
            lo = middle
        else:
            hi = middle
    # Dips: a slightly larger x may still be <= target; climb until none can be.
    while (higher := _climb(evaluate, target, lo + 1, max_dip, inclusive=True)) is not None:
        lo = higher
    return lo


def _climb(
    evaluate: Callable[[int], Decimal],
    target: Decimal,
    start: int,
    max_dip: Decimal,
    *,
    inclusive: bool,
) -> int | None:
    """First x >= start with evaluate(x) <= target, looking only while a dip could bring
    the function back under the target; None if there is none."""
    x = start
    while True:
        value = evaluate(x)
        if value <= target:
            return x
        if value > target + max_dip:
            return None
        x += 1


def _bracket(
    evaluate: Callable[[int], Decimal], target: Decimal, lowest: int, guess: int
) -> tuple[int, int]:
    """(lo, hi) with evaluate(lo) <= target < evaluate(hi), searched outwards from guess."""
    step = 2
    if evaluate(guess) <= target:
        lo, hi = guess, guess + step
        while evaluate(hi) <= target:
            lo, hi, step = hi, hi + step, step * 4
            if hi > _MAX_CENTS:
                raise InversionError(f"target {target} needs a gross above {from_cents(hi)}")
        return lo, hi
    lo, hi = max(guess - step, lowest), guess
    while evaluate(lo) > target:
        hi, lo, step = lo, max(lo - step, lowest), step * 4
    return lo, hi


def secant_guess(
    evaluate: Callable[[int], Decimal],
    target: Decimal,
    probe: int,
    *,
    tolerance: Decimal = SECANT_TOLERANCE,
) -> int:
    """A starting point within a few cents of the solution: the metrics are almost linear
    in the gross, so a proportional step then a few secant steps get there. Stopping
    within `tolerance` of the target leaves the bracket and bisection very little to do."""
    x0, y0 = probe, evaluate(probe)
    x1 = max(int(probe * target / y0), 0) if y0 > 0 else probe
    for _ in range(5):
        y1 = evaluate(x1)
        if x1 == x0 or y1 == y0 or abs(y1 - target) < tolerance:
            break
        slope = (y1 - y0) / (x1 - x0)
        if slope <= 0:
            break
        x0, y0, x1 = x1, y1, max(int(x1 + (target - y1) / slope), 0)
    return x1


def _solve(
    target: Decimal,
    template: PayslipInput,
    metric: Callable[[PayslipResult], Decimal],
    *,
    max_dip: Decimal,
    breakpoints: Sequence[int] = (),
) -> PayslipResult:
    rates = load_rates(template.period)
    results: dict[int, PayslipResult] = {}

    def evaluate(gross_cents: int) -> Decimal:
        if gross_cents not in results:
            inputs = replace(template, gross=from_cents(gross_cents))
            results[gross_cents] = compute_payslip(inputs, rates)
        return metric(results[gross_cents])

    target = round_cent(to_decimal(target, "target"))
    guess = secant_guess(evaluate, target, max(cents(target), 100))
    best = largest_at_most(evaluate, target, guess=guess, max_dip=max_dip, breakpoints=breakpoints)
    evaluate(best)
    return results[best]


def gross_from_employer_cost(target: Decimal, template: PayslipInput) -> PayslipResult:
    """Payslip of the largest gross whose employer cost is <= target.

    `template` gives every input but the gross (template.gross is ignored). The employer
    cost never decreases with the gross (each line rounds up or stays; the RGDU falls).
    """
    return _solve(target, template, lambda result: result.employer_cost, max_dip=Decimal(0))


def gross_from_net(target: Decimal, template: PayslipInput) -> PayslipResult:
    """Payslip of the largest gross whose net before income tax is <= target.

    `template` gives every input but the gross (template.gross is ignored).
    """
    # The CET starts above 1 PSS (pro-rated): the net drops by ~5.60 EUR just above it.
    pss = load_rates(template.period).pss.monthly * template.part_time_ratio
    return _solve(
        target,
        template,
        lambda result: result.net_before_income_tax,
        max_dip=NET_MAX_DIP,
        breakpoints=(cents(round_cent(pss)),),
    )
