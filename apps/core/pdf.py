"""PDF rendering with WeasyPrint, shared by every document (contracts, invoices, payslips).

One light font is shipped with the code (Source Sans 3, latin subset, SIL OFL, in
static/fonts/): subsetting a large system font dominates WeasyPrint's render time.
Documents never fetch anything from the network: the URL fetcher only serves our own
static files.

Speed (budget 0.2 s per one-page document, docs/performance.md): the invoice and the payslip
pass their CSS as `stylesheets`, static CSS templates of templates/pdf/ that are parsed once
per process and shared by every render, whatever the language (they hold no text).
"""

import atexit
import gc
import hashlib
import re
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class PdfResourceError(ValueError):
    """A document tried to load something outside static/."""


@lru_cache(maxsize=1)
def _local_only_fetcher():
    """A WeasyPrint fetcher that serves files under static/ and data: URLs, nothing else."""
    from weasyprint.urls import URLFetcher

    static_root = STATIC_DIR.resolve()

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url[len("file://") :].split("?")[0]).resolve()
                if not path.is_relative_to(static_root):
                    raise ValueError(f"PDF documents may only load files from static/: {url}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def _stylesheet(template_name: str):
    """A static CSS template (no context, no text) parsed once per process.

    WeasyPrint only reads a CSS object while rendering, so one object serves every render and
    thread. A changed CSS file needs a restart of the process (like a code change)."""
    from weasyprint import CSS

    return CSS(
        string=render_to_string(template_name),
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=_local_only_fetcher(),
        font_config=_font_config(),
    )


class _CharactersRegexCache(dict):
    """tinyhtml5 2.1 (WeasyPrint's HTML parser) caches the regex of `chars_until` under the
    wrong key (a chained assignment stores it under the compiled regex), so it rebuilds it on
    every call: ~9 % of a payslip's render. This dict builds the same regex, the same way, on
    a miss and keeps it under the right key."""

    def __missing__(self, key):
        characters, opposite = key
        regex = "".join([f"\\x{ord(character):02x}" for character in characters])
        if not opposite:
            regex = f"^{regex}"
        compiled = self[key] = re.compile(f"[{regex}]+")
        return compiled


@cache
def _patch_html_parser() -> None:
    import tinyhtml5.inputstream

    if not isinstance(tinyhtml5.inputstream.characters_until_regex, _CharactersRegexCache):
        tinyhtml5.inputstream.characters_until_regex = _CharactersRegexCache()


@cache
def _lean_html_class():
    """weasyprint.HTML with our user-agent stylesheet (templates/pdf/ua.css) instead of the
    full HTML5 one. The full one has rules keyed on no element (bidi, frames) and pseudo-
    elements (footnotes, notes, markers) that WeasyPrint matches and computes for every
    element: a third of a payslip's render. Our documents use none of them, and render
    pixel-identical with the lean sheet (checked when it was introduced). Relies on
    HTML._ua_stylesheets, WeasyPrint's hook for this (pinned version, tested renders)."""
    from weasyprint import HTML

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [_stylesheet("pdf/ua.css")]

    return LeanHTML


@atexit.register
def _release_fonts() -> None:
    """Drop the cached fonts while the interpreter still runs: at shutdown WeasyPrint's
    FontConfiguration.__del__ finds its C libraries gone and prints a TypeError."""
    _stylesheet.cache_clear()
    _font_config.cache_clear()
    gc.collect()


def render_html_to_pdf(
    html: str,
    *,
    pdf_variant: str | None = None,
    stylesheets: tuple[str, ...] = (),
    lean_user_agent: bool = False,
) -> bytes:
    """HTML string -> PDF bytes. `pdf_variant="pdf/a-3b"` for Factur-X invoices.

    `stylesheets`: CSS templates (e.g. "pdf/base.css"), later ones overriding earlier ones,
    parsed once per process. WeasyPrint applies them as user stylesheets: a <style> of the
    document itself would win over them, so a document uses one or the other.
    `lean_user_agent`: use templates/pdf/ua.css as the user-agent stylesheet (invoices and
    payslips, whose CSS styles every element they use; see _lean_html_class)."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    _patch_html_parser()
    html_class = _lean_html_class() if lean_user_agent else HTML
    document = html_class(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_local_only_fetcher()
    )
    options = {"font_config": _font_config()}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    try:
        options["stylesheets"] = [_stylesheet(name) for name in stylesheets]
        return document.write_pdf(**options)
    except FatalURLFetchingError as error:
        # WeasyPrint's fatal error is a BaseException: turn it into an ordinary error so
        # that callers (services, Celery tasks) handle it like any other failure.
        raise PdfResourceError(str(error)) from error


def render_pdf(
    template_name: str, context: dict, *, language: str | None = None, **options
) -> bytes:
    """Render a template of templates/pdf/ to PDF bytes, in `language` (default: French).

    `options`: those of render_html_to_pdf (pdf_variant, stylesheets, lean_user_agent)."""
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
