"""The legal copy of an issued invoice or credit note: a Factur-X PDF/A-3, rendered once.

HTML (templates/pdf/invoice.html, in the document language) → PDF/A-3b by WeasyPrint →
the CII XML (facturx.py), checked against the Factur-X XSD and the EN 16931 business rules
(en16931.py), embedded by the `factur-x` library. Stored with its SHA-256; never rendered
again once stored (it is the legal original, invoicing.md §2).
"""

import base64
import hashlib
import io
import logging
import mimetypes
from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.pdf import render_pdf

from ..models import Invoice, InvoiceStatus
from .en16931 import en16931_check
from .facturx import invoice_facturx_xml

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-3b"
STYLESHEETS = ("pdf/base.css", "pdf/invoice.css")


def _document_language(invoice: Invoice) -> str:
    language = (invoice.language or (invoice.client_snapshot or {}).get("language") or "fr")[:2]
    return language if language in {"fr", "en"} else settings.LANGUAGE_CODE


def _logo_data_uri() -> str:
    """The company logo embedded as a data: URI (the PDF fetcher serves nothing from media)."""
    from apps.core.models import CompanyProfile

    profile = CompanyProfile.objects.only("logo").first()
    if not profile or not profile.logo:
        return ""
    try:
        with profile.logo.open("rb") as handle:
            content = handle.read()
    except OSError:
        logger.warning("Company logo %s unreadable; invoice rendered without it", profile.logo)
        return ""
    mime = mimetypes.guess_type(profile.logo.name)[0] or "image/png"
    return _printable_logo(content, mime)


# pdf/invoice.css prints the logo within 55 x 16 mm: 650 x 190 pixels is 300 dpi there, and
# a reduced image still overflows that box, so it prints at the same size.
LOGO_MAX_PIXELS = (650, 190)


@lru_cache(maxsize=2)
def _printable_logo(content: bytes, mime: str) -> str:
    """The logo as a data: URI, a larger raster image reduced once per process to
    LOGO_MAX_PIXELS: WeasyPrint decodes and re-encodes an image at every render, in time
    proportional to its pixels. SVG, and what Pillow cannot reduce, are passed as they are
    (WeasyPrint then prints the logo or, as before, logs why it cannot)."""
    from PIL import Image, ImageOps  # Pillow comes with WeasyPrint

    if mime == "image/svg+xml":
        return f"data:{mime};base64,{base64.b64encode(content).decode()}"
    try:
        with Image.open(io.BytesIO(content)) as opened:
            image = ImageOps.exif_transpose(opened)
            if image.width > LOGO_MAX_PIXELS[0] or image.height > LOGO_MAX_PIXELS[1]:
                if image.mode not in ("RGB", "RGBA"):
                    image = image.convert("RGBA")
                image.thumbnail(LOGO_MAX_PIXELS)
                reduced = io.BytesIO()
                image.save(reduced, format="PNG")
                content, mime = reduced.getvalue(), "image/png"
    except Exception as error:  # any Pillow failure: the logo as uploaded, as before
        logger.warning("Company logo not reduced for the PDF (%s): embedded as it is", error)
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def document_title(invoice: Invoice) -> str:
    return _("CREDIT NOTE") if invoice.is_credit_note else _("INVOICE")


def invoice_pdf_context(invoice: Invoice, *, logo_data_uri: str = "") -> dict:
    seller = invoice.seller_snapshot or {}
    contract = invoice.contract_snapshot or {}
    return {
        "invoice": invoice,
        "title": document_title(invoice),
        "seller": seller,
        # The footer of pdf/base.html prints the capital as is: format it like the header.
        "company": {**seller, "share_capital": floatformat(seller.get("share_capital"), "2g")},
        "client": invoice.client_snapshot or {},
        "contract": contract,
        "credited": invoice.credited_invoice if invoice.is_credit_note else None,
        "purchase_order": invoice.purchase_order_reference
        or contract.get("purchase_order_reference", ""),
        "lines": list(invoice.lines.order_by("position", "pk")),
        "vat_breakdown": invoice.vat_breakdown or [],
        "logo_data_uri": logo_data_uri,
    }


def invoice_visual_pdf(invoice: Invoice, *, logo_data_uri: str = "") -> bytes:
    """The PDF/A-3b page(s) of the invoice, without the XML (used by the benchmark too)."""
    language = _document_language(invoice)
    with translation.override(language):
        context = invoice_pdf_context(invoice, logo_data_uri=logo_data_uri)
        return render_pdf(
            "pdf/invoice.html",
            context,
            language=language,
            pdf_variant=PDF_VARIANT,
            stylesheets=STYLESHEETS,
            lean_user_agent=True,
        )


def invoice_facturx_pdf(invoice: Invoice) -> bytes:
    """Render the Factur-X PDF/A-3 of an issued document (does not store it)."""
    from facturx import generate_from_binary, xml_check_xsd

    xml = invoice_facturx_xml(invoice)
    # Both checks raise: a document that breaks the standard is never produced.
    xml_check_xsd(xml, flavor="factur-x", level="en16931")
    en16931_check(xml)
    pdf = invoice_visual_pdf(invoice, logo_data_uri=_logo_data_uri())
    seller = invoice.seller_snapshot or {}
    title = f"{document_title(invoice)} {invoice.number}"
    return generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=False,  # checked above
        lang=_document_language(invoice),
        pdf_metadata={
            "author": seller.get("legal_name", ""),
            "keywords": "Factur-X, EN 16931",
            "title": title,
            "subject": title,
        },
    )


def invoice_document_render(*, invoice: Invoice) -> Invoice:
    """Render and store the Factur-X PDF of an issued invoice or credit note, once.

    Idempotent: a document that already has its PDF is returned untouched (never
    re-rendered). Refuses drafts. The row is locked while the file is written so that two
    workers never store two files.
    """
    with transaction.atomic():
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        locked = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("credited_invoice")
            .get(pk=invoice.pk)
        )
        if locked.pdf_file:
            return locked
        if locked.status == InvoiceStatus.DRAFT or not locked.number:
            raise DomainError(
                _("A draft has no legal copy: issue it before rendering its PDF."),
                code="invoice_not_issued",
            )
        content = invoice_facturx_pdf(locked)
        locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
        locked.pdf_rendered_at = timezone.now()
        locked.pdf_file.save(f"{locked.number}.pdf", ContentFile(content), save=False)
        locked.save(update_fields=["pdf_file", "pdf_sha256", "pdf_rendered_at", "updated_at"])
    return locked


def invoice_pdf_bytes(*, invoice: Invoice) -> bytes:
    """The stored legal copy, rendered first if it is missing (exports, downloads)."""
    if not invoice.pdf_file:
        invoice = invoice_document_render(invoice=invoice)
    with invoice.pdf_file.open("rb") as handle:
        return handle.read()
