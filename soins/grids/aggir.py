"""AGGIR: the national grid (CASF annexe 2-1) and the GIR by the official algorithm (CASF annexe 2-2).

Each sub-variable is coded from the four adverbs of the guide: done spontaneously, totally,
correctly and habitually → A; none of them → C; otherwise B (a modality may also be given
directly, when transcribing a grid done elsewhere). Sub-variables combine into the ten
discriminant variables following the guide de remplissage (décret n° 2008-821 du 21 août 2008):
- cohérence, orientation, toilette: AA → A, CC → C, otherwise B;
- habillage (haut, moyen, bas): AAA → A, CCC → C, otherwise B;
- alimentation (se servir, manger): AA → A, CC, BC or CB → C, otherwise B;
- élimination (urinaire, fécale): AA → A, C on either side → C, otherwise B.
The seven illustrative variables are optional and do not enter the GIR.

The GIR: for groups A to H in turn, sum the weight of each variable's modality (tables below,
transcribed from annexe 2-2); the first group whose sum reaches one of its thresholds gives the
rank; the rank gives the GIR (1 → 1; 2–7 → 2; 8–9 → 3; 10–11 → 4; 12 → 5; 13 → 6).
"""

from decimal import Decimal

from soins.grids.engine import ADVERBS, Context, Grid, Item, Outcome

DISCRIMINANT = "Variables discriminantes"
ILLUSTRATIVE = "Variables illustratives (facultatives, hors calcul du GIR)"

# (code, variable, label, help) — the sub-variables of the ten discriminant variables, in the grid's order.
SUB_VARIABLES = (
    ("coherence_communication", "coherence", "Cohérence — communication",
     "Converser de façon logique et sensée avec les personnes : comprendre, se faire comprendre, "
     "tenir des propos cohérents."),
    ("coherence_comportement", "coherence", "Cohérence — comportement",
     "Se comporter de façon logique et sensée au regard des normes admises par la société "
     "(pas de comportement inadapté ou dangereux pour soi ou les autres)."),
    ("orientation_temps", "orientation", "Orientation — dans le temps",
     "Se repérer dans le temps : moments de la journée, jour, saison, année."),
    ("orientation_espace", "orientation", "Orientation — dans l'espace",
     "Se repérer dans les lieux habituels : chambre, couloirs, salle à manger, quartier."),
    ("toilette_haut", "toilette", "Toilette — haut",
     "Hygiène du visage, du tronc, des membres supérieurs et des mains ; rasage, coiffage."),
    ("toilette_bas", "toilette", "Toilette — bas",
     "Hygiène des régions intimes, des membres inférieurs et des pieds."),
    ("habillage_haut", "habillage", "Habillage — haut",
     "Vêtements passés par les bras ou la tête ; choisir ses vêtements, se présenter."),
    ("habillage_moyen", "habillage", "Habillage — moyen",
     "Fermer ses vêtements : boutons, fermeture éclair, ceinture, bretelles, soutien-gorge."),
    ("habillage_bas", "habillage", "Habillage — bas",
     "Vêtements passés par le bas du corps, chaussettes, bas et chaussures."),
    ("alimentation_se_servir", "alimentation", "Alimentation — se servir",
     "Couper la viande, peler un fruit, ouvrir un pot de yaourt, remplir son verre, beurrer le pain."),
    ("alimentation_manger", "alimentation", "Alimentation — manger",
     "Porter les aliments et boissons à la bouche et les avaler (aliments déjà préparés et servis)."),
    ("elimination_urinaire", "elimination", "Élimination — urinaire",
     "Assurer l'hygiène de l'élimination urinaire : aller aux toilettes ou utiliser un urinal, "
     "gérer protections ou sonde, s'essuyer."),
    ("elimination_fecale", "elimination", "Élimination — fécale",
     "Assurer l'hygiène de l'élimination fécale : toilettes ou bassin, stomie, s'essuyer."),
    ("transferts", "transferts", "Transferts",
     "Se lever, se coucher, s'asseoir : passer d'une de ces positions à une autre, dans les deux sens."),
    ("deplacement_interieur", "deplacement_interieur", "Déplacements à l'intérieur",
     "Se déplacer dans le lieu de vie (avec canne, déambulateur ou fauteuil roulant si besoin), "
     "jusqu'à la porte d'entrée."),
    ("deplacement_exterieur", "deplacement_exterieur", "Déplacements à l'extérieur",
     "Se déplacer à partir de la porte d'entrée, sans moyen de transport."),
    ("communication", "communication", "Communication à distance",
     "Utiliser les moyens de communication : téléphone, sonnette, alarme, appel malade."),
)  # fmt: skip

