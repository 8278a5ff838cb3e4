"""Fill the English catalogue from the source strings, which are English.

`make messages` runs it after makemessages so that locale/en is complete: every msgstr is
its msgid unless a translator already chose another wording. Fuzzy flags are cleared.
"""

import sys
from pathlib import Path

import polib


def fill(po_path: Path) -> int:
    catalogue = polib.pofile(str(po_path))
    filled = 0
    for entry in catalogue:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
    catalogue.save(str(po_path))
    return filled


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(f"{argument}: {fill(Path(argument))} entries filled from the English source")
