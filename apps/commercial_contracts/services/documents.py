"""The contract PDF (generated, in French, with every mention of L1254-23) and the signed
scan uploaded at signature."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.core.pdf import content_fingerprint, render_html_to_pdf
from apps.core.selectors import company_profile_get

from ..models import CommercialContract, generated_pdf_path
from ..selectors import commercial_contract_versions, commercial_contracts_list

PDF_TEMPLATE = "pdf/commercial_contract.html"
PDF_LANGUAGE = "fr"
MAX_SIGNED_PDF_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"

# Company-level mentions of L1254-23 (CC-08 financial guarantor, CC-09 insurer and policy):
# (CompanyProfile field, mention ID, label). Sending for signature is refused while one is
# empty; the PDF prints "[à compléter]" in its place.
COMPANY_MENTIONS = (
    ("financial_guarantor_name", "CC-08", _("financial guarantor (L1254-23 8°)")),
    ("rc_insurer_name", "CC-09", _("civil-liability insurer (L1254-23 9°)")),
    ("rc_policy_number", "CC-09", _("civil-liability policy number (L1254-23 9°)")),
)
# What the PDF prints of the guarantor and the insurer.
COMPANY_MENTION_FIELDS = (
    "financial_guarantor_name",
    "financial_guarantor_address",
    "rc_insurer_name",
    "rc_insurer_address",
    "rc_policy_number",
)


def company_mentions_missing() -> list[str]:
    """The company mentions the contract needs and the profile lacks, as
    "CC-08: financial guarantor (L1254-23 8°)" lines."""
    company = company_profile_get()
    if company is None:
        return [str(_("company profile"))]
    return [
        f"{rule_id}: {label}"
        for field, rule_id, label in COMPANY_MENTIONS
        if not getattr(company, field).strip()
    ]


def _company_mentions(company) -> dict:
    """Guarantor and insurer identity from the company profile (none without a profile)."""
    if company is None:
        return dict.fromkeys(COMPANY_MENTION_FIELDS, "")
    return {name: getattr(company, name) for name in COMPANY_MENTION_FIELDS}


def commercial_contract_pdf_context(contract: CommercialContract) -> dict:
    company = company_profile_get()
    versions = commercial_contract_versions(contract)
    original = versions[0] if versions else None
    client = contract.client
    return {
        "company": company,
        "mentions": _company_mentions(company),
        "contract": contract,
        "client": client,
        "consultant": contract.consultant,
        "original": original,
        "amendments": versions[1:],
        "latest": versions[-1] if versions else None,
        "payment_terms": contract.payment_terms_note or client.payment_terms_label,
    }


def commercial_contract_pdf_html(contract: CommercialContract) -> str:
    with translation.override(PDF_LANGUAGE):
        return render_to_string(PDF_TEMPLATE, commercial_contract_pdf_context(contract))


def commercial_contract_render_pdf(*, contract: CommercialContract) -> bool:
    """Render the contract PDF and store it, only when what it shows changed (fingerprint of
    the rendered HTML) or the file is missing. True if a new PDF was stored."""
    contract = commercial_contracts_list().get(pk=contract.pk)
    html = commercial_contract_pdf_html(contract)
    fingerprint = content_fingerprint(html)
    if _is_current(contract, fingerprint):
        return False
    data = render_html_to_pdf(html)
    with transaction.atomic():
        current = CommercialContract.objects.select_for_update().get(pk=contract.pk)
        if _is_current(current, fingerprint):
            return False
        storage = current.pdf_file.storage
        if current.pdf_file.name and storage.exists(current.pdf_file.name):
            storage.delete(current.pdf_file.name)
        name = storage.save(generated_pdf_path(current, "contract.pdf"), ContentFile(data))
        # A queryset update: no history row for a re-rendered document.
        CommercialContract.objects.filter(pk=current.pk).update(
            pdf_file=name, pdf_fingerprint=fingerprint, pdf_generated_at=timezone.now()
        )
    return True


def _is_current(contract: CommercialContract, fingerprint: str) -> bool:
    return (
        contract.pdf_fingerprint == fingerprint
        and bool(contract.pdf_file.name)
        and contract.pdf_file.storage.exists(contract.pdf_file.name)
    )


# --- the signed scan ------------------------------------------------------------------------


def _as_file(upload) -> File:
    if isinstance(upload, bytes | bytearray):
        return ContentFile(bytes(upload), name="signed.pdf")
    return upload


def validate_signed_pdf(upload) -> None:
    """A PDF (checked by its content, not its name) of at most 10 MB."""
    upload = _as_file(upload)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_SIGNED_PDF_BYTES:
        raise ValidationError(
            {
                "signed_pdf": _("The signed contract is %(size)s MB; the maximum is %(max)s MB.")
                % {"size": round(size / 1024 / 1024, 1), "max": MAX_SIGNED_PDF_BYTES // 1024**2}
            }
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            {
                "signed_pdf": _(
                    "The signed contract must be a PDF file (it does not start with %PDF-)."
                )
            }
        )


def store_signed_pdf(contract: CommercialContract, upload) -> None:
    """Save the scan under media/contracts/signed/ (the caller saves the row)."""
    upload = _as_file(upload)
    contract.signed_pdf.save("signed.pdf", upload, save=False)
