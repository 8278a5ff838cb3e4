"""Payroll engine: one payslip (budget 2 ms), inversions (budget 20 ms), portage composition."""

from datetime import date
from decimal import Decimal

from apps.payroll.engine import (
    PayslipInput,
    Status,
    compose_portage_salary,
    compute_payslip,
    gross_from_employer_cost,
    gross_from_net,
    load_rates,
)

from .run import Benchmark

PERIOD = date(2026, 1, 1)
TEMPLATE = PayslipInput(period=PERIOD, gross=Decimal("6361.12"), status=Status.CADRE, headcount=20)
load_rates(PERIOD)  # the first load reads the TOML file; the monthly run loads it once

BENCHMARKS = [
    Benchmark(
        "payroll.compute_payslip (cadre, 6 361.12 €)",
        lambda: compute_payslip(TEMPLATE),
        repeat=500,
        budget=2.0,
    ),
    Benchmark(
        "payroll.gross_from_employer_cost (9 400 €)",
        lambda: gross_from_employer_cost(Decimal("9400"), TEMPLATE),
        repeat=100,
        budget=20.0,
    ),
    Benchmark(
        "payroll.gross_from_net (5 000 €)",
        lambda: gross_from_net(Decimal("5000"), TEMPLATE),
        repeat=100,
        budget=20.0,
    ),
    Benchmark(
        "payroll.compose_portage_salary (9 400 € available)",
        lambda: compose_portage_salary(Decimal("9400"), TEMPLATE),
        repeat=100,
        budget=20.0,
    ),
]


def _simulate_portage():
    # Imported here: the simulator module imports Django (bench.run sets Django up).
    from apps.payroll.simulator import simulate_portage

    # fee_bounds given: no database read, the engine alone is timed.
    return simulate_portage(
        daily_rate=Decimal("600"),
        days_per_month=Decimal("18"),
        management_fee_rate=Decimal("7"),
        status="cadre",
        headcount=20,
        period=PERIOD,
        classification_level=2,
        fee_bounds=(Decimal("0"), Decimal("30")),
    )


BENCHMARKS.append(
    Benchmark(
        "payroll.simulate_portage (600 € × 18 days, 7 %)",
        _simulate_portage,
        repeat=100,
        budget=20.0,
    )
)
