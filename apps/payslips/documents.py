"""The payslip PDF: the French *bulletin de paie clarifié*, rendered once, never re-rendered.

The PDF is the legal copy handed to the employee (L3243-2 Code du travail, kept by them
"sans limitation de durée"): once stored, it never changes, even if the template does.
A mistake is corrected by a corrective payslip with its own PDF.

The document is always French (the legal language of the payslip). The contributions are
printed as the rubrics of the model of the arrêté du 25 février 2016 (as amended) in force
on the payment date, the adapté model until 31 December 2026 and the rénové one from
1 January 2027 (apps/payslips/layout.py), built from the stored lines.
Parties come from the snapshots written when the payslip was issued; a key missing from a
snapshot falls back to the current record so that an older payslip still renders.
"""

import calendar
import hashlib
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.core.pdf import render_html_to_pdf

from .layout import PayslipModel, Rubric, contribution_rows, payslip_model_for
from .models import Payslip, PayslipKind

IDCC = "3219"
CONVENTION = "Convention collective de branche des salariés en portage salarial"
INCOME_TAX_KINDS = {
    "personalised": "Taux personnalisé",
    "neutral": "Taux non personnalisé",
}
WORKING_TIME = {
    "days": "Forfait annuel en jours",
    "hours": "Durée en heures",
}
NBSP = "\u00a0"


# --- formatting (French, deterministic whatever the active locale) -----------------------


def eur(value) -> str:
    """1234.5 -> "1 234,50" (non-breaking thousands separator); None -> ""."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    return f"{sign}{NBSP.join(groups)},{cents}"


def rate(value) -> str:
    """A percentage with two to four decimals: 6.9000 -> "6,90", 0.0160 -> "0,016"."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(str(value)):.4f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole},{decimals.ljust(2, '0')}"


def _day(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


def _first(snapshot: dict, *keys, default=""):
    for key in keys:
        value = snapshot.get(key)
        if value not in (None, ""):
            return value
    return default


# --- the parties -------------------------------------------------------------------------


def _employer(payslip: Payslip) -> dict:
    from apps.core.selectors import company_profile_get

    snapshot = payslip.employer_snapshot or {}
    profile = None if snapshot.get("legal_name") else company_profile_get()

    def pick(*keys):
        value = _first(snapshot, *keys)
        if value == "" and profile is not None:
            value = getattr(profile, keys[0], "") or ""
        return value

    return {
        "legal_name": pick("legal_name", "name"),
        "address_line1": pick("address_line1", "address"),
        "address_line2": pick("address_line2"),
        "postal_code": pick("postal_code"),
        "city": pick("city"),
        "siret": pick("siret"),
        "naf_code": pick("naf_code", "ape_code", "naf"),
        "urssaf": _first(snapshot, "urssaf_number", "urssaf", "urssaf_account"),
        "urssaf_name": _first(snapshot, "urssaf_name", default="URSSAF"),
        "idcc": _first(snapshot, "idcc", default="")
        or ("".join(ch for ch in str(snapshot.get("collective_agreement", "")) if ch.isdigit()))
        or IDCC,
        "convention": _first(
            snapshot, "collective_agreement_name", "convention", default=CONVENTION
        ),
    }


def _employee(payslip: Payslip) -> dict:
    snapshot = payslip.employee_snapshot or {}
    consultant = payslip.consultant
    contract = payslip.employment_contract
    name = _first(snapshot, "full_name", "name")
    if not name:
        first = _first(snapshot, "first_name", default=consultant.first_name)
        last = _first(snapshot, "last_name", default=consultant.last_name)
        name = f"{first} {str(last).upper()}".strip()
    cadre = _first(snapshot, "status_cadre", "status", default=contract.status_cadre)
    classification = _first(snapshot, "classification_label", "classification_display")
    if not classification:
        level = _first(snapshot, "classification", default=contract.classification)
        classification = f"Niveau {level}" if level not in ("", None) else ""
    mode = _first(snapshot, "working_time_mode", default=contract.working_time_mode)
    if mode == "days":
        days = _first(snapshot, "days_per_year", default=contract.days_per_year or "")
        working_time = f"{WORKING_TIME['days']} : {days} jours" if days else WORKING_TIME["days"]
    else:
        hours = _first(snapshot, "hours_per_week", default=contract.hours_per_week or "")
        working_time = f"{rate(hours)} h par semaine" if hours else WORKING_TIME.get(mode, "")
    return {
        "name": name,
        "address_line1": _first(
            snapshot, "address_line1", "address", default=consultant.address_line1
        ),
        "address_line2": _first(snapshot, "address_line2", default=consultant.address_line2),
        "postal_code": _first(snapshot, "postal_code", default=consultant.postal_code),
        "city": _first(snapshot, "city", default=consultant.city),
        "nir": _format_nir(_first(snapshot, "nir", default=consultant.nir)),
        "job_title": _first(
            snapshot, "job_title", "position", default="Salarié porté (consultant)"
        ),
        "classification": classification,
        "cadre": "Cadre" if str(cadre).replace("-", "_") == "cadre" else "Non-cadre",
        "hire_date": _day(
            _first(snapshot, "hire_date", "start_date", "contract_start_date")
            or contract.start_date
        ),
        "contract_kind": str(
            _first(snapshot, "contract_kind", "contract_type", default=contract.kind)
        ).upper(),
        "contract_reference": _first(
            snapshot,
            "contract_reference",
            "employment_contract_reference",
            default=contract.reference,
        ),
        "working_time": working_time,
    }


def _format_nir(nir: str) -> str:
    """2 85 05 75 115 001 42: the usual grouping of the social security number."""
    nir = (nir or "").replace(" ", "")
    if len(nir) != 15:
        return nir
    parts = (nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:])
    return " ".join(parts)


