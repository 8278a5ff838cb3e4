"""The payroll simulator: what a consultant would earn, with the same engine as the run.

- `simulate_portage(...)`: from a TJM, days per month, management fee rate and expenses,
  the whole chain turnover → fee → expenses → available → employer cost → gross (base
  salary, prime d'apport, paid leave; the reserve or precarity provision set aside) →
  every contribution line → net before income tax → PAS → net paid (portage-rules.md §3).
- `simulate_plain(...)`: a plain payslip from a gross, an employer cost or a net (no
  portage composition): the `simulate_payslip` command (issue 6 §7).

Nothing is written: these are reads of the engine. Bad input raises Django's
ValidationError keyed by field, with translated messages.
"""

from .defaults import simulation_defaults_for_user
from .inputs import (
    management_fee_bounds_for_simulation,
    parse_period,
    simulation_period,
    working_days,
)
from .plain import payslip_as_dict, simulate_plain
from .portage import PortageSimulation, simulate_portage

__all__ = [
    "PortageSimulation",
    "management_fee_bounds_for_simulation",
    "parse_period",
    "simulation_period",
    "payslip_as_dict",
    "simulate_plain",
    "simulate_portage",
    "simulation_defaults_for_user",
    "working_days",
]
