"""WeasyPrint with the shipped font: a one-page document (budget 0.2 s per document)."""

from apps.core.pdf import render_html_to_pdf

from .run import Benchmark

PAGE = (
    """<!DOCTYPE html><html><head><style>
@font-face { font-family: "Source Sans 3"; src: url("fonts/source-sans-3-latin-400-normal.ttf"); }
@font-face { font-family: "Source Sans 3"; font-weight: 700; src: url("fonts/source-sans-3-latin-700-normal.ttf"); }
@page { size: A4; margin: 18mm; } html { font-family: "Source Sans 3"; font-size: 9.5pt; }
th, td { padding: 2mm; border-bottom: .4pt solid #ddd; }
</style></head><body><h1>Facture F-2026-000123</h1>
<p>Portage Conseil Demo — SAS au capital de 50 000 € — SIREN 912 345 675 — RCS Lyon</p>
<table>"""
    + "".join(
        f"<tr><td>Prestation de conseil, mars 2026, ligne {i}</td><td>20,0 j</td><td>500,00 €</td>"
        f"<td>10 000,00 €</td></tr>"
        for i in range(12)
    )
    + "</table><p>Pénalités de retard : 12,15 % ; indemnité forfaitaire de recouvrement : 40 €.</p></body></html>"
)

render_html_to_pdf(PAGE)  # warm-up: font loading is paid once per process

BENCHMARKS = [
    Benchmark(
        "pdf.one_page_document (WeasyPrint, Source Sans 3)",
        lambda: render_html_to_pdf(PAGE),
        repeat=20,
        unit="s",
        budget=0.2,
    ),
]
