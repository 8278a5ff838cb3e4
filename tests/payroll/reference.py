"""The independent reference payslips (shared/domain/reference-cases/payslips-2026.json,
from URSSAF's modele-social, not our code) and how their rules map to our line codes:
shared by the engine tests and the simulate_payslip CLI tests."""

from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[3] / "shared/domain/reference-cases/payslips-2026.json"

# modele-social rule -> our line code. Tranche rules (retraite complémentaire, CEG) are
# one reference line with `tranches`; we have one line per tranche: <code>_t1, <code>_t2.
RULE_PREFIX = "salarié . cotisations . "
RULE_TO_CODE = {
    "prévoyances . santé . salarié": "mutuelle",
    "prévoyances . santé . employeur": "mutuelle",
    "prévoyances . employeur . cadres": "prevoyance_cadre",
    "maladie . employeur": "maladie",
    "ATMP": "atmp",
    "vieillesse . salarié . plafonnée": "vieillesse_plafonnee",
    "vieillesse . employeur . plafonnée": "vieillesse_plafonnee",
    "vieillesse . salarié . déplafonnée": "vieillesse_deplafonnee",
    "vieillesse . employeur . déplafonnée": "vieillesse_deplafonnee",
    "retraite complémentaire . salarié": "retraite_complementaire",
    "retraite complémentaire . employeur": "retraite_complementaire",
    "CEG . salarié": "ceg",
    "CEG . employeur": "ceg",
    "CET . salarié": "cet",
    "CET . employeur": "cet",
    "allocations familiales": "allocations_familiales",
    "chômage": "chomage",
    "AGS": "ags",
    "APEC . salarié": "apec",
    "APEC . employeur": "apec",
    "FNAL": "fnal",
    "CSA": "csa",
    "forfait social": "forfait_social",
    "taxe d'apprentissage . base": "taxe_apprentissage",
    "taxe d'apprentissage . solde": "taxe_apprentissage_solde",
    "taxe d'apprentissage . contribution supplémentaire": (
        "contribution_supplementaire_apprentissage"
    ),
    "formation professionnelle": "formation_professionnelle",
    "contribution au dialogue social": "dialogue_social",
    "PEEC": "peec",
    "CSG-CRDS . CSG . déductible": "csg_deductible",
    "CSG-CRDS . CSG . non déductible . revenus imposables": "csg_non_deductible",
    "CSG-CRDS . CRDS": "crds",
    "exonérations . RGDU": "rgdu",
}
TOTALS = (
    "gross",
    "employee_contributions",
    "employer_contributions",
    "net_before_income_tax",
    "net_taxable",
    "net_social",
    "employer_cost",
)
