"""Stools: number over the day and consistency on the Bristol stool scale (Lewis & Heaton, 1997).

Types 1–2: constipation; 3–5: usual; 6–7: diarrhoea. Three watery stools or more call for a
nursing check (hydration) within two hours.
"""

import datetime
from decimal import Decimal

from soins.grids.engine import INTEGER, Context, FollowUp, Grid, Item, Outcome

BRISTOL = (
    (1, "Type 1 — petites billes dures, séparées"),
    (2, "Type 2 — en forme de saucisse, grumeleuse"),
    (3, "Type 3 — saucisse craquelée en surface"),
    (4, "Type 4 — saucisse lisse et molle"),
    (5, "Type 5 — morceaux mous à bords nets"),
    (6, "Type 6 — morceaux floconneux, selle pâteuse"),
    (7, "Type 7 — entièrement liquide"),
)


def _check(answers: dict) -> dict:
    if answers["nombre"] == 0 and "bristol" in answers:
        return {"bristol": "Pas de type de Bristol sans selle."}
    if answers["nombre"] > 0 and "bristol" not in answers:
        return {"bristol": "Type de Bristol (1 à 7) : réponse obligatoire quand il y a eu une selle."}
    return {}


def _stools(answers: dict, context: Context) -> Outcome:
    count = answers["nombre"]
    if count == 0:
        return Outcome(Decimal(0), {"aspect": "absence"}, "Pas de selle.")
    kind = answers["bristol"]
    aspect = "constipation" if kind <= 2 else "diarrhée" if kind >= 6 else "normale"
    text = f"{count} selle{'s' if count > 1 else ''}, Bristol type {kind} ({aspect})."
    follow_ups = []
    if kind == 7 and count >= 3:
        text += " Diarrhée : surveiller l'hydratation, avis infirmier dans les 2 heures."
        follow_ups.append(FollowUp("Diarrhée : surveillance de l'hydratation", datetime.timedelta(hours=2), "ide"))
    return Outcome(Decimal(count), {"aspect": aspect, "bristol": kind}, text, follow_ups)


STOOLS = Grid(
    code="selles",
    label="Selles (échelle de Bristol)",
    document_class_code="constantes",
    items=(
        Item(
            "nombre",
            "Nombre de selles",
            INTEGER,
            minimum=0,
            maximum=15,
            help="Sur la période de surveillance (poste ou journée) ; 0 si aucune.",
        ),
        Item(
            "bristol",
            "Consistance (échelle de Bristol)",
            INTEGER,
            required=False,
            minimum=1,
            maximum=7,
            scale=BRISTOL,
            help="Type de la selle la plus caractéristique ; sans objet s'il n'y a pas eu de selle.",
        ),
    ),
    compute=_stools,
    check=_check,
    description="Échelle de Bristol : types 1–2 constipation, 3–5 habituels, 6–7 diarrhée.",
    source="Bristol stool scale (Lewis SJ, Heaton KW, Scand J Gastroenterol 1997).",
    score_label="Nombre de selles",
)
