"""Pain: Algoplus (acute pain of older people who cannot self-report) and the numeric scale EN 0–10.

Algoplus: five items observed, one point each; a score ≥ 2 makes pain likely and calls for
treatment and re-evaluation (Rat P. et al., Eur J Pain 2011; Collectif Doloplus). EN: the person
rates the pain from 0 (no pain) to 10 (worst imaginable); ≥ 4 is commonly the treatment threshold
(HAS, évaluation de la douleur de l'adulte).
"""

import datetime
from decimal import Decimal

from soins.grids.engine import BOOLEAN, INTEGER, Context, FollowUp, Grid, Item, Outcome

PAIN_CLASS = "evaluation_douleur"
WITHIN_THE_HOUR = datetime.timedelta(hours=1)

ALGOPLUS_ITEMS = (
    Item(
        "visage",
        "1. Visage",
        BOOLEAN,
        help="Froncement des sourcils, grimaces, crispation, mâchoires serrées, visage figé.",
    ),
    Item("regard", "2. Regard", BOOLEAN, help="Regard inattentif, fixe, lointain ou suppliant, pleurs, yeux fermés."),
    Item("plaintes", "3. Plaintes", BOOLEAN, help="« Aïe », « Ouille », « J'ai mal », gémissements, cris."),
    Item(
        "corps",
        "4. Corps",
        BOOLEAN,
        help="Retrait ou protection d'une zone, refus de mobilisation, attitudes figées.",
    ),
    Item(
        "comportements",
        "5. Comportements",
        BOOLEAN,
        help="Agitation ou agressivité, agrippement.",
    ),
)


def _algoplus(answers: dict, context: Context) -> Outcome:
    score = sum(1 for item in ALGOPLUS_ITEMS if answers[item.code])
    if score >= 2:
        return Outcome(
            Decimal(score),
            {"douleur_probable": True},
            f"Algoplus {score}/5 : douleur probable. Traitement antalgique à envisager, réévaluation dans l'heure.",
            [FollowUp("Réévaluation de la douleur (Algoplus)", WITHIN_THE_HOUR, "ide")],
        )
    return Outcome(Decimal(score), {"douleur_probable": False}, f"Algoplus {score}/5 : douleur peu probable.")


ALGOPLUS = Grid(
    code="algoplus",
    label="Algoplus (douleur aiguë, personne âgée non communicante)",
    document_class_code=PAIN_CLASS,
    items=ALGOPLUS_ITEMS,
    compute=_algoplus,
    description="Observer la personne (au repos et lors des soins) ; cocher « oui » pour chaque domaine où un "
    "comportement est présent. Un seul signe suffit pour le domaine.",
    source="Échelle Algoplus (Rat et al., 2011 ; Collectif Doloplus). Seuil de douleur probable : score ≥ 2.",
    score_label="Score Algoplus (0 à 5)",
    live={
        "method": "count_true",
        "max": 5,
        "bands": [
            [0, "douleur peu probable", "ok"],
            [2, "douleur probable : traitement antalgique à envisager, réévaluation dans l'heure", "alert"],
        ],
    },
)

EN_SCALE = (
    (0, "0 — pas de douleur"),
    *((n, str(n)) for n in range(1, 10)),
    (10, "10 — douleur maximale imaginable"),
)


def _en(answers: dict, context: Context) -> Outcome:
    value = answers["intensite"]
    if value == 0:
        band = "pas de douleur"
    elif value <= 3:
        band = "douleur faible"
    elif value <= 6:
        band = "douleur modérée"
    else:
        band = "douleur intense"
    if value >= 4:
        return Outcome(
            Decimal(value),
            {"niveau": band, "seuil_traitement": True},
            f"EN {value}/10 : {band}. Traitement antalgique à envisager, réévaluation dans l'heure.",
            [FollowUp("Réévaluation de la douleur (EN)", WITHIN_THE_HOUR, "ide")],
        )
    return Outcome(Decimal(value), {"niveau": band, "seuil_traitement": False}, f"EN {value}/10 : {band}.")


EN = Grid(
    code="en",
    label="Échelle numérique de la douleur (EN 0–10)",
    document_class_code=PAIN_CLASS,
    items=(
        Item(
            "intensite",
            "Intensité de la douleur",
            INTEGER,
            help="« Sur une échelle de 0 à 10, 0 étant pas de douleur et 10 la douleur maximale imaginable, "
            "quelle note donnez-vous à votre douleur en ce moment ? »",
            minimum=0,
            maximum=10,
            scale=EN_SCALE,
            ruler=True,
        ),
    ),
    compute=_en,
    description="Auto-évaluation : la personne donne elle-même la note.",
    source="Échelle numérique (EN) ; seuil de traitement usuel : EN ≥ 4 (HAS, douleur de l'adulte).",
    score_label="EN (0 à 10)",
    live={
        "method": "value",
        "item": "intensite",
        "max": 10,
        "bands": [
            [0, "pas de douleur", "ok"],
            [1, "douleur faible", "ok"],
            [4, "douleur modérée : traitement antalgique à envisager", "alert"],
            [7, "douleur intense : traitement antalgique à envisager", "alert"],
        ],
    },
)