# --- the table of the bulletin: salary elements, contributions, nets ----------------------


def _figure_cells(*figures: str) -> list[dict]:
    """The figure cells of a row, left to right, each `span` columns wide: a figure's cell
    also covers the empty columns on its left (figures are right-aligned, so the figure
    stays in its own column) and the empty columns after the last figure share one cell.
    The same page, with fewer table cells for WeasyPrint to lay out."""
    cells: list[dict] = []
    empty = 0
    for figure in figures:
        if figure:
            cells.append({"text": figure, "span": empty + 1})
            empty = 0
        else:
            empty += 1
    if empty:
        cells.append({"text": "", "span": empty})
    return cells


class _Table:
    """The rows of the pay table for one model. Figure columns: base, rate, employee
    amount, [employer rate,] employer amount: the adapté model prints the employer's rate,
    the rénové one does not (Base | Taux | Salarié | Employeur)."""

    def __init__(self, model: PayslipModel):
        self.model = model
        self.rows: list[dict] = []

    @property
    def width(self) -> int:
        return 6 if self.model.employer_rate_column else 5

    def add(self, css: str, label: str, *figures: str, label_span: int = 1) -> None:
        self.rows.append(
            {"css": css, "label": label, "span": label_span, "cells": _figure_cells(*figures)}
        )

    def amounts(self, css: str, label: str, employee: str, employer: str = "") -> None:
        """A row with a label across the base and rate columns and amounts only."""
        if self.model.employer_rate_column:
            self.add(css, label, employee, "", employer, label_span=3)
        else:
            self.add(css, label, employee, employer, label_span=3)

    def across(self, css: str, label: str, note: str = "") -> None:
        """A title or heading across the whole table."""
        self.rows.append(
            {"css": css, "label": label, "span": self.width, "cells": [], "note": note}
        )

    def rubric(self, css: str, rubric: Rubric, amounts_only: bool) -> None:
        base = "" if amounts_only else eur(rubric.base)
        employee_rate = rate(rubric.employee_rate) if base and rubric.employee_amount else ""
        employee = eur(rubric.employee_amount) if rubric.employee_amount else ""
        employer = eur(rubric.employer_amount) if rubric.employer_amount else ""
        if self.model.employer_rate_column:
            employer_rate = rate(rubric.employer_rate) if base and rubric.employer_amount else ""
            self.add(css, rubric.label, base, employee_rate, employee, employer_rate, employer)
        else:
            self.add(css, rubric.label, base, employee_rate, employee, employer)


def _salary_elements(payslip: Payslip) -> list[tuple[str, Decimal]]:
    elements = [
        ("Salaire de base", payslip.base_salary),
        ("Prime d'apport d'affaires", payslip.business_bonus),
        ("Indemnité de congés payés", payslip.paid_leave_allowance),
        ("Indemnité de fin de contrat (CDD, L1243-8)", payslip.end_of_contract_indemnity),
    ]
    rows = [(label, value) for label, value in elements if value]
    composed = sum((value for _, value in elements), Decimal(0))
    if composed != payslip.gross:
        # A plain or corrective payslip: the difference is shown, so the lines add up.
        label = "Rappel / régularisation de salaire" if rows else "Salaire brut"
        rows.append((label, payslip.gross - composed))
    return rows


