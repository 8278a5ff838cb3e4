"""simulate_payslip: one plain payslip from a gross, an employer cost or a net (issue 6 §7).

A stable command-line contract used by the acceptance checks:

    manage.py simulate_payslip --gross 6361.12 --status cadre --headcount 20 --period 2026-01 --json
    manage.py simulate_payslip --employer-cost 9400 --status non-cadre --headcount 250 --period 2026-01
    manage.py simulate_payslip --net 5000 --status cadre --headcount 20 --period 2026-01 --json
    manage.py simulate_payslip --batch cases.json --json

No portage composition: the figure given is the payslip's. Same engine as the monthly run
(apps.payroll.simulator.simulate_plain). Errors exit non-zero with a clear message.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.payroll.simulator import payslip_as_dict, simulate_plain

AMOUNT_KEYS = ("gross", "employer_cost", "net")
OPTION_KEYS = ("atmp_rate", "mobility_rate", "mutuelle", "contract")
BATCH_KEYS = frozenset(AMOUNT_KEYS + ("status", "headcount", "period") + OPTION_KEYS)
DEFAULTS = {
    "atmp_rate": Decimal("2.08"),
    "mobility_rate": Decimal("0"),
    "mutuelle": Decimal("40.00"),
    "contract": "CDI",
}
TOTALS = (
    ("gross", "Gross salary"),
    ("employee_contributions", "Employee contributions"),
    ("employer_contributions", "Employer contributions"),
    ("net_before_income_tax", "Net before income tax"),
    ("net_taxable", "Net taxable"),
    ("net_social", "Net social amount"),
    ("income_tax", "Income tax withheld (neutral grid)"),
    ("net_paid", "Net paid"),
    ("employer_cost", "Total employer cost"),
)


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{'' if field == '__all__' else field + ': '}{' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    # A pure computation (no database, no admin): it must answer even when an unrelated
    # part of the project fails its system checks.
    requires_system_checks: list = []
    help = (
        "Compute a plain French payslip (no portage composition) from a gross salary, a total "
        "employer cost or a net before income tax, with every contribution line."
    )

    def add_arguments(self, parser):
        amount = parser.add_mutually_exclusive_group()
        amount.add_argument("--gross", type=Decimal, help="Monthly gross salary (EUR).")
        amount.add_argument(
            "--employer-cost", type=Decimal, help="Target total employer cost (EUR)."
        )
        amount.add_argument("--net", type=Decimal, help="Target net before income tax (EUR).")
        amount.add_argument(
            "--batch",
            type=Path,
            help="JSON file: an array of objects with gross|employer_cost|net, status, "
            "headcount, period and optionally atmp_rate, mobility_rate, mutuelle, contract.",
        )
        parser.add_argument("--status", choices=["cadre", "non-cadre"])
        parser.add_argument("--headcount", type=int, help="Company headcount (thresholds).")
        parser.add_argument("--period", help="Pay period YYYY-MM (default: this month).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument(
            "--atmp-rate", type=Decimal, default=DEFAULTS["atmp_rate"], help="AT/MP rate, %%."
        )
        parser.add_argument(
            "--mobility-rate",
            type=Decimal,
            default=DEFAULTS["mobility_rate"],
            help="Versement mobilité rate, %% (due from 11 employees).",
        )
        parser.add_argument(
            "--mutuelle",
            type=Decimal,
            default=DEFAULTS["mutuelle"],
            help="Monthly health insurance premium, EUR (employer pays 50 %%).",
        )
        parser.add_argument("--contract", choices=["CDI", "CDD"], default=DEFAULTS["contract"])

    def handle(self, *args, **options):
        if options["batch"] is not None:
            results = [
                self._compute(case, where=f"item {index}")
                for index, case in enumerate(self._read_batch(options["batch"]))
            ]
            if options["json"]:
                self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))
            else:
                for index, result in enumerate(results):
                    self.stdout.write(f"== item {index}")
                    self._table(result)
            return
        given = [key for key in AMOUNT_KEYS if options[key] is not None]
        if not given:
            raise CommandError("Give one of --gross, --employer-cost, --net or --batch.")
        for required in ("status", "headcount"):
            if options[required] is None:
                raise CommandError(f"--{required} is required.")
        case = {key: options[key] for key in AMOUNT_KEYS if options[key] is not None}
        case.update(
            status=options["status"],
            headcount=options["headcount"],
            period=options["period"],
            **{key: options[key] for key in OPTION_KEYS},
        )
        result = self._compute(case, where=None)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            self._table(result)

    def _read_batch(self, path: Path) -> list[dict]:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read the batch file {path}: {error.strerror}") from error
        try:
            cases = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise CommandError(f"the batch file {path} is not valid JSON: {error}") from error
        if not isinstance(cases, list):
            raise CommandError(f"the batch file {path} must hold a JSON array of objects")
        for index, case in enumerate(cases):
            if not isinstance(case, dict):
                raise CommandError(f"item {index}: expected an object, got {type(case).__name__}")
            unknown = sorted(set(case) - BATCH_KEYS)
            if unknown:
                raise CommandError(
                    f"item {index}: unknown key(s) {', '.join(unknown)}; "
                    f"allowed: {', '.join(sorted(BATCH_KEYS))}"
                )
            amounts = [key for key in AMOUNT_KEYS if case.get(key) is not None]
            if len(amounts) != 1:
                raise CommandError(
                    f"item {index}: give exactly one of gross, employer_cost, net "
                    f"(got {', '.join(amounts) or 'none'})"
                )
            missing = [key for key in ("status", "headcount", "period") if key not in case]
            if missing:
                raise CommandError(f"item {index}: missing key(s) {', '.join(missing)}")
        return cases

    def _compute(self, case: dict, *, where: str | None) -> dict:
        prefix = f"{where}: " if where else ""
        headcount = case["headcount"]
        if isinstance(headcount, Decimal) and headcount == headcount.to_integral_value():
            headcount = int(headcount)
        if case["status"] not in ("cadre", "non-cadre"):
            raise CommandError(f"{prefix}status must be cadre or non-cadre")
        if case.get("contract", "CDI") not in ("CDI", "CDD"):
            raise CommandError(f"{prefix}contract must be CDI or CDD")
        try:
            result = simulate_plain(
                gross=case.get("gross"),
                employer_cost=case.get("employer_cost"),
                net=case.get("net"),
                status=case["status"],
                headcount=headcount,
                period=case.get("period"),
                contract_type=case.get("contract", DEFAULTS["contract"]),
                atmp_rate=case.get("atmp_rate", DEFAULTS["atmp_rate"]),
                mobility_rate=case.get("mobility_rate", DEFAULTS["mobility_rate"]),
                mutuelle=case.get("mutuelle", DEFAULTS["mutuelle"]),
            )
        except ValidationError as error:
            raise CommandError(f"{prefix}{_message(error)}") from error
        return payslip_as_dict(result)

    def _table(self, result: dict) -> None:
        def rate(value):
            return "-" if value is None else f"{value} %"

        header = (
            f"{'Code':<42} {'Base':>10} {'Empl. rate':>10} {'Employee':>10} "
            f"{'Empr. rate':>10} {'Employer':>10}"
        )
        out = self.stdout
        out.write(header)
        out.write("-" * len(header))
        for line in result["lines"]:
            out.write(
                f"{line['code']:<42} {line['base']:>10} {rate(line['employee_rate']):>10} "
                f"{line['employee_amount']:>10} {rate(line['employer_rate']):>10} "
                f"{line['employer_amount']:>10}"
            )
            out.write(f"  {line['label']}")
        out.write("-" * len(header))
        for key, label in TOTALS:
            out.write(f"{label:<42} {result[key]:>12}")
