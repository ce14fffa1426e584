"""Hydration: fluid intake over a period and clinical signs of dehydration.

Reference intake for an older person: about 1.5 L of drinks a day (PNNS / Santé publique France,
« boire 1 à 1,5 L d'eau par jour »), unless an IDE or a doctor set the person's own daily target
(soins.models.HydrationTarget); the period's target is pro rata. Two signs or more, or less
than half the target, call for drinks offered and a re-evaluation within two hours.
"""

import datetime
from decimal import Decimal

from soins.grids.engine import CHOICE, INTEGER, MULTICHOICE, Context, FollowUp, Grid, Item, Outcome

# Without a target set for the person (documented in the README); a target set by an IDE or a
# doctor must lie between the bounds (below 500 mL or above 4 L a day is a typing error).
DAILY_TARGET_ML = 1500
MIN_DAILY_TARGET_ML = 500
MAX_DAILY_TARGET_ML = 4000
PERIODS = (("24h", "24 heures"), ("jour", "Jour (07 h – 19 h)"), ("nuit", "Nuit (19 h – 07 h)"))
PERIOD_HOURS = {"24h": 24, "jour": 12, "nuit": 12}
SIGNS = (
    ("bouche_seche", "Bouche, langue ou lèvres sèches"),
    ("pli_cutane", "Pli cutané persistant (front, sternum)"),
    ("urines_rares", "Urines rares ou foncées"),
    ("confusion", "Confusion, somnolence ou fatigue inhabituelles"),
    ("soif", "Soif exprimée"),
    ("refus_boire", "Refus ou difficulté à boire (fausse route…)"),
)


def _hydration(answers: dict, context: Context) -> Outcome:
    intake = answers["apports_ml"]
    hours = PERIOD_HOURS[answers["periode"]]
    target = (context.hydration_target_ml or DAILY_TARGET_ML) * hours // 24
    signs = answers.get("signes", [])
    labels = dict(SIGNS)
    ratio = Decimal(intake * 100 / target).quantize(Decimal(1))
    text = f"Apports {intake} mL sur {hours} h ({ratio} % de l'objectif de {target} mL)"
    insufficient = intake < target
    if signs:
        text += " ; signes : " + ", ".join(labels[s].lower() for s in signs)
    risk = len(signs) >= 2 or intake < target / 2
    if risk:
        text += ". Risque de déshydratation : proposer à boire, réévaluer dans les 2 heures."
    elif insufficient:
        text += ". Apports insuffisants : proposer à boire régulièrement."
    else:
        text += ". Apports suffisants."
    follow_ups = []
    if risk:
        follow_ups.append(FollowUp("Proposer à boire et réévaluer l'hydratation", datetime.timedelta(hours=2), ""))
    results = {
        "objectif_ml": target,
        "pourcentage_objectif": int(ratio),
        "apports_insuffisants": insufficient,
        "risque_deshydratation": risk,
    }
    return Outcome(Decimal(intake), results, text[:300], follow_ups)


HYDRATION = Grid(
    code="hydratation",
    label="Hydratation (apports et signes)",
    document_class_code="constantes",
    items=(
        Item("periode", "Période", CHOICE, choices=PERIODS, help="Période sur laquelle les boissons sont comptées."),
        Item(
            "apports_ml",
            "Boissons prises",
            INTEGER,
            unit="mL",
            minimum=0,
            maximum=6000,
            help="Total bu sur la période (eau, boissons, soupes, eau gélifiée) ; un verre ≈ 150 mL.",
        ),
        Item(
            "signes",
            "Signes de déshydratation",
            MULTICHOICE,
            required=False,
            choices=SIGNS,
            help="Cocher les signes observés ; aucun si rien n'est observé.",
        ),
    ),
    compute=_hydration,
    description="Objectif : celui fixé pour la personne par l'IDE ou le médecin, sinon 1,5 L de boissons "
    "par 24 h ; au prorata de la période.",
    source="PNNS / Santé publique France : 1 à 1,5 L d'eau par jour pour la personne âgée.",
    score_label="Apports (mL)",
)