def _pay_table(payslip: Payslip, lines: list, model: PayslipModel) -> _Table:
    """Every row of the pay table, in the order of `model`."""
    table = _Table(model)
    for label, value in _salary_elements(payslip):
        table.amounts("", label, eur(value))
    table.amounts("total", model.gross_label, eur(payslip.gross))
    for row in contribution_rows(lines, model):
        if row.kind == "title":
            table.across("title", row.label)
        elif row.kind == "heading":
            table.across("group", row.label, note="Néant" if row.empty else "")
        elif row.kind == "total":
            table.amounts("total", row.label, eur(row.employee), eur(row.employer))
        else:
            spec = row.spec
            css = "sub" if spec.under_heading else ("block" if spec.block else "group plain")
            table.rubric(css, row.rubric, amounts_only=spec.amounts_only)
    tax_label = "Impôt sur le revenu prélevé à la source"
    kind = INCOME_TAX_KINDS.get(payslip.income_tax_kind, "")
    if kind:
        tax_label = f"{tax_label} – {kind}"
    table.amounts("", "Montant net social", eur(payslip.net_social))
    table.amounts(
        "net", "Net à payer avant impôt sur le revenu", eur(payslip.net_before_income_tax)
    )
    if model.net_taxable_line:
        table.amounts("", "Montant net imposable", eur(payslip.net_taxable))
    table.add(
        "",
        tax_label,
        eur(payslip.net_taxable),
        rate(payslip.income_tax_rate),
        eur(payslip.income_tax),
        *([""] * (table.width - 4)),
    )
    table.amounts("netpaid", "Net à payer au salarié", eur(payslip.net_paid))
    return table


def payment_date(payslip: Payslip) -> date:
    """The payment date of the snapshot, else the last day of the month paid."""
    for snapshot in (payslip.inputs_snapshot or {}, payslip.employee_snapshot or {}):
        value = snapshot.get("payment_date")
        if value:
            try:
                return date.fromisoformat(str(value)[:10])
            except ValueError:
                pass
    last = calendar.monthrange(payslip.period.year, payslip.period.month)[1]
    return payslip.period.replace(day=last)


def payslip_pdf_context(payslip: Payslip) -> dict:
    lines = sorted(payslip.lines.all(), key=lambda line: line.position)
    paid_on = payment_date(payslip)
    model = payslip_model_for(paid_on)
    period_end = payslip.period.replace(
        day=calendar.monthrange(payslip.period.year, payslip.period.month)[1]
    )
    return {
        "payslip": payslip,
        "is_corrective": payslip.kind == PayslipKind.CORRECTIVE,
        "corrects_number": payslip.corrects.number if payslip.corrects_id else "",
        "employer": _employer(payslip),
        "employee": _employee(payslip),
        "period_start": _day(payslip.period),
        "period_end": _day(period_end),
        "payment_date": _day(paid_on),
        "model": model,
        "table": _pay_table(payslip, lines, model),
        "money": {
            name: eur(getattr(payslip, name))
            for name in (
                "gross",
                "employee_contributions",
                "employer_contributions",
                "net_before_income_tax",
                "net_taxable",
                "net_social",
                "employer_cost",
                "reductions",
                "financial_reserve",
                "ytd_gross",
                "ytd_net_taxable",
                "ytd_employer_cost",
                "ytd_rgdu",
            )
        },
    }


# Parsed once per process (apps/core/pdf.py); pdf/payslip.html has no <style> of its own.
STYLESHEETS = ("pdf/base.css", "pdf/payslip.css")


def payslip_pdf_html(payslip: Payslip) -> str:
    with translation.override("fr"):
        return render_to_string("pdf/payslip.html", payslip_pdf_context(payslip))


def payslip_pdf_bytes(payslip: Payslip) -> bytes:
    """Render without storing (previews, benchmarks); the legal copy is the stored file."""
    return render_html_to_pdf(
        payslip_pdf_html(payslip), stylesheets=STYLESHEETS, lean_user_agent=True
    )


def payslip_pdf_path(payslip: Payslip) -> str:
    return f"payslips/{payslip.period.year}/{payslip.number}.pdf"


def _payslip_for_render(pk: int) -> Payslip:
    return (
        Payslip.objects.select_related("consultant", "employment_contract", "corrects")
        .prefetch_related("lines")
        .get(pk=pk)
    )


def payslip_document_render(*, payslip: Payslip) -> Payslip:
    """Render and store the payslip's PDF once. A payslip that has its PDF is returned as it
    is: the stored file is the legal copy and is never re-rendered."""
    current = Payslip.objects.filter(pk=payslip.pk).only("pk", "pdf_file").first()
    if current is None:
        raise Payslip.DoesNotExist(f"Payslip {payslip.pk} does not exist.")
    if current.pdf_file:
        return payslip
    # Render outside the lock (slow); only one of two concurrent renders is stored.
    data = payslip_pdf_bytes(_payslip_for_render(payslip.pk))
    with transaction.atomic():
        locked = Payslip.objects.select_for_update().get(pk=payslip.pk)
        if locked.pdf_file:
            return locked
        storage = locked.pdf_file.storage
        path = payslip_pdf_path(locked)
        if storage.exists(path):
            # Left by an attempt whose transaction rolled back: no payslip points to it.
            storage.delete(path)
        name = storage.save(path, ContentFile(data))
        locked.pdf_file.name = name
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf_file", "pdf_sha256", "pdf_rendered_at", "updated_at"])
    return locked
