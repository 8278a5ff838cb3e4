"""The contract document (French, every EC-xx mention of its kind), rendered by WeasyPrint in a
Celery task after the commit; re-rendered only when what it shows changes (fingerprint)."""

import logging
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.commercial_contracts.selectors import (
    commercial_contract_latest_terms,
    commercial_contract_terms_at,
)
from apps.core.pdf import content_fingerprint, render_html_to_pdf
from apps.core.selectors import company_profile_get

from .. import rules
from ..models import EmploymentContract
from ..selectors import employment_contract_list
from .checks import company_legal_bodies, linked_commercial_contracts

logger = logging.getLogger(__name__)

TEMPLATE = "pdf/employment_contract.html"
PDF_LANGUAGE = "fr"

# The document is the French legal text (L1254-14 / L1254-20 require exact French words), so
# its labels are French here rather than translated from English msgids.
CLASSIFICATION_FR = {
    1: "Niveau 1 — salarié porté premier niveau (69 % du PSS)",
    2: "Niveau 2 — salarié porté junior (77 % du PSS)",
    3: "Niveau 3 — salarié porté senior (83 % du PSS)",
    4: "Niveau 4 — salarié porté expert (94 % du PSS)",
}
STATUS_CADRE_FR = {"cadre": "cadre", "non_cadre": "non-cadre (ETAM)"}
PAID_LEAVE_FR = {
    "monthly_allowance": "indemnité de congés payés versée chaque mois avec le salaire",
    "on_leave": "indemnité de congés payés versée lors de la prise des congés",
}
CIVILITY_FR = {"M": "M.", "MME": "Mme"}


def _money(value) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} €"


