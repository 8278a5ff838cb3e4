"""Benchmark runner: `make bench` (or `python -m bench.run [name ...]`).

Each module bench/bench_*.py defines `BENCHMARKS`: a list of `Benchmark`s. The runner times
each one `repeat` times and reports the median and the machine it ran on; results go to
stdout and bench/results/latest.json. Budgets are checked and reported, not asserted by tests.
"""

import importlib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


@dataclass
class Benchmark:
    name: str
    func: Callable[[], object]
    repeat: int = 50
    unit: str = "ms"
    budget: float | None = None  # in `unit`, for the median
    setup: Callable[[], None] | None = None
    extra: dict = field(default_factory=dict)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def run(benchmark: Benchmark) -> dict:
    if benchmark.setup:
        benchmark.setup()
    scale = {"ms": 1000.0, "s": 1.0, "us": 1_000_000.0}[benchmark.unit]
    samples = []
    for _ in range(benchmark.repeat):
        start = time.perf_counter()
        benchmark.func()
        samples.append((time.perf_counter() - start) * scale)
    median = statistics.median(samples)
    return {
        "name": benchmark.name,
        "unit": benchmark.unit,
        "repeat": benchmark.repeat,
        "median": round(median, 4),
        "p95": round(sorted(samples)[max(0, int(len(samples) * 0.95) - 1)], 4),
        "budget": benchmark.budget,
        "within_budget": None if benchmark.budget is None else median <= benchmark.budget,
        **benchmark.extra,
    }


def discover(names: list[str]) -> list[Benchmark]:
    found = []
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        module = importlib.import_module(f"bench.{path.stem}")
        for benchmark in getattr(module, "BENCHMARKS", []):
            if not names or any(n in benchmark.name for n in names):
                found.append(benchmark)
    return found


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portage_office.settings.test")
    django.setup()
    benchmarks = discover(argv)
    print(f"machine: {machine()}")
    if not benchmarks:
        print("no benchmark found")
        return 0
    results = []
    for benchmark in benchmarks:
        result = run(benchmark)
        results.append(result)
        budget = (
            ""
            if result["budget"] is None
            else f"  (budget {result['budget']} {result['unit']}: {'ok' if result['within_budget'] else 'OVER'})"
        )
        print(
            f"{result['name']:<50} median {result['median']:>10} {result['unit']}  p95 {result['p95']:>10}{budget}"
        )
    out = BENCH_DIR / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"machine": machine(), "results": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
