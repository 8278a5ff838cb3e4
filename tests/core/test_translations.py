"""Every user-facing string is translated: French (the default) and English catalogues complete."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated strings: {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy strings: {fuzzy[:20]}"


def test_french_catalogue_really_is_french():
    catalogue = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    same = [e.msgid for e in catalogue if e.msgstr == e.msgid and len(e.msgid.split()) > 2]
    assert len(same) <= len(catalogue) * 0.02, f"copied, not translated: {same[:20]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """Extract the strings from the code now and compare with the committed catalogue."""
    base = Path(settings.BASE_DIR)
    work = tmp_path / "src"
    for folder in ("apps", "templates", "portage_office"):
        shutil.copytree(base / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (work / "locale").mkdir()
    subprocess.run(
        [
            str(base / ".venv/bin/python"),
            "-m",
            "django",
            "makemessages",
            "-l",
            "fr",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=work,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "portage_office.settings.test",
            "PYTHONPATH": str(work),
            "PATH": "/usr/bin:/bin",
        },
    )
    extracted = {e.msgid for e in polib.pofile(str(work / "locale/fr/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "fr/LC_MESSAGES/django.po"))}
    missing = sorted(extracted - committed)
    assert not missing, f"run `make messages` and translate: {missing[:20]}"
