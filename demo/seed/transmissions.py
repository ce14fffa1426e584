"""Demo ward life: a week of transmissions ciblées (DAR and notes, several authors and métiers,
day and night), a fall in the EHPAD and a seizure in the IME. Idempotent: a note is looked up by
person, author and text first; an event by person and kind."""

import datetime

from django.utils import timezone

from dui.catalogue import WRITE
from dui.models import EssmsKind, Membership, Usager
from dui.permissions import can
from transmissions.models import Cible, Event, EventKind, EventSeverity, Transmission, Visibility
from transmissions.services import events as event_services
from transmissions.services import transmissions as services
from transmissions.visibility import may_use_level

# (author, days ago, hour, cible, données, actions, résultats, note, visibility); person: in turn
EHPAD_NOTES = [
    (
        "aide_soignant",
        7,
        7,
        "Toilette",
        "Refuse la douche ce matin, dit avoir froid.",
        "Toilette au lavabo proposée, chambre chauffée avant.",
        "Accepte la toilette au lavabo, détendue ensuite.",
        "",
        Visibility.ALL_STAFF,
    ),
    (
        "ide",
        7,
        22,
        "Sommeil",
        "Se relève plusieurs fois, désorientée dans le couloir.",
        "Raccompagnée en chambre, veilleuse allumée, boisson chaude.",
        "Endormie vers 23 h 30.",
        "",
        Visibility.CARE_STAFF,
    ),
    (
        "ide",
        6,
        3,
        "Douleur",
        "Se plaint de la hanche droite, EN à 6/10.",
        "Paracétamol 1 g selon la prescription si besoin, installation sur le côté gauche.",
        "EN à 2/10 une heure après.",
        "",
        Visibility.CARE_STAFF,
    ),
    (
        "aide_soignant",
        6,
        15,
        "Activité",
        "",
        "",
        "",
        "A participé à l'atelier chant avec plaisir, a fredonné les refrains. À reproposer mardi.",
        Visibility.ALL_STAFF,
    ),
    (
        "aide_soignant",
        5,
        12,
        "Alimentation",
        "A mangé la moitié du plat principal, refuse la viande.",
        "Proposé une omelette et un laitage enrichi.",
        "Omelette mangée en totalité.",
        "",
        Visibility.ALL_STAFF,
    ),
    (
        "cadre_sante",
        5,
        16,
        "Relations familiales",
        "",
        "",
        "",
        "Appel de la fille : s'inquiète de la perte de poids de sa mère. Rendez-vous proposé jeudi avec le médecin "
        "coordonnateur.",
        Visibility.ALL_STAFF,
    ),
    (
        "ide",
        4,
        2,
        "Troubles respiratoires",
        "Encombrement bronchique, SpO2 à 93 % en air ambiant.",
        "Position demi-assise, hydratation, appel du médecin de garde.",
        "SpO2 à 96 % à 4 h ; à revoir au matin.",
        "",
        Visibility.CARE_STAFF,
    ),
    (
        "medecin",
        4,
        10,
        "Troubles respiratoires",
        "Auscultation : quelques crépitants à la base droite.",
        "Radiographie de thorax demandée, kinésithérapie respiratoire.",
        "",
        "",
        Visibility.MEDICAL,
    ),
    (
        "aide_soignant",
        3,
        8,
        "Élimination",
        "Pas de selles depuis trois jours.",
        "Hydratation renforcée, pruneaux au petit-déjeuner, IDE prévenue.",
        "Selles normales le soir.",
        "",
        Visibility.CARE_STAFF,
    ),
    (
        "psychologue",
        3,
        14,
        "Humeur",
        "",
        "",
        "",
        "Entretien : exprime de la tristesse depuis le décès de sa sœur. Propose un suivi hebdomadaire.",
        Visibility.CARE_STAFF,
    ),
    (
        "ide",
        2,
        23,
        "Agitation",
        "Agitée au coucher, cherche son mari.",
        "Présence rassurante, écoute, musique douce.",
        "Apaisée après 20 minutes, s'endort.",
        "",
        Visibility.CARE_STAFF,
    ),
    (
        "aide_soignant",
        2,
        5,
        "Plaie / escarre",
        "Rougeur persistante au talon gauche.",
        "Décharge du talon, matelas à air vérifié, IDE prévenue.",
        "",
        "",
        Visibility.CARE_STAFF,
    ),
    (
        "ide",
        1,
        9,
        "Plaie / escarre",
        "Talon gauche : rougeur qui ne blanchit pas à la pression (stade 1).",
        "Protocole escarre, changement de position toutes les 3 h, photo au dossier.",
        "",
        "",
        Visibility.CARE_STAFF,
    ),
    (
        "cadre_sante",
        1,
        16,
        "Visite",
        "",
        "",
        "",
        "Visite de son petit-fils, ils ont regardé des photos ensemble. Très souriant ensuite.",
        Visibility.ALL_STAFF,
    ),
    ("ide", 0, 1, "Sommeil", "", "", "", "Nuit calme, deux rondes sans réveil.", Visibility.ALL_STAFF),
]