ILLUSTRATIVES = (
    ("gestion", "Gestion", "Gérer ses propres affaires, son budget, ses biens."),
    ("cuisine", "Cuisine", "Préparer ses repas et les conditionner pour être servis."),
    ("menage", "Ménage", "Effectuer l'ensemble des travaux ménagers."),
    ("transports", "Transports", "Prendre et/ou commander un moyen de transport."),
    ("achats", "Achats", "Acquisition directe ou par correspondance."),
    ("suivi_traitement", "Suivi du traitement", "Se conformer à l'ordonnance du médecin."),
    ("activites_temps_libre", "Activités de temps libre",
     "Activités sportives, culturelles, sociales, de loisir ou de passe-temps."),
)  # fmt: skip

VARIABLES = (
    "coherence",
    "orientation",
    "toilette",
    "habillage",
    "alimentation",
    "elimination",
    "transferts",
    "deplacement_interieur",
    "deplacement_exterieur",
    "communication",
)
VARIABLE_LABELS = {
    "coherence": "Cohérence",
    "orientation": "Orientation",
    "toilette": "Toilette",
    "habillage": "Habillage",
    "alimentation": "Alimentation",
    "elimination": "Élimination",
    "transferts": "Transferts",
    "deplacement_interieur": "Déplacements intérieurs",
    "deplacement_exterieur": "Déplacements extérieurs",
    "communication": "Communication à distance",
}

# CASF annexe 2-2: per group, the value of each variable coded C and coded B (A counts 0), then the
# thresholds (sum ≥ threshold → rank), tested in order; below all of them, the next group.
_V = VARIABLES
GROUPS: tuple[tuple[str, dict[str, tuple[int, int]], tuple[tuple[int, int], ...]], ...] = (
    ("A", dict(zip(_V, ((2000, 0), (1200, 0), (40, 16), (40, 16), (60, 20), (100, 16), (800, 120), (200, 32),
                        (0, 0), (0, 0)), strict=True)), ((4380, 1), (4140, 2), (3390, 3))),
    ("B", dict(zip(_V, ((1500, 320), (1200, 120), (40, 16), (40, 16), (60, 0), (100, 16), (800, 120), (-80, -40),
                        (0, 0), (0, 0)), strict=True)), ((2016, 4),)),
    ("C", dict(zip(_V, ((0, 0), (0, 0), (40, 16), (40, 16), (60, 20), (160, 20), (1000, 200), (400, 40),
                        (0, 0), (0, 0)), strict=True)), ((1700, 5), (1432, 6))),
    ("D", dict(zip(_V, ((0, 0), (0, 0), (0, 0), (0, 0), (2000, 200), (400, 200), (2000, 200), (200, 0),
                        (0, 0), (0, 0)), strict=True)), ((2400, 7),)),
    ("E", dict(zip(_V, ((400, 0), (400, 0), (400, 100), (400, 100), (400, 100), (800, 100), (800, 100), (200, 0),
                        (0, 0), (0, 0)), strict=True)), ((1200, 8),)),
    ("F", dict(zip(_V, ((200, 100), (200, 100), (500, 100), (500, 100), (500, 100), (500, 100), (500, 100),
                        (200, 0), (0, 0), (0, 0)), strict=True)), ((800, 9),)),
    ("G", dict(zip(_V, ((150, 0), (150, 0), (300, 200), (300, 200), (500, 200), (500, 200), (400, 200), (200, 100),
                        (0, 0), (0, 0)), strict=True)), ((650, 10),)),
    ("H", dict(zip(_V, ((0, 0), (0, 0), (3000, 2000), (3000, 2000), (3000, 2000), (3000, 2000), (1000, 2000),
                        (1000, 1000), (0, 0), (0, 0)), strict=True)), ((4000, 11), (2000, 12))),
)  # fmt: skip
LAST_RANK = 13
RANK_TO_GIR = {1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 4, 11: 4, 12: 5, 13: 6}
GROUP_BY_NAME = {name: (weights, thresholds) for name, weights, thresholds in GROUPS}