def _number(value) -> str:
    """1 decimal at most, French decimal comma: 110 -> "110", 12.5 -> "12,5"."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _rate(value) -> str:
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}".replace(".", ",") + " %"


def _date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _address(*parts) -> str:
    return ", ".join(part for part in parts if part)


def _commercial_content(commercial, on_date: date) -> dict:
    terms = commercial_contract_terms_at(
        contract=commercial, on_date=on_date
    ) or commercial_contract_latest_terms(commercial)
    client = commercial.client
    return {
        "reference": commercial.reference,
        "client_name": client.legal_name,
        "client_identifier": client.siren_display or client.registration_id or client.vat_number,
        "client_address": _address(
            client.billing_address_line1,
            client.billing_address_line2,
            f"{client.billing_postal_code} {client.billing_city}".strip(),
            client.billing_country,
        ),
        "description": commercial.description,
        "place_of_work": commercial.place_of_work,
        "start": _date(commercial.start_date),
        "end": _date(commercial.end_date),
        "duration_days": (commercial.end_date - commercial.start_date).days + 1,
        "pricing_kind": terms.pricing_kind if terms else "",
        "daily_rate": _money(terms.daily_rate) if terms else "",
        "fixed_price": _money(terms.fixed_price) if terms else "",
        "estimated_days": _number(terms.estimated_days) if terms else "",
        "protective_equipment": commercial.protective_equipment,
        "rebill_expenses": commercial.rebill_expenses,
    }


def pdf_content(contract: EmploymentContract) -> dict:
    """Everything the document prints, as plain values (also what the fingerprint hashes)."""
    consultant = contract.consultant
    on_date = max(contract.start_date, timezone.localdate())
    trial_rule = rules.trial_period_rule(contract.start_date)
    work_rule = rules.working_time_rule(contract.start_date)
    minimum_end = None
    if contract.minimum_duration_months:
        minimum_end = rules.last_day_of_period(
            contract.start_date, contract.minimum_duration_months
        )
    return {
        "reference": contract.reference,
        "kind": contract.kind,
        "is_cdd": contract.is_cdd,
        "mention_ids": rules.mention_ids(contract.kind),
        "consultant": {
            "name": f"{CIVILITY_FR.get(consultant.civility, '')} {consultant.full_name}".strip(),
            "birth": f"{_date(consultant.birth_date)} à {consultant.birth_place}",
            "nir": consultant.nir,
            "nationality": consultant.nationality,
            "address": _address(
                consultant.address_line1,
                consultant.address_line2,
                f"{consultant.postal_code} {consultant.city}".strip(),
            ),
        },
        "expertise": contract.consultant_expertise,
        "cdd_reason": contract.cdd_reason,
        "term_type": contract.term_type,
        "start": _date(contract.start_date),
        "initial_end": _date(contract.initial_end_date),
        "planned_end": _date(contract.planned_end_date),
        "minimum_duration_months": contract.minimum_duration_months,
        "minimum_end": _date(minimum_end),
        "imprecise_term_event": contract.imprecise_term_event,
        "renewals": [
            {
                "number": renewal.number,
                "previous_end": _date(renewal.previous_end_date),
                "new_end": _date(renewal.new_end_date),
                "signed_on": _date(renewal.signed_on),
            }
            for renewal in contract.renewal_list
        ],
        "prospection_extension_end": _date(contract.prospection_extension_end),
        "trial_period_end": _date(contract.trial_period_end),
        "trial_cdi_months": trial_rule["cdi_max_months"].get(contract.status_cadre, 3),
        "working_time_mode": contract.working_time_mode,
        "days_per_year": contract.days_per_year,
        "forfait_days_cap": work_rule["forfait_days_cap"],
        "hours_per_week": str(contract.hours_per_week or "").replace(".", ","),
        "status_cadre": STATUS_CADRE_FR.get(contract.status_cadre, contract.status_cadre),
        "classification": CLASSIFICATION_FR.get(contract.classification, ""),
        "business_bonus_rate": _rate(contract.business_bonus_rate),
        "reserve_rate": _rate(contract.reserve_rate),
        "indemnity_rate": _rate(contract.end_of_contract_indemnity_rate),
        "paid_leave": PAID_LEAVE_FR.get(contract.paid_leave_mode, ""),
        "management_fee_rate": _rate(contract.management_fee_rate),
        "professional_expenses_terms": contract.professional_expenses_terms,
        "commercial_contracts": [
            _commercial_content(commercial, on_date)
            for commercial in linked_commercial_contracts(contract)
        ],
    }


def _company_content(company) -> dict:
    if company is None:
        return {}
    return {
        "legal_name": company.legal_name,
        "legal_form": company.legal_form,
        "share_capital": _money(company.share_capital),
        "siren": company.siren,
        "rcs_city": company.rcs_city,
        "address": _address(
            company.address_line1, company.address_line2, f"{company.postal_code} {company.city}"
        ),
        **company_legal_bodies(company),
    }


def employment_contract_pdf_html(contract: EmploymentContract) -> str:
    """The document's HTML, in French (what the fingerprint hashes)."""
    company = company_profile_get()
    context = {"company": company, "bodies": _company_content(company), **pdf_content(contract)}
    with translation.override(PDF_LANGUAGE):
        return render_to_string(TEMPLATE, context)


def _is_current(contract: EmploymentContract, fingerprint: str) -> bool:
    return (
        contract.pdf_fingerprint == fingerprint
        and bool(contract.pdf_file.name)
        and contract.pdf_file.storage.exists(contract.pdf_file.name)
    )


def employment_contract_render_pdf(*, contract: EmploymentContract) -> bool:
    """Render and store the contract PDF when what it shows changed (fingerprint of the HTML)
    or the file is missing; True if a new PDF was stored. Idempotent. False without a company
    profile (the document needs the employer's identity)."""
    if company_profile_get() is None:
        logger.warning(
            "No company profile: PDF of employment contract %s not rendered", contract.pk
        )
        return False
    current = employment_contract_list().get(pk=contract.pk)
    html = employment_contract_pdf_html(current)
    fingerprint = content_fingerprint(html)
    if _is_current(current, fingerprint):
        return False
    data = render_html_to_pdf(html)
    with transaction.atomic():
        locked = EmploymentContract.objects.select_for_update().get(pk=contract.pk)
        if _is_current(locked, fingerprint):
            return False
        storage = locked.pdf_file.storage
        if locked.pdf_file.name and storage.exists(locked.pdf_file.name):
            storage.delete(locked.pdf_file.name)
        name = storage.save(f"employment_contracts/pdf/{locked.reference}.pdf", ContentFile(data))
        # A queryset update: no history row for a re-rendered document.
        EmploymentContract.objects.filter(pk=locked.pk).update(
            pdf_file=name, pdf_fingerprint=fingerprint, pdf_generated_at=timezone.now()
        )
    return True
