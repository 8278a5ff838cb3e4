"""Contribution lines of a 2026 payslip (payroll-2026.md §2), in bulletin-clarifié order.

Each line: base rounded to the cent, amount = base x rate rounded half-up to the cent.
Tranches are separate lines (T1, T2), as on a French payslip.
"""

from __future__ import annotations

from decimal import Decimal

from .labels import LINE_LABELS
from .money import HUNDRED, ZERO, percent_of, round_cent
from .rates import Rates
from .types import ContractType, Group, PayslipInput, PayslipLine, Status

# Unrounded amounts (employee, employer) per line code, for Rounding.EXACT_TOTALS.
ExactAmounts = dict[str, tuple[Decimal, Decimal]]


class _Lines:
    """Collects lines; knows the headcount to pick the tier of each rate."""

    def __init__(self, rates: Rates, headcount: int) -> None:
        self.rates = rates
        self.headcount = headcount
        self.lines: list[PayslipLine] = []
        self.exact: ExactAmounts = {}

    def add(
        self,
        code: str,
        group: Group,
        base: Decimal,
        *,
        employee_rate: Decimal | None,
        employer_rate: Decimal | None,
        source: str,
        employee_amount: Decimal | None = None,
        employer_amount: Decimal | None = None,
    ) -> PayslipLine:
        # The amount shown is the shown (rounded) base x rate, so each line can be checked
        # by hand; the unrounded product of the unrounded base feeds EXACT_TOTALS.
        exact_base, base = base, round_cent(base)
        exact_employee = employee_amount
        if exact_employee is None:
            exact_employee = ZERO if employee_rate is None else exact_base * employee_rate / HUNDRED
            employee_amount = ZERO if employee_rate is None else percent_of(base, employee_rate)
        exact_employer = employer_amount
        if exact_employer is None:
            exact_employer = ZERO if employer_rate is None else exact_base * employer_rate / HUNDRED
            employer_amount = ZERO if employer_rate is None else percent_of(base, employer_rate)
        label_fr, label_en = LINE_LABELS[code]
        line = PayslipLine(
            code=code,
            label_fr=label_fr,
            label_en=label_en,
            group=group,
            base=base,
            employee_rate=employee_rate,
            employee_amount=employee_amount,
            employer_rate=employer_rate,
            employer_amount=employer_amount,
            source=source,
        )
        if employee_amount or employer_amount:
            self.lines.append(line)
            self.exact[code] = (exact_employee, exact_employer)
        return line

    def standard(self, code: str, group: Group, base: Decimal) -> PayslipLine | None:
        """A line whose rates come straight from the file; None when not due at this headcount."""
        rate = self.rates.contribution(code)
        tier = rate.tier(self.headcount)
        if tier is None:
            return None
        return self.add(
            code,
            group,
            base,
            employee_rate=tier.employee,
            employer_rate=tier.employer,
            source=rate.source,
        )


