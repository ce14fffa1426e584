"""Demo plan de soins: the default catalogue, a realistic schedule for the persons placed today
(toilette, repas, change de nuit, prévention d'escarres, pesée, fauteuil), a night restraint under
the person's active restraint prescription when there is one, and the occurrences of today and
tomorrow. Idempotent: an action already running for a person is not scheduled again.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from dui.actor import Actor
from dui.models import Membership, Metier, Placement
from soins.models import CareAction, CareCategory, CarePlanItem, PrescriptionKind, PrescriptionLine
from soins.services import care as care_services

PLANNERS = (Metier.CADRE_SANTE, Metier.IDE, Metier.MEDECIN_COORDONNATEUR)
# (label, poste, time "HH:MM" or None, weekdays, instructions, every n-th person)
SCHEDULE = [
    ("Toilette complète", "jour", None, "1234567", "Préférence : douche le matin, eau tiède.", 1),
    ("Aide au repas", "jour", "12:00", "1234567", "Texture mixée, installer au fauteuil.", 2),
    ("Hydratation (proposer à boire)", "jour", "15:30", "1234567", "", 1),
    ("Change", "nuit", None, "1234567", "Vérifier la protection vers 2 h.", 2),
    ("Prévention d'escarres (changement de position)", "nuit", "01:00", "1234567", "Alterner côté droit / gauche.", 3),
    ("Pesée", "jour", "10:00", "1", "Même balance, avant le petit-déjeuner.", 1),
    ("Entretien du fauteuil roulant", "jour", None, "5", "Pneus, freins, coussin.", 3),
    ("Prise des constantes", "jour", "08:30", "1234567", "TA, pouls, température.", 4),
]  # fmt: skip


def _acting(users: dict, essms):
    for user in users.values():
        membership = Membership.objects.active().filter(user=user, essms=essms, metier__in=PLANNERS).first()
        if membership is not None:
            return Actor.for_task(user, membership)
    return None


def _time(text):
    return datetime.time.fromisoformat(text) if text else None


def seed(essms, users: dict) -> int:
    planner = _acting(users, essms)
    if planner is None:
        return 0
    created = care_services.catalogue_ensure_default(essms)
    actions = {action.label: action for action in CareAction.objects.filter(essms=essms)}
    today = timezone.localdate()
    placed = (
        Placement.objects.filter(essms=essms, starts_on__lte=today, usager__archived_at__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("usager")
        .order_by("usager_id")
    )
    people = list({p.usager_id: p.usager for p in placed}.values())[:12]
    for index, usager in enumerate(people):
        running = set(
            CarePlanItem.objects.filter(usager=usager, ended_at__isnull=True)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values_list("action__label", flat=True)
        )
        for label, poste, time, weekdays, instructions, every in SCHEDULE:
            if index % every or label in running or label not in actions:
                continue
            care_services.plan_item_create(
                planner,
                usager=usager,
                action=actions[label],
                poste=poste,
                time=_time(time),
                weekdays=weekdays,
                starts_on=today - datetime.timedelta(days=7),
                instructions=instructions,
            )
            created += 1
        restraint = (
            PrescriptionLine.objects.filter(
                usager=usager,
                kind=PrescriptionKind.CONTENTION,
                validated_at__isnull=False,
                stopped_at__isnull=True,
                starts_on__lte=today,
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .first()
        )
        bed_rails = next(
            (a for a in actions.values() if a.category == CareCategory.CONTENTION and "lit" in a.label.lower()), None
        )
        if restraint is not None and bed_rails is not None and bed_rails.label not in running:
            care_services.plan_item_create(
                planner,
                usager=usager,
                action=bed_rails,
                poste="nuit",
                time=datetime.time(21, 30),
                starts_on=max(today, restraint.starts_on),
                ends_on=restraint.ends_on,
                instructions="Vérifier le confort et la peau à chaque passage.",
                prescription=restraint,
            )
            created += 1
    created += care_services.occurrences_generate(essms, today, today + datetime.timedelta(days=1))
    return created
