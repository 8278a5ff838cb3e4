"""PDF rendering with WeasyPrint, shared by every document (contracts, invoices, payslips).

One light font is shipped with the code (Source Sans 3, latin subset, SIL OFL, in
static/fonts/): subsetting a large system font dominates WeasyPrint's render time.
Documents never fetch anything from the network: the URL fetcher only serves our own
static files.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

STATIC_DIR = Path(settings.BASE_DIR) / "static"


def _local_only_fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if not url.startswith(("file://", "data:")):
        raise ValueError(f"PDF documents may not load outside resources: {url}")
    if url.startswith("file://") and not Path(url[len("file://") :]).resolve().is_relative_to(
        STATIC_DIR.resolve()
    ):
        raise ValueError(f"PDF documents may only load files from static/: {url}")
    return default_url_fetcher(url, *args, **kwargs)


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_html_to_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """HTML string -> PDF bytes. `pdf_variant="pdf/a-3b"` for Factur-X invoices."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_local_only_fetcher
    )
    options = {"font_config": _font_config()}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    return document.write_pdf(**options)


def render_pdf(
    template_name: str, context: dict, *, language: str | None = None, **options
) -> bytes:
    """Render a template of templates/pdf/ to PDF bytes, in `language` (default: French)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return render_html_to_pdf(html, **options)


def content_fingerprint(*parts: object) -> str:
    """A stable hash of what a document shows: re-render only when it changes."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()
