"""User-facing labels of the line codes and groups, French (default) and English.

Codes are stable identifiers (stored on issued payslips); labels may be reworded.
"""

from .types import Group

LINE_LABELS: dict[str, tuple[str, str]] = {
    "maladie": (
        "Sécurité sociale - Maladie Maternité Invalidité Décès",
        "Social security - sickness, maternity, disability, death",
    ),
    "prevoyance_cadre": (
        "Complémentaire Incapacité Invalidité Décès (prévoyance cadres)",
        "Supplementary disability and death cover (executives)",
    ),
    "mutuelle": ("Complémentaire santé", "Supplementary health insurance"),
    "atmp": (
        "Accidents du travail - Maladies professionnelles",
        "Occupational accidents and diseases",
    ),
    "vieillesse_plafonnee": ("Sécurité sociale plafonnée", "Social security pension (capped)"),
    "vieillesse_deplafonnee": (
        "Sécurité sociale déplafonnée",
        "Social security pension (uncapped)",
    ),
    "retraite_complementaire_t1": (
        "Complémentaire Tranche 1 (AGIRC-ARRCO)",
        "Supplementary pension, bracket 1 (AGIRC-ARRCO)",
    ),
    "ceg_t1": (
        "Contribution d'équilibre général Tranche 1",
        "General balancing contribution, bracket 1",
    ),
    "retraite_complementaire_t2": (
        "Complémentaire Tranche 2 (AGIRC-ARRCO)",
        "Supplementary pension, bracket 2 (AGIRC-ARRCO)",
    ),
    "ceg_t2": (
        "Contribution d'équilibre général Tranche 2",
        "General balancing contribution, bracket 2",
    ),
    "cet": ("Contribution d'équilibre technique", "Technical balancing contribution"),
    "allocations_familiales": ("Allocations familiales", "Family allowances"),
    "chomage": ("Assurance chômage", "Unemployment insurance"),
    "ags": ("AGS (garantie des salaires)", "AGS (wage guarantee fund)"),
    "fnal": ("FNAL (aide au logement)", "FNAL (housing aid fund)"),
    "csa": ("Contribution solidarité autonomie", "Solidarity contribution for autonomy"),
    "versement_mobilite": ("Versement mobilité", "Mobility contribution"),
    "formation_professionnelle": (
        "Contribution à la formation professionnelle",
        "Vocational training contribution",
    ),
    "cpf_cdd": ("Contribution CPF-CDD", "Training contribution on fixed-term contracts"),
    "taxe_apprentissage": ("Taxe d'apprentissage", "Apprenticeship tax"),
    "taxe_apprentissage_solde": (
        "Solde de la taxe d'apprentissage",
        "Apprenticeship tax balance",
    ),
    "contribution_supplementaire_apprentissage": (
        "Contribution supplémentaire à l'apprentissage",
        "Additional apprenticeship contribution",
    ),
    "dialogue_social": ("Contribution au dialogue social", "Social dialogue contribution"),
    "forfait_social": ("Forfait social", "Employer social levy (forfait social)"),
    "peec": (
        "Participation à l'effort de construction",
        "Employer housing construction contribution",
    ),
    "apec": ("APEC", "APEC (executives' employment association)"),
    "csg_deductible": (
        "CSG déductible de l'impôt sur le revenu",
        "CSG deductible from income tax",
    ),
    "csg_non_deductible": (
        "CSG non déductible de l'impôt sur le revenu",
        "CSG not deductible from income tax",
    ),
    "crds": (
        "CRDS non déductible de l'impôt sur le revenu",
        "CRDS not deductible from income tax",
    ),
    "rgdu": (
        "Réduction générale dégressive unique",
        "Single degressive general reduction (RGDU)",
    ),
}

GROUP_LABELS: dict[Group, tuple[str, str]] = {
    Group.SANTE: ("Santé", "Health"),
    Group.ACCIDENTS_TRAVAIL: (
        "Accidents du travail - Maladies professionnelles",
        "Occupational accidents and diseases",
    ),
    Group.RETRAITE: ("Retraite", "Pension"),
    Group.FAMILLE: ("Famille", "Family"),
    Group.ASSURANCE_CHOMAGE: ("Assurance chômage", "Unemployment insurance"),
    Group.AUTRES_CONTRIBUTIONS: (
        "Autres contributions dues par l'employeur",
        "Other employer contributions",
    ),
    Group.COTISATIONS_STATUTAIRES: (
        "Cotisations statutaires ou prévues par la convention collective",
        "Statutory or collective-agreement contributions",
    ),
    Group.CSG_CRDS: ("CSG / CRDS", "CSG / CRDS"),
    Group.EXONERATIONS: (
        "Exonérations, écrêtements et allègements de cotisations",
        "Exemptions and reductions of contributions",
    ),
}


def group_label(group: Group, lang: str = "fr") -> str:
    french, english = GROUP_LABELS[group]
    return english if lang == "en" else french