def contribution_lines(
    inputs: PayslipInput, rates: Rates, pss: Decimal
) -> tuple[list[PayslipLine], ExactAmounts]:
    """Every line except the RGDU, which needs the SMIC and the year-to-date figures.

    Also returns the unrounded amount of each line (base x rate) for EXACT_TOTALS.
    """
    gross = inputs.gross
    ceilings = rates.ceilings
    t1 = min(gross, pss)
    tranche_2_max = pss * ceilings.tranche_2_max_pss
    t2 = max(min(gross, tranche_2_max) - pss, ZERO)
    capped_4 = min(gross, pss * ceilings.capped_4_pss)
    cadre = inputs.status is Status.CADRE
    lines = _Lines(rates, inputs.headcount)

    # Santé
    lines.standard("maladie", Group.SANTE, gross)
    prevoyance_employer = ZERO
    if cadre:
        prevoyance = rates.contribution("prevoyance_cadre")
        prevoyance_rate = inputs.prevoyance_rate
        if prevoyance_rate is None:
            prevoyance_rate = prevoyance.tiers[0].employer
        lines.add(
            "prevoyance_cadre",
            Group.SANTE,
            t1,
            employee_rate=None,
            employer_rate=prevoyance_rate,
            source=prevoyance.source,
        )
        # Unrounded, as in modele-social: it feeds the forfait social and CSG bases, whose
        # shown base is rounded once (equal to the rounded amount + the whole-cent mutuelle).
        prevoyance_employer = lines.exact.get("prevoyance_cadre", (ZERO, ZERO))[1]
    mutuelle_employer = _mutuelle(lines, inputs, rates).employer_amount

    # Accidents du travail
    atmp = rates.contribution("atmp")
    lines.add(
        "atmp",
        Group.ACCIDENTS_TRAVAIL,
        gross,
        employee_rate=None,
        employer_rate=inputs.atmp_rate if inputs.atmp_rate is not None else atmp.tiers[0].employer,
        source="rate notified by the CARSAT (input)"
        if inputs.atmp_rate is not None
        else atmp.source,
    )

    # Retraite: T1 then T2, each scheme on its own line; CET only above 1 PSS.
    lines.standard("vieillesse_plafonnee", Group.RETRAITE, t1)
    lines.standard("vieillesse_deplafonnee", Group.RETRAITE, gross)
    lines.standard("retraite_complementaire_t1", Group.RETRAITE, t1)
    lines.standard("ceg_t1", Group.RETRAITE, t1)
    lines.standard("retraite_complementaire_t2", Group.RETRAITE, t2)
    lines.standard("ceg_t2", Group.RETRAITE, t2)
    if gross > pss:
        lines.standard("cet", Group.RETRAITE, min(gross, tranche_2_max))

    # Famille, chômage
    lines.standard("allocations_familiales", Group.FAMILLE, gross)
    lines.standard("chomage", Group.ASSURANCE_CHOMAGE, capped_4)
    lines.standard("ags", Group.ASSURANCE_CHOMAGE, capped_4)

    # Autres contributions dues par l'employeur
    _fnal(lines, gross, t1)
    lines.standard("csa", Group.AUTRES_CONTRIBUTIONS, gross)
    mobility = rates.contribution("versement_mobilite")
    if mobility.tier(inputs.headcount) is not None and inputs.mobility_rate:
        lines.add(
            "versement_mobilite",
            Group.AUTRES_CONTRIBUTIONS,
            gross,
            employee_rate=None,
            employer_rate=inputs.mobility_rate,
            source=f"{mobility.source} (rate: input)",
        )
    lines.standard("formation_professionnelle", Group.AUTRES_CONTRIBUTIONS, gross)
    if inputs.contract_type is ContractType.CDD:
        lines.standard("cpf_cdd", Group.AUTRES_CONTRIBUTIONS, gross)
    lines.standard("taxe_apprentissage", Group.AUTRES_CONTRIBUTIONS, gross)
    lines.standard("taxe_apprentissage_solde", Group.AUTRES_CONTRIBUTIONS, gross)
    lines.standard("contribution_supplementaire_apprentissage", Group.AUTRES_CONTRIBUTIONS, gross)
    lines.standard("dialogue_social", Group.AUTRES_CONTRIBUTIONS, gross)
    # CSS L137-15: employer prévoyance and health contributions, exempt from contributions.
    lines.standard(
        "forfait_social", Group.AUTRES_CONTRIBUTIONS, prevoyance_employer + mutuelle_employer
    )
    lines.standard("peec", Group.AUTRES_CONTRIBUTIONS, gross)

    # Cotisations statutaires (APEC, cadres)
    if cadre:
        lines.standard("apec", Group.COTISATIONS_STATUTAIRES, capped_4)

    # CSG/CRDS: 98.25 % of earnings up to 4 PSS, 100 % above, plus the employer's
    # prévoyance and health contributions (CSS L136-1-1).
    abated_cap = pss * ceilings.csg_abatement_max_pss
    csg_base = (
        min(gross, abated_cap) * ceilings.csg_abated_share / HUNDRED
        + max(gross - abated_cap, ZERO)
        + prevoyance_employer
        + mutuelle_employer
    )
    for code in ("csg_deductible", "csg_non_deductible", "crds"):
        lines.standard(code, Group.CSG_CRDS, csg_base)
    return lines.lines, lines.exact


def _mutuelle(lines: _Lines, inputs: PayslipInput, rates: Rates) -> PayslipLine:
    """Flat premium split between employer (>= 50 %, CSS L911-7) and employee."""
    mutuelle = rates.contribution("mutuelle")
    share = inputs.mutuelle_employer_share
    minimum = mutuelle.extra["min_employer_share"]
    if not minimum <= share <= HUNDRED:
        raise ValueError(f"mutuelle_employer_share must be between {minimum} and 100 (got {share})")
    total = round_cent(inputs.mutuelle_total)
    employer_amount = percent_of(total, share)
    return lines.add(
        "mutuelle",
        Group.SANTE,
        total,
        employee_rate=HUNDRED - share,
        employer_rate=share,
        employee_amount=total - employer_amount,
        employer_amount=employer_amount,
        source=mutuelle.source,
    )


def _fnal(lines: _Lines, gross: Decimal, t1: Decimal) -> None:
    """FNAL: capped base below the threshold, whole salary above (CSS L834-1)."""
    fnal = lines.rates.contribution("fnal")
    tier = fnal.tier(lines.headcount)
    if tier is None:
        return
    lines.add(
        "fnal",
        Group.AUTRES_CONTRIBUTIONS,
        t1 if tier.base == "t1" else gross,
        employee_rate=None,
        employer_rate=tier.employer,
        source=fnal.source,
    )