IME_NOTES = [
    ("educateur", 7, 17, "Comportement en groupe", "Conflit avec un camarade pendant le goûter.",
     "Temps calme en salle sensorielle, reprise de l'échange à froid.", "S'est excusé spontanément.", "",
     Visibility.ALL_STAFF),
    ("educateur", 6, 10, "Scolarité", "", "", "",
     "Lecture : reconnaît maintenant 15 mots outils. Très concentré ce matin.", Visibility.ALL_STAFF),
    ("ide", 6, 21, "Traitement", "Oubli de la prise du soir signalé par l'internat.",
     "Traitement donné à 21 h après avis du médecin.", "Pas d'effet indésirable.", "", Visibility.CARE_STAFF),
    ("educateur", 5, 14, "Apprentissages et autonomie", "", "", "",
     "Atelier horticulture : a rempoté seul trois plants, fier de le montrer.", Visibility.ALL_STAFF),
    ("educateur", 4, 7, "Sommeil", "Réveil à 4 h, angoissé.",
     "Réassurance par le veilleur, retour au lit avec son doudou.", "S'est rendormi jusqu'à 6 h 45.", "",
     Visibility.ALL_STAFF),
    ("psychologue", 3, 11, "Anxiété", "", "", "",
     "Séance : verbalise sa crainte du retour en famille ce week-end. Lien avec les parents prévu.",
     Visibility.CARE_STAFF),
    ("ide", 2, 9, "Fièvre", "Température à 38,4 °C au réveil.",
     "Paracétamol, hydratation, famille prévenue, reste à l'internat.", "37,5 °C à midi.", "", Visibility.CARE_STAFF),
    ("psychologue", 1, 15, "Scolarité", "", "", "",
     "Calcul : additions jusqu'à 20 avec le matériel. Fatigable en fin de journée.", Visibility.ALL_STAFF),
    ("educateur", 0, 8, "Relations familiales", "", "", "",
     "Retour de week-end : la maman signale une bonne nuit et un appétit normal.", Visibility.ALL_STAFF),
]  # fmt: skip


def _acting(users: dict, essms, username: str):
    user = users.get(username)
    membership = Membership.objects.active().filter(user=user, essms=essms).first() if user else None
    if membership is None:
        return None
    user.membership = membership
    return user


def _moment(days_ago: int, hour: int) -> datetime.datetime:
    now = timezone.localtime()
    day = now.date() - datetime.timedelta(days=days_ago)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 10)))
    return moment if moment < now else moment - datetime.timedelta(days=1)


def seed(essms, users: dict) -> int:
    prefix = "ehpad" if essms.kind == EssmsKind.EHPAD else "ime"
    people = list(Usager.objects.filter(essms=essms, archived_at__isnull=True).order_by("pk")[:5])
    if not people:
        return 0
    notes = EHPAD_NOTES if essms.kind == EssmsKind.EHPAD else IME_NOTES
    created = 0
    cibles = {cible.label: cible for cible in Cible.objects.filter(og_id=essms.og_id, is_active=True)}
    for position, (
        author_name,
        days_ago,
        hour,
        cible_label,
        donnees,
        actions,
        resultats,
        note,
        visibility,
    ) in enumerate(notes):
        author = _acting(users, essms, f"{prefix}.{author_name}")
        usager = people[position % len(people)]
        text = {"narrative": note} if note else {"donnees": donnees}
        if author is None or not can(author, WRITE, Transmission.document_class_code):
            continue
        if Transmission.objects.filter(usager=usager, author=author, **text).exists():
            continue
        if not may_use_level(author, visibility):
            visibility = Visibility.ALL_STAFF
        cible = cibles.get(cible_label)
        services.transmission_create(
            author,
            usager=usager,
            cible=cible,
            free_cible="" if cible else cible_label,
            donnees=donnees,
            actions=actions,
            resultats=resultats,
            narrative=note,
            observed_at=_moment(days_ago, hour),
            visibility=visibility,
        )
        created += 1
    return created + _event(essms, users, prefix, people)


def _event(essms, users, prefix: str, people: list[Usager]) -> int:
    if essms.kind == EssmsKind.EHPAD:
        usager = people[1 % len(people)]
        author = _acting(users, essms, "ehpad.aide_soignant")
        if author is None or Event.objects.filter(usager=usager, kind=EventKind.CHUTE).exists():
            return 0
        event_services.event_record_fall(
            author,
            usager=usager,
            occurred_at=_moment(5, 6),
            place="Salle de bain de la chambre",
            circumstances="Retrouvée assise au sol en voulant se lever seule pour aller aux toilettes.",
            consequences="Pas de plaie, douleur à la hanche droite ; médecin prévenu, radiographie demandée.",
            severity=EventSeverity.MOYENNE,
        )
        return 1
    usager = people[1 % len(people)]
    author = _acting(users, essms, "ime.educateur")
    if author is None or Event.objects.filter(usager=usager, kind=EventKind.EPILEPSIE).exists():
        return 0
    event_services.event_record_epilepsy(
        author,
        usager=usager,
        started_at=_moment(3, 16),
        duration_seconds=150,
        seizure_type="Crise tonico-clonique",
        circumstances="Pendant l'atelier, après une matinée très fatigante.",
        treatment_given="Aucun (crise de moins de 5 minutes), mise en position latérale de sécurité.",
    )
    return 1
