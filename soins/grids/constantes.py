"""Constantes: blood pressure, pulse, temperature, SpO2, capillary glycaemia.

Each measure is optional but at least one is needed. Values outside the plausible physiological
range are refused (a typing error, not a patient); values outside the usual adult range are
flagged, and those of the alert column call for a re-check within the hour.
"""

import datetime

from soins.grids.engine import DECIMAL, GRID_LEVEL, INTEGER, Context, FollowUp, Grid, Item, Outcome

# code: (label, unit, usual low, usual high, alert below, alert above)
RANGES = {
    "tas": ("Tension systolique", "mmHg", 90, 140, 90, 180),
    "tad": ("Tension diastolique", "mmHg", 50, 90, 40, 110),
    "pouls": ("Pouls", "bpm", 50, 100, 45, 120),
    "temperature": ("Température", "°C", 36.0, 37.8, 35.5, 38.5),
    "spo2": ("SpO2", "%", 94, 100, 90, 101),
    "glycemie": ("Glycémie capillaire", "g/L", 0.70, 1.80, 0.70, 3.00),
}


def _items():
    return (
        Item("tas", "Tension artérielle systolique", INTEGER, required=False, unit="mmHg", minimum=40, maximum=300,
             help="Au repos depuis 5 minutes, assis ou allongé ; renseigner aussi la diastolique.",
             group="Tension artérielle"),
        Item("tad", "Tension artérielle diastolique", INTEGER, required=False, unit="mmHg", minimum=20, maximum=200,
             group="Tension artérielle"),
        Item("pouls", "Pouls", INTEGER, required=False, unit="bpm", minimum=20, maximum=250,
             help="Battements par minute, compter 30 secondes au moins.", group="Pouls et saturation"),
        Item("spo2", "Saturation en oxygène (SpO2)", INTEGER, required=False, unit="%", minimum=50, maximum=100,
             help="Oxymètre au doigt, main réchauffée, sans vernis.", group="Pouls et saturation"),
        Item("temperature", "Température", DECIMAL, required=False, unit="°C", minimum=30, maximum=44, decimals=1,
             help="Préciser la voie dans le commentaire si elle n'est pas habituelle.", group="Température"),
        Item("glycemie", "Glycémie capillaire", DECIMAL, required=False, unit="g/L", minimum=0.1, maximum=6,
             decimals=2, help="En g/L (1 g/L = 5,5 mmol/L). Noter à jeun ou après repas dans le commentaire.",
             group="Glycémie"),
    )  # fmt: skip


def _check(answers: dict) -> dict:
    if not answers:
        return {GRID_LEVEL: "Renseignez au moins une constante."}
    if ("tas" in answers) != ("tad" in answers):
        return {"tad" if "tas" in answers else "tas": "Renseignez la systolique et la diastolique ensemble."}
    if "tas" in answers and answers["tas"] <= answers["tad"]:
        return {"tas": "La systolique doit être supérieure à la diastolique."}
    return {}


def _constantes(answers: dict, context: Context) -> Outcome:
    flags, alerts, phrases = {}, [], []
    for code, (label, unit, low, high, alert_low, alert_high) in RANGES.items():
        if code not in answers:
            continue
        value = answers[code]
        phrases.append(f"{label} {value:g} {unit}".replace(".", ","))
        if value < low:
            flags[code] = "bas"
        elif value > high:
            flags[code] = "haut"
        if value < alert_low or value >= alert_high:
            alerts.append(label)
    text = " ; ".join(phrases) + "."
    if flags:
        text += " Valeurs hors normes : " + ", ".join(f"{RANGES[code][0]} ({way})" for code, way in flags.items()) + "."
    follow_ups = []
    if alerts:
        text += " Alerte : recontrôle dans l'heure et avis infirmier/médical."
        follow_ups.append(
            FollowUp(f"Recontrôle des constantes ({', '.join(alerts)})", datetime.timedelta(hours=1), "ide")
        )
    results = {"valeurs": dict(answers), "hors_normes": flags, "alertes": alerts}
    return Outcome(None, results, text[:300], follow_ups)


CONSTANTES = Grid(
    code="constantes",
    label="Constantes (tension, pouls, température, SpO2, glycémie)",
    document_class_code="constantes",
    items=_items(),
    compute=_constantes,
    check=_check,
    description="Chaque constante est facultative ; au moins une est nécessaire.",
    source="Normes usuelles de l'adulte ; seuils d'alerte : TAS < 90 ou ≥ 180, TAD < 40 ou ≥ 110, pouls < 45 ou ≥ 120, "
    "T° < 35,5 ou ≥ 38,5, SpO2 < 90 %, glycémie < 0,70 ou ≥ 3 g/L.",
    score_label="",
)
