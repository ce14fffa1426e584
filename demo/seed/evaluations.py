"""Demo evaluations: for the first persons of the establishment, an AGGIR grid (its GIR goes into
the dossier's AGGIR section), monthly weighings, two weeks of constantes, stools and hydration,
and pain scores. Trends to see: the third person loses 6 % of her weight in the last month, the
second drinks 1,600 mL a day then 1,100 mL today (both raise a nutrition alert), the first has an
Algoplus of 3 today (its re-evaluation is scheduled in the worklist), and the fourth has a daily
hydration target of 1,300 mL set by the nurse. Idempotent: a person who already has evaluations
(or a target) is left as is.
"""

import datetime

from django.utils import timezone

from dui.actor import Actor
from dui.essms_kinds import GRID
from dui.models import Membership, Metier, Usager
from dui.selectors.catalogue_kinds import applies_in
from soins.grids.aggir import SUB_VARIABLES
from soins.models import Evaluation, HydrationTarget
from soins.services.evaluations import evaluation_record
from soins.services.nutrition import hydration_target_set, may_set_target

EVALUATORS = (Metier.IDE, Metier.CADRE_SANTE, Metier.MEDECIN_COORDONNATEUR)
PEOPLE = 6
DAYS = 14  # constantes, stools and hydration over two weeks
HYDRATION_DROP = 1  # index of the person whose intake drops from 1,600 to 1,100 mL today
TARGET = (3, 1300, "Insuffisance cardiaque : apports limités sur avis médical")
YES = {"S": True, "T": True, "C": True, "H": True}
PARTLY = {"S": False, "T": True, "C": True, "H": True}
NO = {"S": False, "T": False, "C": False, "H": False}
# Per person (cycled): sub-variables coded B and C; everything else A.
PROFILES = [
    ({"toilette_bas", "habillage_bas", "deplacement_exterieur"}, set()),
    (
        {"transferts", "deplacement_interieur"},
        {"toilette_bas", "habillage_bas", "habillage_moyen", "deplacement_exterieur"},
    ),
    (set(), {"orientation_temps", "orientation_espace", "coherence_communication", "coherence_comportement"}),
    (set(), {"deplacement_exterieur"}),
]


def _evaluator(users: dict, essms):
    for user in users.values():
        membership = Membership.objects.active().filter(user=user, essms=essms, metier__in=EVALUATORS).first()
        if membership is not None:
            return Actor.for_task(user, membership)
    return None


def _aggir_answers(index: int) -> dict:
    partly, none = PROFILES[index % len(PROFILES)]
    return {code: NO if code in none else PARTLY if code in partly else YES for code, *_ in SUB_VARIABLES}


def seed(essms, users: dict) -> int:
    evaluator = _evaluator(users, essms)
    if evaluator is None:
        return 0
    now = timezone.now()
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time()))
    created = 0
    people = Usager.objects.filter(essms=essms, archived_at__isnull=True).order_by("pk")[:PEOPLE]
    for index, usager in enumerate(people):
        if index == TARGET[0] and may_set_target(evaluator, usager):
            if not HydrationTarget.objects.filter(usager=usager).exists():
                hydration_target_set(evaluator, usager=usager, daily_ml=TARGET[1], comment=TARGET[2])
        if Evaluation.objects.filter(usager=usager).exists():
            continue
        start = max(now - datetime.timedelta(days=95), timezone.make_aware(datetime.datetime.combine(
            usager.birth_date, datetime.time(12))) + datetime.timedelta(days=1))  # fmt: skip
        rows = [("aggir", _aggir_answers(index), now - datetime.timedelta(days=30))]
        base_weight = 58 + 4 * (index % 4)
        for month in (3, 2, 1, 0):
            # The third person loses weight: 6 % over the last month.
            loss = (0.06 * base_weight if month == 0 else 0) if index % 4 == 2 else 0
            answers = {"poids": round(base_weight - loss - 0.3 * (3 - month), 1)}
            if month == 3:
                answers["taille"] = 158 + 3 * (index % 5)
            rows.append(("poids_imc", answers, now - datetime.timedelta(days=30 * month, hours=2)))
        for day in range(DAYS - 1, -1, -1):
            moment = now - datetime.timedelta(days=day, hours=3)
            if day == 0:  # today's rows stay today, even seeded just after midnight
                moment = max(moment, midnight + (now - midnight) / 2)
            fever = index % 4 == 1 and day == 1
            vitals = {
                "tas": 118 + (index * 7 + day * 3) % 30,
                "tad": 68 + (index + day) % 15,
                "pouls": 64 + (index * 3 + day) % 20,
                "temperature": 38.6 if fever else 36.6 + ((index + day) % 5) / 10,
                "spo2": 93 if fever else 96,
            }
            rows.append(("constantes", vitals, moment))
            rows.append(("selles", {"nombre": (index + day) % 3, **({"bristol": 3 + (index + day) % 3}
                         if (index + day) % 3 else {})}, moment))  # fmt: skip
            if index == HYDRATION_DROP:
                intake = 1100 if day == 0 else 1600
            else:
                intake = 1500 + 100 * ((index + day) % 4)
            rows.append(("hydratation", {"periode": "24h", "apports_ml": intake}, moment))
        rows.append(("en", {"intensite": 2 + index % 4}, now - datetime.timedelta(days=2)))
        if index % 3 == 0:
            rows.append((
                "algoplus",
                {"visage": True, "regard": True, "plaintes": False, "corps": True, "comportements": False},
                now - datetime.timedelta(minutes=20),
            ))  # fmt: skip
        for grid, answers, moment in rows:
            # Only the grids offered in this kind of establishment (AGGIR: elderly people).
            if moment <= start or not applies_in(essms, GRID, grid):
                continue
            evaluation_record(evaluator, usager=usager, grid=grid, answers=answers, evaluated_at=moment)
            created += 1
    return created
