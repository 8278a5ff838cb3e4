"""Rasterise a PDF's first page with poppler's pdftoppm (Debian package poppler-utils), to
compare two renders pixel for pixel or to look at one."""

import shutil
import subprocess
from pathlib import Path

import pytest


def pdf_page_png(pdf_bytes: bytes, folder: Path, name: str, *, dpi: int = 80) -> bytes:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm not installed (apt-get install poppler-utils)")
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(  # noqa: S603 - our own file, a fixed executable
        [pdftoppm, "-r", str(dpi), "-png", "-singlefile", str(source), str(folder / name)],
        check=True,
        timeout=60,
    )
    return (folder / f"{name}.png").read_bytes()
