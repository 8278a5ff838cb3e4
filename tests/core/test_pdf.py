"""The PDF helper embeds the shipped font and never reaches outside static/."""

import io

import pytest
from pypdf import PdfReader

from apps.core.pdf import PdfResourceError, content_fingerprint, render_html_to_pdf

HTML = """<html><head><style>
@font-face { font-family: "Source Sans 3"; src: url("fonts/source-sans-3-latin-400-normal.ttf"); }
html { font-family: "Source Sans 3"; }
</style></head><body><p>Indemnité forfaitaire de recouvrement : 40 €</p>{extra}</body></html>"""


def _fonts(pdf: bytes) -> set[str]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return {font["/BaseFont"] for font in page["/Resources"]["/Font"].values()}


def test_text_and_shipped_font_are_in_the_pdf():
    pdf = render_html_to_pdf(HTML.replace("{extra}", ""))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Indemnité forfaitaire de recouvrement : 40 €" in text
    assert any("Source-Sans-3" in name for name in _fonts(pdf))


@pytest.mark.parametrize(
    "resource", ['<img src="http://example.com/x.png">', '<img src="file:///etc/passwd">']
)
def test_outside_resources_are_refused(resource):
    with pytest.raises(PdfResourceError, match="Error fetching"):
        render_html_to_pdf(HTML.replace("{extra}", resource))


def test_fingerprint_changes_with_content():
    assert content_fingerprint("a", 1) == content_fingerprint("a", 1)
    assert content_fingerprint("a", 1) != content_fingerprint("a", 2)


def test_html_parser_regex_cache_keeps_what_it_builds():
    """Workaround for tinyhtml5's chars_until cache (apps/core/pdf.py): the regex is the one
    tinyhtml5 builds, and a second lookup finds it instead of building it again."""
    from apps.core.pdf import _CharactersRegexCache

    cache = _CharactersRegexCache()
    until = cache[(("&", "<", "\u0000"), False)]
    assert until.pattern == "[^\\x26\\x3c\\x00]+"
    assert until.match("abc&d").group() == "abc"
    spaces = cache[(frozenset({" ", "\t"}), True)]
    assert spaces.match("  \tx").group() == "  \t"
    assert cache[(("&", "<", "\u0000"), False)] is until
    assert len(cache) == 2