GIR_LABELS = {
    1: "GIR 1 : personne confinée au lit ou au fauteuil, fonctions mentales gravement altérées, "
    "présence indispensable et continue d'intervenants.",
    2: "GIR 2 : personne confinée au lit ou au fauteuil aux fonctions mentales non totalement altérées, "
    "ou personne aux fonctions mentales altérées qui a conservé ses capacités de se déplacer.",
    3: "GIR 3 : autonomie mentale conservée, partiellement l'autonomie locomotrice, "
    "aide plusieurs fois par jour pour les soins corporels.",
    4: "GIR 4 : aide pour les transferts mais se déplace seule à l'intérieur, ou aide pour les soins "
    "corporels et les repas.",
    5: "GIR 5 : aide ponctuelle pour la toilette, la préparation des repas et le ménage.",
    6: "GIR 6 : autonome pour les actes essentiels de la vie courante.",
}


def combine(variable: str, modalities: list[str]) -> str:
    """The variable's modality from its sub-variables' (guide de remplissage)."""
    if len(modalities) == 1:
        return modalities[0]
    if all(m == "A" for m in modalities):
        return "A"
    if all(m == "C" for m in modalities):
        return "C"
    if variable == "alimentation" and "C" in modalities and "B" in modalities:
        return "C"
    if variable == "elimination" and "C" in modalities:
        return "C"
    return "B"


def group_sum(group: str, modalities: dict[str, str]) -> int:
    weights = GROUP_BY_NAME[group][0]
    total = 0
    for variable in VARIABLES:
        value_c, value_b = weights[variable]
        total += value_c if modalities[variable] == "C" else value_b if modalities[variable] == "B" else 0
    return total


def rank_in_group(group: str, total: int) -> int | None:
    """The rank this group's sum gives, or None: test the next group (H always gives a rank)."""
    for threshold, rank in GROUP_BY_NAME[group][1]:
        if total >= threshold:
            return rank
    return LAST_RANK if group == "H" else None


def gir_of(modalities: dict[str, str]) -> tuple[int, int, dict[str, int]]:
    """(GIR, rank, sums of the groups tested) for the ten variables' modalities A/B/C."""
    sums = {}
    for group, _weights, _thresholds in GROUPS:
        sums[group] = group_sum(group, modalities)
        rank = rank_in_group(group, sums[group])
        if rank is not None:
            return RANK_TO_GIR[rank], rank, sums
    raise AssertionError("unreachable: group H always ranks")


def _compute(answers: dict, context: Context) -> Outcome:
    by_variable: dict[str, list[str]] = {variable: [] for variable in VARIABLES}
    sub = {}
    for code, variable, _label, _help in SUB_VARIABLES:
        sub[code] = answers[code]["modalite"]
        by_variable[variable].append(sub[code])
    modalities = {variable: combine(variable, values) for variable, values in by_variable.items()}
    gir, rank, sums = gir_of(modalities)
    illustrative = {code: answers[code]["modalite"] for code, _label, _help in ILLUSTRATIVES if code in answers}
    results = {
        "gir": gir,
        "rang": rank,
        "variables": modalities,
        "sous_variables": sub,
        "sommes_groupes": sums,
        "illustratives": illustrative,
    }
    return Outcome(Decimal(gir), results, GIR_LABELS[gir])


def _items() -> tuple[Item, ...]:
    items = [
        Item(code, label, ADVERBS, help=help_, group=DISCRIMINANT) for code, _variable, label, help_ in SUB_VARIABLES
    ]
    items += [Item(code, label, ADVERBS, required=False, help=help_, group=ILLUSTRATIVE) for code, label, help_ in
              ILLUSTRATIVES]  # fmt: skip
    return tuple(items)


AGGIR = Grid(
    code="aggir",
    label="Grille AGGIR (GIR)",
    document_class_code="aggir",
    items=_items(),
    compute=_compute,
    description="Observer ce que la personne fait seule, sans aide ni incitation (aides techniques comprises). "
    "Pour chaque activité : la fait-elle spontanément, totalement, correctement, habituellement ? "
    "Quatre oui → A, quatre non → C, sinon B.",
    source="CASF annexe 2-1 (grille nationale AGGIR et guide de remplissage) et annexe 2-2 (algorithme).",
    score_label="GIR",
)
