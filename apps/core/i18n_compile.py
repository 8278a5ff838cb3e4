"""Compile a .po catalogue to .mo with polib, so the build needs no GNU gettext.

`python -m apps.core.i18n_compile locale/fr/LC_MESSAGES/django.po` writes django.mo beside it.
Fuzzy entries are left out, as msgfmt does.
"""

import sys
from pathlib import Path

import polib


def compile_catalogue(po_path: Path) -> Path:
    catalogue = polib.pofile(str(po_path))
    for entry in catalogue.fuzzy_entries():
        catalogue.remove(entry)
    mo_path = po_path.with_suffix(".mo")
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(compile_catalogue(Path(argument)))
