"""Excluded activities, forbidden purposes and dangerous works as data, with their sources.

Taken from docs/contracts-law.md §3 (codes SAP-xx, FP-xx, DW-xx are stable: contracts and
tests cite them). Labels are English source strings marked with gettext_noop (called by
that name: makemessages knows no alias): the database stores the English label and the
model translates it when displayed (ActivityCategory.label_display), so the French
catalogue covers the loaded rows too.

The data migration 0002_load_activity_categories loads ALLOWED_CATEGORIES and
EXCLUDED_ACTIVITIES into compliance.ActivityCategory (update_or_create by code). The engine
recognises an excluded activity by its code prefix (EXCLUSION_PREFIXES), so a category an
admin adds later with a SAP-/DW- code is refused too; the model enforces that prefix and
the excluded flag go together.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

# code prefix -> the rule that refuses it
EXCLUSION_PREFIXES: dict[str, str] = {"SAP-": "PR-02", "DW-": "PR-04"}

SAP_SOURCE = "Code du travail L1254-5 -> L7231-1 -> D7231-1"
DW_SOURCE = "Code du travail L1254-4 I 2° -> L4154-1 -> D4154-1"

# Services à la personne (L1254-5: may not be the object of a portage contract).
# (code, label, article, status of the reading in docs/contracts-law.md §3.1)
EXCLUDED_ACTIVITIES: list[tuple[str, str, str, str]] = [
    (
        "SAP-01",
        gettext_noop("Childcare at home below the age set by arrêté"),
        "D7231-1 I 1°",
        "confirmed",
    ),
    (
        "SAP-02",
        gettext_noop("Accompanying young children outside the home (walks, transport, daily acts)"),
        "D7231-1 I 2°",
        "confirmed",
    ),
    (
        "SAP-03",
        gettext_noop(
            "Help with daily tasks for elderly, disabled or chronically ill persons at home"
        ),
        "D7231-1 I 3°",
        "confirmed",
    ),
    (
        "SAP-04",
        gettext_noop(
            "Driving the personal vehicle of elderly, disabled or chronically ill persons"
        ),
        "D7231-1 I 4°",
        "confirmed",
    ),
    (
        "SAP-05",
        gettext_noop("Accompanying elderly, disabled or chronically ill persons outside the home"),
        "D7231-1 I 5°",
        "confirmed",
    ),
    ("SAP-06", gettext_noop("Housekeeping and household work"), "D7231-1 II 1°", "confirmed"),
    (
        "SAP-07",
        gettext_noop("Small gardening work, including brush clearing"),
        "D7231-1 II 2°",
        "confirmed",
    ),
    ("SAP-08", gettext_noop("Small DIY jobs at home"), "D7231-1 II 3°", "confirmed"),
    (
        "SAP-09",
        gettext_noop("Childcare at home above the age set by arrêté"),
        "D7231-1 II 4°",
        "confirmed",
    ),
    ("SAP-10", gettext_noop("Tutoring and lessons at home"), "D7231-1 II 5°", "confirmed"),
    (
        "SAP-11",
        gettext_noop("Beauty care at home for dependent persons"),
        "D7231-1 II 6°",
        "confirmed",
    ),
    ("SAP-12", gettext_noop("Meal preparation at home"), "D7231-1 II 7°", "confirmed"),
    ("SAP-13", gettext_noop("Meal delivery at home"), "D7231-1 II 8°", "confirmed"),
    (
        "SAP-14",
        gettext_noop("Collection and home delivery of ironed laundry"),
        "D7231-1 II 9°",
        "confirmed",
    ),
    (
        "SAP-15",
        gettext_noop("Home delivery of shopping"),
        "D7231-1 II 10°",
        "unconfirmed numbering",
    ),
    ("SAP-16", gettext_noop("IT assistance at home"), "D7231-1 II 11°", "unconfirmed numbering"),
    (
        "SAP-17",
        gettext_noop("Care and walking of pets of dependent persons"),
        "D7231-1 II 12°",
        "unconfirmed numbering",
    ),
    (
        "SAP-18",
        gettext_noop("Temporary maintenance and watch of a private residence"),
        "D7231-1 II 13°",
        "unconfirmed numbering",
    ),
    (
        "SAP-19",
        gettext_noop("Administrative assistance at home"),
        "D7231-1 II 14°",
        "unconfirmed numbering",
    ),
    (
        "SAP-20",
        gettext_noop("Accompanying older children in their travels"),
        "D7231-1 II 15°",
        "unconfirmed numbering",
    ),
    (
        "SAP-21",
        gettext_noop("Remote assistance and video assistance"),
        "D7231-1 II 16°",
        "unconfirmed numbering",
    ),
    (
        "SAP-22",
        gettext_noop("Sign-language interpreting, written-text transcription, cued-speech coding"),
        "D7231-1 II 17°",
        "unconfirmed numbering",
    ),
    (
        "SAP-23",
        gettext_noop("Driving the personal vehicle of persons with a temporary disability"),
        "D7231-1 II 18°",
        "unconfirmed numbering",
    ),
    (
        "SAP-24",
        gettext_noop("Accompanying persons with a temporary disability outside the home"),
        "D7231-1 II 19°",
        "unconfirmed numbering",
    ),
    (
        "SAP-25",
        gettext_noop("Assistance at home to persons temporarily needing personal help"),
        "D7231-1 II 20°",
        "unconfirmed numbering",
    ),
    (
        "SAP-26",
        gettext_noop("Coordination and delivery of personal services"),
        "D7231-1 II 21°",
        "unconfirmed numbering",
    ),
    (
        "SAP-27",
        gettext_noop(
            "Home help for elderly, disabled or chronically ill persons (prestataire mode)"
        ),
        "D7231-1 II chapeau -> CASF",
        "unconfirmed CASF article",
    ),
]

# Forbidden purposes of L1254-4 I (facts: not_replacing_striker, dangerous_work).
FORBIDDEN_PURPOSES: list[tuple[str, str, str]] = [
    (
        "FP-01",
        gettext_noop("Replacing an employee whose contract is suspended by a strike"),
        "Code du travail L1254-4 I 1°",
    ),
    (
        "FP-02",
        gettext_noop(
            "Particularly dangerous work listed under L4154-1 (save an administrative derogation)"
        ),
        "Code du travail L1254-4 I 2°; L4154-1; D4154-1",
    ),
]

# Particularly dangerous works of D4154-1 (FP-02). Shown on the contract screens as the
# list the "dangerous work" declaration refers to.
DANGEROUS_WORKS: list[tuple[str, str]] = [
    (
        "DW-01",
        gettext_noop("Asbestos: work on flocking or lagging, confinement, removal, demolition"),
    ),
    ("DW-02", gettext_noop("Aromatic amines (benzidine and derivatives, 4-aminobiphenyl)")),
    ("DW-03", gettext_noop("Sodium arsenite")),
    ("DW-04", gettext_noop("Hydrogen arsenide (arsine)")),
    ("DW-05", gettext_noop("Auramine and magenta (manufacture)")),
    ("DW-06", gettext_noop("Beryllium and its salts")),
    ("DW-07", gettext_noop("Beta-naphthylamine, chlornaphazine, o-toluidine")),
    ("DW-08", gettext_noop("Liquid or gaseous bromine")),
    ("DW-09", gettext_noop("Cadmium: metallurgy and smelting")),
    ("DW-10", gettext_noop("Soluble inorganic cadmium compounds")),
    ("DW-11", gettext_noop("Gaseous chlorine")),
    ("DW-12", gettext_noop("Chloromethane (methyl chloride)")),
    ("DW-13", gettext_noop("Vinyl chloride during polymerisation")),
    ("DW-14", gettext_noop("Mercury dichloride, mercury oxycyanide, alkyl mercury derivatives")),
    ("DW-15", gettext_noop("Manganese dioxide")),
    ("DW-16", gettext_noop("Gaseous fluorine and hydrofluoric acid")),
    ("DW-17", gettext_noop("Solid or vapour iodine")),
    ("DW-18", gettext_noop("Carbon oxychloride (phosgene)")),
    ("DW-19", gettext_noop("Paraquat")),
    ("DW-20", gettext_noop("Phosphorus, phosphorus pentafluoride, hydrogen phosphide")),
    ("DW-21", gettext_noop("Flax dust (inhalation)")),
    ("DW-22", gettext_noop("Hard-metal dust")),
    ("DW-23", gettext_noop("Ionising radiation in a zone requiring category-1 assignment")),
    ("DW-24", gettext_noop("Carbon disulphide")),
    ("DW-25", gettext_noop("Tetrachloroethane")),
    ("DW-26", gettext_noop("Tetrachloromethane (carbon tetrachloride)")),
    ("DW-27", gettext_noop("Wood disinsectisation work")),
]

ALLOWED_SOURCE = "Intellectual services allowed in portage: Code du travail L1254-2, L1254-3"

# Activities portage is made for (expertise sold to companies). (code, label)
ALLOWED_CATEGORIES: list[tuple[str, str]] = [
    ("IT-CONSULTING", gettext_noop("IT consulting and software development")),
    ("IT-INFRA", gettext_noop("IT infrastructure, cloud and cybersecurity")),
    ("DATA", gettext_noop("Data, analytics and artificial intelligence")),
    ("MGMT-CONSULTING", gettext_noop("Management and strategy consulting")),
    ("PROJECT-MGMT", gettext_noop("Project and programme management")),
    ("ENGINEERING", gettext_noop("Engineering and technical studies")),
    ("TRAINING", gettext_noop("Professional training for companies")),
    ("MARKETING", gettext_noop("Marketing, communication and digital")),
    ("FINANCE", gettext_noop("Finance, accounting and tax advice")),
    ("HR-CONSULTING", gettext_noop("Human resources consulting and recruitment")),
    ("SALES", gettext_noop("Sales and business development consulting")),
    ("LEGAL-COMPLIANCE", gettext_noop("Regulatory, quality and compliance consulting")),
    ("PURCHASING-LOGISTICS", gettext_noop("Purchasing, supply chain and logistics consulting")),
    ("DESIGN", gettext_noop("Design, UX and creative services")),
    ("TRANSLATION", gettext_noop("Translation and business writing")),
    ("COACHING", gettext_noop("Executive and team coaching")),
]


def exclusion_rule_for_code(code: str) -> str:
    """ "PR-02" / "PR-04" if the code names an excluded activity, else ""."""
    upper = (code or "").strip().upper()
    for prefix, rule_id in EXCLUSION_PREFIXES.items():
        if upper.startswith(prefix):
            return rule_id
    return ""


def excluded_activity(code: str) -> dict | None:
    """The SAP/DW entry for `code` ({code, label, source}), or None."""
    upper = (code or "").strip().upper()
    for entry_code, label, article, _status in EXCLUDED_ACTIVITIES:
        if entry_code == upper:
            return {"code": entry_code, "label": label, "source": f"{SAP_SOURCE} ({article})"}
    for entry_code, label in DANGEROUS_WORKS:
        if entry_code == upper:
            return {"code": entry_code, "label": label, "source": DW_SOURCE}
    return None


def activity_category_rows() -> list[dict]:
    """Every row the data migration loads: {code, label, excluded, exclusion_rule, source}."""
    rows = [
        {
            "code": code,
            "label": label,
            "excluded": False,
            "exclusion_rule": "",
            "source": ALLOWED_SOURCE,
        }
        for code, label in ALLOWED_CATEGORIES
    ]
    rows += [
        {
            "code": code,
            "label": label,
            "excluded": True,
            "exclusion_rule": "PR-02",
            "source": f"{SAP_SOURCE} ({article}; {status})",
        }
        for code, label, article, status in EXCLUDED_ACTIVITIES
    ]
    return rows
