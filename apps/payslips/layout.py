"""The printed models of the French payslip: which rubrics, in which order, under which
labels, and which model a payslip follows.

The arrêté du 25 février 2016 (as amended) fixes the model of the *bulletin de paie
clarifié*. Two versions matter to us:

* the **adapté** model (arrêté du 31 janvier 2023, art. 2: the 2022 model plus the
  « Montant net social » line), in force for pay made until 31 December 2026;
* the **rénové** model (same arrêté, art. 1), mandatory for pay made from 1 January 2027
  (date postponed by the arrêtés du 25 juin 2024 and du 11 août 2025).

Which one applies depends on the payment date, read from the dated parameter file
`apps/payslips/data/payslip_models.toml` (docs/payslip-model-2027.md), never from a
constant in code: a new postponement is a new line in that file.

Each model is a tuple of rows in the model's order: block titles, group headings, rubric
lines (the sum of the engine lines whose codes they list) and totals. Every engine line
code is in exactly one rubric line of each model (a code in none raises
UnmappedLineError, so a new engine line cannot silently vanish from the payslip). Pure
Python: no ORM, no template.
"""

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

MODELS_FILE = Path(__file__).resolve().parent / "data" / "payslip_models.toml"


# --- the rows of a model -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Title:
    """A block title across the table (e.g. « COTISATIONS ET CONTRIBUTIONS SOCIALES
    OBLIGATOIRES »). Printed only if a rubric line of its block is."""

    label: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A group heading (« Santé », « Retraite »); « Néant » when no line under it is due."""

    label: str


@dataclass(frozen=True, slots=True)
class Line:
    """A rubric line: the sum of the engine lines listed in `codes`.

    `under_heading`: indented under the heading above it; else a line at group level.
    `block`: a line printed as a block of its own (the rénové model's « EXONÉRATIONS ET
    ALLÈGEMENTS DE COTISATIONS »). `amounts_only`: the model prints no base or rate on it.
    A line with no engine line on this payslip is not printed (the model's lines that do
    not concern the employee may be left out).
    """

    label: str
    codes: tuple[str, ...]
    under_heading: bool = False
    block: bool = False
    amounts_only: bool = False


@dataclass(frozen=True, slots=True)
class Total:
    """The sum of the rubric lines printed since the previous Total (or the top)."""

    label: str


Row = Title | Heading | Line | Total


@dataclass(frozen=True, slots=True)
class PayslipModel:
    key: str  # "adapte" | "renove": the name used in payslip_models.toml
    rows: tuple[Row, ...]
    # The rénové model has one rate column (the employee's): Base | Taux | Salarié |
    # Employeur. The adapté one prints the employer's rate too.
    employer_rate_column: bool
    # The adapté model keeps the employer allègement total (« Allègement de cotisations
    # employeur »); the rénové model drops it.
    shows_employer_allowance: bool
    # « Salaire brut » (adapté) or « Montant brut » (rénové).
    gross_label: str
    # The rénové model prints « Montant net imposable » in the body, above the tax withheld;
    # the adapté one as a figure beside the table.
    net_taxable_line: bool

    def line_of_code(self) -> dict[str, Line]:
        return _line_of_code(self)


# The engine's codes of "other employer contributions": one amount-only line in both models.
OTHER_EMPLOYER_CODES = (
    "fnal",
    "csa",
    "versement_mobilite",
    "formation_professionnelle",
    "cpf_cdd",
    "taxe_apprentissage",
    "taxe_apprentissage_solde",
    "contribution_supplementaire_apprentissage",
    "dialogue_social",
    "forfait_social",
    "peec",
)

ADAPTE = PayslipModel(
    key="adapte",  # arrêté du 31 janvier 2023, art. 2
    employer_rate_column=True,
    shows_employer_allowance=True,
    gross_label="Salaire brut",
    net_taxable_line=False,
    rows=(
        Title("Cotisations et contributions sociales"),
        Heading("Santé"),
        Line("Sécurité sociale - Maladie Maternité Invalidité Décès", ("maladie",), True),
        Line("Complémentaire Incapacité Invalidité Décès", ("prevoyance_cadre",), True),
        Line("Complémentaire santé", ("mutuelle",), True),
        Line("Accidents du travail - Maladies professionnelles", ("atmp",)),
        Heading("Retraite"),
        Line("Sécurité sociale plafonnée", ("vieillesse_plafonnee",), True),
        Line("Sécurité sociale déplafonnée", ("vieillesse_deplafonnee",), True),
        Line("Complémentaire Tranche 1", ("retraite_complementaire_t1", "ceg_t1"), True),
        Line(
            "Complémentaire Tranche 2",
            ("retraite_complementaire_t2", "ceg_t2", "cet"),
            True,
        ),
        Line("Famille", ("allocations_familiales",)),
        Line("Assurance chômage", ("chomage", "ags")),
        Line("Autres contributions dues par l'employeur", OTHER_EMPLOYER_CODES),
        Heading("Cotisations statutaires ou prévues par la convention collective"),
        Line("APEC", ("apec",), True),
        Line("CSG déductible de l'impôt sur le revenu", ("csg_deductible",)),
        Line(
            "CSG/CRDS non déductible de l'impôt sur le revenu",
            ("csg_non_deductible", "crds"),
        ),
        Heading("Exonérations, écrêtements et allègements de cotisations"),
        Line("Réduction générale dégressive unique", ("rgdu",), True),
        Total("Total des cotisations et contributions"),
    ),
)

RENOVE = PayslipModel(
    key="renove",  # arrêté du 31 janvier 2023, art. 1
    employer_rate_column=False,
    shows_employer_allowance=False,
    gross_label="Montant brut",
    net_taxable_line=True,
    rows=(
        Title("Cotisations et contributions sociales obligatoires"),
        Heading("Santé"),
        Line("Sécurité Sociale Maladie Maternité Invalidité Décès", ("maladie",), True),
        Line("Complémentaire garanties frais de santé obligatoire", ("mutuelle",), True),
        Line("Accidents du travail & maladies professionnelles", ("atmp",)),
        Heading("Retraite"),
        Line("Sécurité Sociale Vieillesse plafonnée", ("vieillesse_plafonnee",), True),
        Line("Sécurité Sociale Vieillesse déplafonnée", ("vieillesse_deplafonnee",), True),
        Line(
            "Retraite complémentaire, CEG et CET T1",
            ("retraite_complementaire_t1", "ceg_t1"),
            True,
        ),
        Line(
            "Retraite complémentaire, CEG et CET T2",
            ("retraite_complementaire_t2", "ceg_t2", "cet"),
            True,
        ),
        Line("Famille", ("allocations_familiales",)),
        Line("Assurance chômage", ("chomage", "ags")),
        Line("Apec", ("apec",)),
        Line("Autres charges dues par l'employeur", OTHER_EMPLOYER_CODES, amounts_only=True),
        Line("CSG déductible de l'impôt sur le revenu", ("csg_deductible",)),
        Line(
            "CSG/CRDS non déductible de l'impôt sur le revenu",
            ("csg_non_deductible", "crds"),
        ),
        Total("Total des cotisations et contributions obligatoires"),
        Line(
            "Exonérations et allègements de cotisations",
            ("rgdu",),
            block=True,
            amounts_only=True,
        ),
        Title("Cotisations et contributions sociales facultatives"),
        Line("Prévoyance, Incapacité, Invalidité, Décès", ("prevoyance_cadre",)),
    ),
)

MODELS = {model.key: model for model in (ADAPTE, RENOVE)}


@cache
def _line_of_code(model: PayslipModel) -> dict[str, Line]:
    found: dict[str, Line] = {}
    for row in model.rows:
        if isinstance(row, Line):
            for code in row.codes:
                if code in found:  # pragma: no cover - a mistake in a table above
                    raise ImportError(f"line code {code!r} is in two rubrics of {model.key}")
                found[code] = row
    return found


# --- which model a payslip follows -------------------------------------------------------


class PayslipModelError(ValueError):
    """The payslip model file is missing, malformed or has no model for a date."""


@cache
def _model_segments() -> tuple[tuple[date, str, str], ...]:
    """(valid_from, model key, source) from payslip_models.toml, oldest first."""
    try:
        with MODELS_FILE.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PayslipModelError(f"cannot read {MODELS_FILE.name}: {exc}") from exc
    segments = []
    for segment in data.get("model", []):
        key, valid_from = segment.get("key"), segment.get("valid_from")
        if key not in MODELS or not isinstance(valid_from, date) or not segment.get("source"):
            raise PayslipModelError(
                f"{MODELS_FILE.name}: each [[model]] needs a key among {sorted(MODELS)}, "
                f"a valid_from date and a source (got {segment!r})"
            )
        if any(known == valid_from for known, _, _ in segments):
            raise PayslipModelError(f"{MODELS_FILE.name}: two models from {valid_from}")
        segments.append((valid_from, key, segment["source"]))
    return tuple(sorted(segments))


def payslip_model_for(payment_date: date) -> PayslipModel:
    """The model in force for pay made on `payment_date`: the segment of the model file with
    the latest valid_from on or before that date."""
    in_force = [segment for segment in _model_segments() if segment[0] <= payment_date]
    if not in_force:
        raise PayslipModelError(
            f"{MODELS_FILE.name} has no payslip model for pay made on {payment_date:%Y-%m-%d}"
        )
    return MODELS[in_force[-1][1]]


# --- the rubrics of a payslip ------------------------------------------------------------


class UnmappedLineError(ValueError):
    """A payslip line whose code is in no rubric of the printed payslip."""


@dataclass(frozen=True, slots=True)
class Rubric:
    """One printed line: the sum of the engine lines of one rubric line of the model.

    `base` is shown only when every merged line has the same base; a rate only when the
    base is shown (the sum of the merged rates: amount = base x rate, to the cent per
    line). Otherwise only the amounts are printed, as the model does for "Autres
    contributions dues par l'employeur".
    """

    label: str
    codes: tuple[str, ...]  # the codes of the merged lines, in line order
    base: Decimal | None
    employee_rate: Decimal | None
    employee_amount: Decimal
    employer_rate: Decimal | None
    employer_amount: Decimal


def _rate_sum(rates: list) -> Decimal | None:
    present = [Decimal(value) for value in rates if value is not None]
    return sum(present, Decimal(0)) if present else None


def _merge(line_spec: Line, merged: list) -> Rubric:
    bases = {line.base for line in merged}
    base = bases.pop() if len(bases) == 1 else None
    return Rubric(
        label=line_spec.label,
        codes=tuple(line.code for line in merged),
        base=base,
        employee_rate=None if base is None else _rate_sum([x.employee_rate for x in merged]),
        employee_amount=sum((line.employee_amount for line in merged), Decimal(0)),
        employer_rate=None if base is None else _rate_sum([x.employer_rate for x in merged]),
        employer_amount=sum((line.employer_amount for line in merged), Decimal(0)),
    )


def _members(model: PayslipModel, lines: Iterable) -> dict[Line, list]:
    line_of_code = model.line_of_code()
    members: dict[Line, list] = {}
    for line in lines:
        spec = line_of_code.get(line.code)
        if spec is None:
            raise UnmappedLineError(
                f"payslip line code {line.code!r} is in no rubric of the printed payslip "
                f"(apps/payslips/layout.py, model {model.key!r})"
            )
        members.setdefault(spec, []).append(line)
    return members


def payslip_rubrics(lines: Iterable, model: PayslipModel = ADAPTE) -> list[Rubric]:
    """The rubric lines of `model` from the payslip's lines (PayslipLine rows or engine
    lines), in the order of the model; only rubrics that have lines.

    Amounts are the exact sums of the merged lines' amounts, so the rubrics add up to the
    lines. Raises UnmappedLineError for a line code that is in no rubric.
    """
    members = _members(model, lines)
    return [_merge(row, members[row]) for row in model.rows if row in members]


@dataclass(frozen=True, slots=True)
class PrintedRow:
    """A row of the contribution block as printed: `kind` is "title", "heading", "line"
    or "total"; `spec` and `rubric` for a line; `employee` / `employer` sums for a total;
    `empty` for a heading with nothing under it (printed « Néant »)."""

    kind: str
    label: str
    spec: Line | None = None
    rubric: Rubric | None = None
    employee: Decimal | None = None
    employer: Decimal | None = None
    empty: bool = False


def contribution_rows(lines: Iterable, model: PayslipModel) -> list[PrintedRow]:
    """The contribution block of a payslip in `model`, row by row.

    Lines without engine lines are left out; a heading with none of its lines says
    « Néant »; a title with none of its block's lines is left out; a total is the sum of the
    lines printed since the previous total, so the totals of a model add up to the lines.
    """
    members = _members(model, lines)
    rows: list[PrintedRow] = []
    pending_title: Title | None = None
    heading_at: int | None = None
    employee = employer = Decimal(0)
    for row in model.rows:
        if isinstance(row, Title):
            pending_title, heading_at = row, None
        elif isinstance(row, Heading):
            if pending_title is not None:
                rows.append(PrintedRow("title", pending_title.label))
                pending_title = None
            heading_at = len(rows)
            rows.append(PrintedRow("heading", row.label, empty=True))
        elif isinstance(row, Line):
            if not row.under_heading:
                heading_at = None
            if row not in members:
                continue
            if pending_title is not None:
                rows.append(PrintedRow("title", pending_title.label))
                pending_title = None
            if row.under_heading and heading_at is not None:
                rows[heading_at] = PrintedRow("heading", rows[heading_at].label)
            rubric = _merge(row, members[row])
            employee += rubric.employee_amount
            employer += rubric.employer_amount
            rows.append(PrintedRow("line", row.label, spec=row, rubric=rubric))
        else:  # Total
            rows.append(PrintedRow("total", row.label, employee=employee, employer=employer))
            employee = employer = Decimal(0)
            heading_at = None
    return rows
