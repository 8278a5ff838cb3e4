"""Business rules of the consultant profile: eligibility (PR-06), fee bounds, status map.

Legal thresholds are dated parameters (selected by the date they apply to), never bare
constants: a change of the law or of the collective agreement is a new row here.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# PR-06. Code du travail L1254-2 I (the consultant brings expertise, qualification and
# autonomy); the collective agreement makes it measurable: a qualification of at least
# niveau III of the 1969 nomenclature (Bac+2, "niveau 5" since décret n° 2019-14 of
# 8 January 2019) OR at least 3 years of experience in the same sector.
ELIGIBILITY_RULES: list[dict] = [
    {
        "valid_from": date(2017, 3, 22),
        "min_diploma_level": 5,
        "min_years": Decimal("3"),
        "reference": "L1254-2 / CCN art. 2.2",
        "source": (
            "Code du travail art. L1254-2 I; Convention collective de branche des salariés en "
            "portage salarial du 22 mars 2017 (IDCC 3219), art. 2.2, extended by arrêté of "
            "28 April 2017"
        ),
    },
]

# Used only before the company profile exists (PR-28: fees are contractual, no legal bounds).
FEE_FALLBACK = {"default": Decimal("7.00"), "min": Decimal("0.00"), "max": Decimal("100.00")}


def eligibility_rule_for(on: date | None = None) -> dict:
    """The eligibility rule in force on `on` (today in Europe/Paris by default)."""
    on = on or timezone.localdate()
    applicable = [rule for rule in ELIGIBILITY_RULES if rule["valid_from"] <= on]
    if not applicable:
        return min(ELIGIBILITY_RULES, key=lambda rule: rule["valid_from"])
    return max(applicable, key=lambda rule: rule["valid_from"])


@dataclass(frozen=True)
class EligibilityResult:
    """`eligible` False with `complete` False is a warning (data missing): fine for a prospect,
    but activation is refused until the evidence is recorded."""

    eligible: bool
    message: str
    complete: bool = True

    @property
    def level(self) -> str:
        if self.eligible:
            return "ok"
        return "refused" if self.complete else "warning"


def _fmt_years(years) -> str:
    if years is None:
        return "?"
    years = Decimal(years).normalize()
    return f"{years:f}"


def consultant_eligibility(consultant, *, on: date | None = None) -> EligibilityResult:
    """PR-06: diploma level >= the rule's minimum OR sector experience >= the minimum years."""
    rule = eligibility_rule_for(on)
    level = consultant.highest_diploma_level
    years = consultant.years_of_experience
    params = {
        "reference": rule["reference"],
        "level": "?" if level is None else level,
        "years": _fmt_years(years),
        "min_level": rule["min_diploma_level"],
        "min_years": _fmt_years(rule["min_years"]),
    }
    if level is not None and level >= rule["min_diploma_level"]:
        return EligibilityResult(
            True, str(_("Eligible (%(reference)s): diploma level %(level)s.") % params)
        )
    if years is not None and Decimal(years) >= rule["min_years"]:
        return EligibilityResult(
            True,
            str(
                _("Eligible (%(reference)s): %(years)s years of experience in the sector.") % params
            ),
        )
    if level is None or years is None:
        return EligibilityResult(
            False,
            str(
                _(
                    "Eligibility incomplete (%(reference)s): record the diploma level and the "
                    "years of experience in the sector (diploma level %(level)s, "
                    "%(years)s years recorded)."
                )
                % params
            ),
            complete=False,
        )
    return EligibilityResult(
        False,
        str(
            _(
                "Not eligible for portage (%(reference)s): diploma level %(level)s and "
                "%(years)s years of experience; at least level %(min_level)s (Bac+2) or "
                "%(min_years)s years of experience in the sector are required."
            )
            % params
        ),
    )


def management_fee_bounds() -> dict[str, Decimal]:
    """{"default", "min", "max"} from the company profile (PR-28), or the fallback."""
    from apps.core.selectors import company_profile_get

    profile = company_profile_get()
    if profile is None:
        return dict(FEE_FALLBACK)
    return {
        "default": profile.default_management_fee_rate,
        "min": profile.min_management_fee_rate,
        "max": profile.max_management_fee_rate,
    }


def default_management_fee_rate() -> Decimal:
    """Model field default: the company's current default management fee."""
    return management_fee_bounds()["default"]
