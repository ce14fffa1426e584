"""Weight and BMI, with the dénutrition thresholds of the HAS.

Thresholds (phenotypic criteria only; a diagnosis also needs an etiological criterion):
- 70 years and over — HAS / FFN, « Diagnostic de la dénutrition chez la personne de 70 ans et
  plus », novembre 2021: BMI < 22 kg/m², or weight loss ≥ 5 % in 1 month or ≥ 10 % in 6 months.
  Severe: BMI < 20 kg/m², or loss ≥ 10 % in 1 month or ≥ 15 % in 6 months.
- under 70 — HAS, « Diagnostic de la dénutrition de l'enfant et de l'adulte », novembre 2019:
  BMI ≤ 18.5 kg/m², or loss ≥ 5 % in 1 month or ≥ 10 % in 6 months. Severe: BMI ≤ 17 kg/m²,
  loss ≥ 10 % in 1 month or ≥ 15 % in 6 months.
Height is measured once in a while: when not given, the last height recorded with this grid is used.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from soins.grids.engine import DECIMAL, Context, FollowUp, Grid, Item, Outcome

ONE_MONTH = datetime.timedelta(days=31)
SIX_MONTHS = datetime.timedelta(days=183)
ELDERLY_AGE = 70


def _bmi(weight: float, height_cm: float) -> Decimal:
    metres = Decimal(str(height_cm)) / 100
    return (Decimal(str(weight)) / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _loss_percent(current: float, previous: list[tuple[datetime.datetime, float]], since: datetime.datetime):
    """Loss from the highest weight recorded since `since` (None without such a weight)."""
    weights = [weight for moment, weight in previous if moment >= since]
    if not weights:
        return None
    reference = max(weights)
    return ((Decimal(str(reference)) - Decimal(str(current))) / Decimal(str(reference)) * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _weight(answers: dict, context: Context) -> Outcome:
    weight = answers["poids"]
    height = answers.get("taille")
    previous_weights = []
    for moment, earlier in context.previous:
        if isinstance(earlier.get("poids"), int | float):
            previous_weights.append((moment, earlier["poids"]))
        if height is None and isinstance(earlier.get("taille"), int | float):
            height = earlier["taille"]
    results: dict = {"poids_kg": weight}
    phrases = [f"Poids {weight:g} kg".replace(".", ",")]
    severe = moderate = False
    elderly = context.age_years is not None and context.age_years >= ELDERLY_AGE
    bmi = None
    if height is not None:
        bmi = _bmi(weight, height)
        results |= {"taille_cm": height, "imc": float(bmi)}
        phrases.append(f"IMC {bmi} kg/m²".replace(".", ","))
        if elderly:
            severe, moderate = bmi < 20, bmi < 22
        else:
            severe, moderate = bmi <= Decimal("17"), bmi <= Decimal("18.5")
    else:
        phrases.append("IMC non calculé (taille inconnue)")
    loss_1m = _loss_percent(weight, previous_weights, context.evaluated_at - ONE_MONTH)
    loss_6m = _loss_percent(weight, previous_weights, context.evaluated_at - SIX_MONTHS)
    if loss_1m is not None and loss_1m > 0:
        results["perte_1_mois_pct"] = float(loss_1m)
        phrases.append(f"perte de {loss_1m} % en 1 mois".replace(".", ","))
        severe, moderate = severe or loss_1m >= 10, moderate or loss_1m >= 5
    if loss_6m is not None and loss_6m > 0:
        results["perte_6_mois_pct"] = float(loss_6m)
        if loss_6m != loss_1m:
            phrases.append(f"perte de {loss_6m} % en 6 mois".replace(".", ","))
        severe, moderate = severe or loss_6m >= 15, moderate or loss_6m >= 10
    reference = "HAS 2021, 70 ans et plus" if elderly else "HAS 2019, adulte"
    follow_ups = []
    if severe:
        results["denutrition"] = "severe"
        phrases.append(f"critère de dénutrition sévère ({reference}) : avis médical à demander")
    elif moderate:
        results["denutrition"] = "moderee"
        phrases.append(f"critère phénotypique de dénutrition ({reference}) : à confirmer par le médecin")
    else:
        results["denutrition"] = "non"
    if severe or moderate:
        follow_ups.append(
            FollowUp("Signaler au médecin : critère de dénutrition (poids / IMC)", datetime.timedelta(hours=24), "ide")
        )
    return Outcome(bmi, results, " ; ".join(phrases) + ".", follow_ups)


WEIGHT = Grid(
    code="poids_imc",
    label="Poids et IMC",
    document_class_code="constantes",
    items=(
        Item(
            "poids",
            "Poids",
            DECIMAL,
            help="Pesée le matin, à jeun si possible, avec la même balance et une tenue légère.",
            unit="kg",
            minimum=20,
            maximum=300,
            decimals=1,
            out_of_range="Valeur hors limites, invraisemblable : vérifiez la pesée et l'unité",
        ),
        Item(
            "taille",
            "Taille",
            DECIMAL,
            required=False,
            help="Facultative si elle a déjà été mesurée : la dernière taille enregistrée est reprise. "
            "Personne alitée : estimation par la hauteur talon-genou.",
            unit="cm",
            minimum=100,
            maximum=230,
            decimals=0,
        ),
    ),
    compute=_weight,
    description="IMC = poids (kg) / taille (m)². La perte de poids est calculée sur les pesées enregistrées.",
    source="HAS/FFN 2021 (70 ans et plus : IMC < 22, sévère < 20) ; HAS 2019 (adulte : IMC ≤ 18,5, sévère ≤ 17) ; "
    "perte ≥ 5 % en 1 mois ou ≥ 10 % en 6 mois (sévère ≥ 10 % / ≥ 15 %).",
    score_label="IMC (kg/m²)",
)
