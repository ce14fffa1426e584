"""Scale data: an organisation at the size of a real one, reproducible, written with bulk inserts.

`generate()` builds organismes gestionnaires, ESSMS, units, professionals and, per ESSMS, the
people accompanied now and those who left over the years, with their séjours (pré-admission,
admission, dated placements, absences, sortie, re-admissions), entourage, medical basics,
appointments and documents. Every random choice comes from one `random.Random(seed)`: the same
seed gives the same organisation. Rows are built in memory one ESSMS at a time and written with
`bulk_create`, table by table; the access log is left empty (reads are logged by the screens).

Used by the `generate_scale_data` command and by the benchmarks (bench/).
"""

import datetime
import hashlib
import math
import random
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from dui.finess import luhn_is_valid
from dui.ins import IdentityProof, IdentityStatus, matricule_key, matricule_oid, search_key
from dui.models import (
    Absence,
    AbsenceKind,
    AggirEvaluation,
    Allergy,
    Antecedent,
    Appointment,
    Contact,
    ContactRole,
    CretonDecision,
    Document,
    DocumentClass,
    DocumentVersion,
    Essms,
    EssmsKind,
    ExitReason,
    LifeNote,
    LifeNoteKind,
    Membership,
    Metier,
    Modality,
    OrganismeGestionnaire,
    Placement,
    ProtectionMeasure,
    Referent,
    ReferentRole,
    Sejour,
    SejourStatus,
    Transport,
    Treatment,
    Unit,
    Usager,
    User,
)
from dui.services import habilitations_fill_defaults, sync_document_classes

# Published on purpose (README, command output): every generated account shares it.
SCALE_PASSWORD = "Volume-DUI-2026!"  # noqa: S105
DEFAULT_BATCH_SIZE = 2000
# PostgreSQL accepts at most 65 535 parameters per statement.
MAX_PARAMETERS = 60_000

# --- French names -------------------------------------------------------------------------------

SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
    "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
    "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Roger", "Roche", "Meyer", "Meunier", "Marchand",
    "Dufour", "Blanchard", "Brun", "Barbier", "Arnaud", "Giraud", "Brunet", "Schmitt", "Colin", "Renard",
    "Aubert", "Rolland", "Ménard", "Hébert", "Gérard", "Bénard", "Lemaître", "Brémond", "Dupré", "Rémy",
    "Thévenin", "Sénéchal", "Béranger", "Chrétien", "Noël", "Lévêque", "Pétillon", "Delépine", "Besançon",
    "Lefébure", "Crémieux", "Désiré", "Vallée", "Frémont", "Héraud", "Gaillard", "Fabre", "Chauvet", "Vidal",
    "Bouchet", "Chabrol", "Pélissier", "Da Silva", "Nguyen", "Benali", "Diallo", "Haddad", "Le Gall",
    "Le Goff", "Saint-Martin", "Pons", "Cordier", "Bailly", "Collet", "Tessier", "Charpentier", "Carré",
    "Aubry", "Leclerc", "Léger", "Perrot", "Besson", "Marty", "Jacquet", "Gilles", "Royer", "Humbert",
    "D'Almeida", "Lacroix", "Caron", "Bouvier", "Maréchal", "Cousin", "Boulanger", "Verdier", "Étienne",
)  # fmt: skip

FIRST_NAMES = {
    ("elderly", "F"): (
        "Jeanne", "Marie", "Germaine", "Yvonne", "Suzanne", "Simone", "Hélène", "Madeleine", "Marcelle",
        "Odette", "Paulette", "Denise", "Geneviève", "Renée", "Lucienne", "Thérèse", "Andrée", "Josette",
        "Colette", "Éliane", "Gisèle", "Jacqueline", "Monique", "Ginette", "Raymonde", "Françoise", "Mireille",
        "Léone", "Agnès", "Bernadette", "Henriette", "Solange", "Huguette", "Édith", "Léonie", "Augustine",
    ),
    ("elderly", "M"): (
        "Jean", "Marcel", "René", "André", "Louis", "Pierre", "Henri", "Roger", "Robert", "Georges",
        "Maurice", "Lucien", "Raymond", "Fernand", "Joseph", "Paul", "Émile", "Gérard", "Jacques", "Michel",
        "Bernard", "Claude", "Marius", "Gaston", "Léon", "Albert", "Félix", "Régis", "François", "Noël",
        "Étienne", "Désiré", "Honoré", "Aimé", "Jérôme", "Gilbert",
    ),
    ("adult", "F"): (
        "Nathalie", "Isabelle", "Sandrine", "Céline", "Sophie", "Émilie", "Aurélie", "Julie", "Stéphanie",
        "Laetitia", "Hélène", "Élodie", "Mélanie", "Audrey", "Karine", "Valérie", "Anaïs", "Chloé", "Pauline",
        "Océane", "Maëva", "Noémie", "Clémence", "Inès", "Gaëlle", "Séverine", "Delphine", "Agnès", "Bérénice",
    ),
    ("adult", "M"): (
        "Stéphane", "Nicolas", "Sébastien", "Frédéric", "Jérôme", "Christophe", "Thierry", "Laurent", "Cédric",
        "Julien", "Mathieu", "Grégory", "Loïc", "Kévin", "Anthony", "Jérémy", "Rémi", "Benoît", "Mickaël",
        "Hervé", "Théo", "Maxime", "Raphaël", "Joël", "Gaël", "Aurélien", "Noël", "Yannick", "François",
    ),
    ("child", "F"): (
        "Emma", "Jade", "Louise", "Alice", "Chloé", "Léa", "Manon", "Inès", "Lina", "Zoé", "Éloïse", "Léonie",
        "Anaïs", "Maëlle", "Juliette", "Camille", "Lucie", "Romane", "Ambre", "Clémence", "Héloïse", "Noémie",
        "Rose", "Anna", "Léna", "Mélina", "Maïa", "Aïssata", "Célia", "Énora",
    ),
    ("child", "M"): (
        "Lucas", "Hugo", "Gabriel", "Louis", "Raphaël", "Arthur", "Jules", "Nathan", "Léo", "Théo", "Éthan",
        "Noé", "Timothée", "Mathéo", "Enzo", "Adam", "Maël", "Sacha", "Gaël", "Loïc", "Baptiste", "Rémi",
        "Nolan", "Tom", "Évan", "Côme", "Anaël", "Noah", "Mathis", "Élie",
    ),
}  # fmt: skip

# Birthplaces (code officiel géographique): mostly the region, some elsewhere, some abroad.
BIRTH_PLACES = (
    ("63113", 14), ("63300", 4), ("63430", 3), ("03185", 3), ("15014", 2), ("43157", 2), ("69123", 4),
    ("75056", 5), ("13055", 2), ("31555", 1), ("33063", 1), ("59350", 1), ("44109", 1), ("67482", 1),
    ("35238", 1), ("42218", 2), ("2A004", 1), ("2B033", 1), ("99350", 2), ("99352", 2), ("99139", 2),
    ("99127", 1), ("99109", 1),
)  # fmt: skip
CITIES = (
    ("63000", "Clermont-Ferrand"), ("63200", "Riom"), ("63300", "Thiers"), ("63500", "Issoire"),
    ("63100", "Clermont-Ferrand"), ("63800", "Cournon-d'Auvergne"), ("63110", "Beaumont"),
    ("63400", "Chamalières"), ("63170", "Aubière"), ("03200", "Vichy"), ("63460", "Combronde"),
)  # fmt: skip
STREETS = (
    "rue Pasteur", "avenue de la République", "rue Victor-Hugo", "place de l'Église", "rue des Écoles",
    "chemin des Vignes", "rue du Général-de-Gaulle", "allée des Châtaigniers", "rue Jean-Jaurès",
    "boulevard Lafayette", "impasse des Mûriers", "rue de la Fontaine",
)  # fmt: skip
FINESS_DEPARTMENTS = ("63", "63", "63", "03", "15", "43", "69", "42")

# --- Establishment profiles ---------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    kind: str
    label: str
    places: tuple[str, ...]
    units: tuple[str, ...]
    modalities: tuple[tuple[str, float], ...]
    generation: str
    age_at_admission: tuple[int, int]
    mean_stay_years: float
    max_stay_years: float
    exits_per_place_year: float
    exit_reasons: tuple[tuple[str, float], ...]
    absences_per_year: float
    absence_kinds: tuple[tuple[str, float], ...]
    changes_per_year: float
    rooms: bool
    aggir: bool
    female_share: float
    staff: tuple[tuple[str, float, int], ...]  # (métier, per 100 persons, at least)
    referent_metiers: tuple[str, ...]
    antecedents: tuple[tuple[str, str], ...]
    appointments: tuple[str, ...]
    documents: tuple[str, ...]


ELDERLY_ANTECEDENTS = (
    ("Hypertension artérielle", "medical"), ("Diabète de type 2", "medical"), ("Maladie d'Alzheimer", "medical"),
    ("Fracture du col du fémur", "chirurgical"), ("Insuffisance cardiaque", "medical"),
    ("AVC ischémique", "medical"), ("BPCO", "medical"), ("Fibrillation auriculaire", "medical"),
    ("Prothèse totale de hanche", "chirurgical"), ("Cataracte opérée", "chirurgical"),
    ("Cancer du sein traité", "medical"), ("Maladie de Parkinson", "medical"), ("Arthrose", "medical"),
    ("Insuffisance rénale chronique", "medical"), ("Dépression", "medical"), ("Cholécystectomie", "chirurgical"),
)  # fmt: skip
DISABILITY_ANTECEDENTS = (
    ("Trouble du spectre de l'autisme", "medical"), ("Épilepsie", "medical"), ("Trisomie 21", "medical"),
    ("Paralysie cérébrale", "medical"), ("Déficience intellectuelle moyenne", "medical"),
    ("Scoliose", "medical"), ("Arthrodèse rachidienne", "chirurgical"), ("Gastrostomie", "chirurgical"),
    ("Troubles du comportement alimentaire", "medical"), ("Syndrome de l'X fragile", "medical"),
    ("Épilepsie chez la mère", "familial"), ("Asthme", "medical"), ("Strabisme opéré", "chirurgical"),
)  # fmt: skip
ELDERLY_APPOINTMENTS = (
    "Consultation de cardiologie", "Consultation d'ophtalmologie", "Soins dentaires", "Radiographie du thorax",
    "Consultation mémoire", "Consultation ORL", "Dermatologie", "Pédicure-podologue", "Échographie abdominale",
    "Consultation de gériatrie", "Bilan sanguin au laboratoire", "Consultation de pneumologie",
)  # fmt: skip
CHILD_APPOINTMENTS = (
    "Séance d'orthophonie", "Consultation de pédopsychiatrie", "Rendez-vous au CMP", "Bilan d'orthoptie",
    "Consultation de neuropédiatrie", "Soins dentaires", "Équipe pluridisciplinaire MDPH", "Séance de kinésithérapie",
    "Consultation d'ORL", "Bilan psychomoteur",
)  # fmt: skip
ADULT_APPOINTMENTS = (
    "Consultation de neurologie", "Consultation de psychiatrie", "Soins dentaires", "Consultation de gynécologie",
    "Séance de kinésithérapie", "Consultation d'ophtalmologie", "Bilan sanguin au laboratoire",
    "Consultation de médecine physique et réadaptation", "Électroencéphalogramme",
)  # fmt: skip
COMMON_DOCUMENTS = ("cr_consultation", "ordonnances", "cr_biologie", "droits_assurance")

_EHPAD_STAFF = (
    (Metier.DIRECTION, 0, 1), (Metier.CADRE_SANTE, 0.7, 1), (Metier.MEDECIN_COORDONNATEUR, 0, 1),
    (Metier.IDE, 5, 2), (Metier.AIDE_SOIGNANT, 12, 3), (Metier.ASH, 5, 1), (Metier.PSYCHOLOGUE, 0.4, 1),
    (Metier.ANIMATEUR, 1, 1), (Metier.SECRETAIRE_MEDICALE, 0.7, 1), (Metier.ERGOTHERAPEUTE, 0.4, 1),
    (Metier.DIETETICIEN, 0, 1), (Metier.ACCUEIL, 0.4, 1), (Metier.ASSISTANT_DIRECTION, 0.3, 1),
    (Metier.QUALITE, 0, 1), (Metier.APA, 0, 1),
)  # fmt: skip
_CHILD_STAFF = (
    (Metier.DIRECTION, 0, 1), (Metier.CADRE_SANTE, 1, 1), (Metier.EDUCATEUR, 12, 3), (Metier.ENSEIGNANT, 3, 1),
    (Metier.PSYCHOLOGUE, 1, 1), (Metier.IDE, 1, 1), (Metier.SECRETAIRE_MEDICALE, 1, 1),
    (Metier.ASSISTANT_SOCIAL, 1, 1), (Metier.ERGOTHERAPEUTE, 1, 1), (Metier.MEDECIN, 0, 1),
    (Metier.ASSISTANT_DIRECTION, 0.4, 1),
)  # fmt: skip
_ADULT_STAFF = (
    (Metier.DIRECTION, 0, 1), (Metier.CADRE_SANTE, 1, 1), (Metier.EDUCATEUR, 6, 2), (Metier.AIDE_SOIGNANT, 10, 2),
    (Metier.IDE, 3, 1), (Metier.ASH, 2, 1), (Metier.PSYCHOLOGUE, 0.5, 1), (Metier.SECRETAIRE_MEDICALE, 0.7, 1),
    (Metier.ASSISTANT_SOCIAL, 0.5, 1), (Metier.MEDECIN, 0, 1), (Metier.ANIMATEUR, 1, 1), (Metier.APA, 0, 1),
)  # fmt: skip
_HOME_STAFF = (
    (Metier.DIRECTION, 0, 1), (Metier.CADRE_SANTE, 1, 1), (Metier.IDE, 3, 1), (Metier.AIDE_SOIGNANT, 8, 2),
    (Metier.SECRETAIRE_MEDICALE, 0.7, 1), (Metier.ERGOTHERAPEUTE, 0.3, 1), (Metier.ASSISTANT_DIRECTION, 0.3, 1),
)  # fmt: skip

PROFILES: dict[str, Profile] = {
    EssmsKind.EHPAD: Profile(
        kind=EssmsKind.EHPAD,
        label="EHPAD",
        places=("Les Cèdres", "Les Tilleuls", "La Roseraie", "Le Clos Fleuri", "Les Mimosas", "Sainte-Hélène",
                "Les Hirondelles", "Le Val d'Allier", "La Châtaigneraie", "Les Écureuils", "Saint-Joseph",
                "Les Jardins de Chamalières", "Le Puy-de-Dôme", "Les Peupliers", "La Source"),
        units=("Unité Glycine", "Unité Lilas", "UVP Les Iris", "Unité Les Tilleuls", "Unité Bleuets",
               "Hébergement temporaire", "Unité Coquelicots", "UHR Les Saules"),
        modalities=((Modality.HEBERGEMENT_PERMANENT, 0.88), (Modality.HEBERGEMENT_TEMPORAIRE, 0.08),
                    (Modality.ACCUEIL_JOUR, 0.04)),
        generation="elderly",
        age_at_admission=(72, 97),
        mean_stay_years=2.6,
        max_stay_years=11,
        exits_per_place_year=0.35,
        exit_reasons=((ExitReason.DECES, 0.72), (ExitReason.HOSPITALISATION, 0.1), (ExitReason.TRANSFERT_ESSMS, 0.08),
                      (ExitReason.RETOUR_DOMICILE, 0.08), (ExitReason.AUTRE, 0.02)),
        absences_per_year=0.7,
        absence_kinds=((AbsenceKind.HOSPITALISATION, 0.75), (AbsenceKind.VACANCES, 0.15), (AbsenceKind.AUTRE, 0.1)),
        changes_per_year=0.35,
        rooms=True,
        aggir=True,
        female_share=0.73,
        staff=_EHPAD_STAFF,
        referent_metiers=(Metier.IDE, Metier.AIDE_SOIGNANT),
        antecedents=ELDERLY_ANTECEDENTS,
        appointments=ELDERLY_APPOINTMENTS,
        documents=("cr_hospitalisation", "volet_synthese_medicale", "attestation_hebergement"),
    ),
    EssmsKind.IME: Profile(
        kind=EssmsKind.IME,
        label="IME",
        places=("Les Peupliers", "Le Bois Joli", "Les Sources", "La Passerelle", "Les Cigales", "Le Chêne Vert",
                "Les Lucioles", "Jean-Macé"),
        units=("Internat Les Érables", "Semi-internat", "Groupe des petits", "Atelier Horticulture",
               "Classe externalisée", "Groupe Ados", "Atelier Cuisine"),
        modalities=((Modality.SEMI_INTERNAT, 0.45), (Modality.INTERNAT, 0.3), (Modality.EXTERNAT, 0.15),
                    (Modality.SEQUENTIEL, 0.1)),
        generation="child",
        age_at_admission=(5, 15),
        mean_stay_years=4.5,
        max_stay_years=13,
        exits_per_place_year=0.15,
        exit_reasons=((ExitReason.FIN_PRISE_EN_CHARGE, 0.5), (ExitReason.TRANSFERT_ESSMS, 0.35),
                      (ExitReason.RETOUR_DOMICILE, 0.12), (ExitReason.AUTRE, 0.03)),
        absences_per_year=2.0,
        absence_kinds=((AbsenceKind.VACANCES, 0.7), (AbsenceKind.HOSPITALISATION, 0.08), (AbsenceKind.AUTRE, 0.22)),
        changes_per_year=0.7,
        rooms=False,
        aggir=False,
        female_share=0.4,
        staff=_CHILD_STAFF,
        referent_metiers=(Metier.EDUCATEUR,),
        antecedents=DISABILITY_ANTECEDENTS,
        appointments=CHILD_APPOINTMENTS,
        documents=("notifications_mdph", "bilan_educatif", "projet_scolarisation", "bilan_orthophonie"),
    ),
    EssmsKind.MAS: Profile(
        kind=EssmsKind.MAS,
        label="MAS",
        places=("Les Genêts", "Le Grand Chêne", "La Sapinière", "Les Volcans", "Les Myosotis"),
        units=("Maisonnée Les Saules", "Maisonnée Les Bouleaux", "Maisonnée Les Frênes", "Accueil de jour",
               "Maisonnée Les Aulnes"),
        modalities=((Modality.HEBERGEMENT_PERMANENT, 0.85), (Modality.ACCUEIL_JOUR, 0.08),
                    (Modality.HEBERGEMENT_TEMPORAIRE, 0.07)),
        generation="adult",
        age_at_admission=(20, 50),
        mean_stay_years=9,
        max_stay_years=25,
        exits_per_place_year=0.06,
        exit_reasons=((ExitReason.DECES, 0.3), (ExitReason.TRANSFERT_ESSMS, 0.45), (ExitReason.HOSPITALISATION, 0.15),
                      (ExitReason.AUTRE, 0.1)),
        absences_per_year=1.5,
        absence_kinds=((AbsenceKind.HOSPITALISATION, 0.35), (AbsenceKind.VACANCES, 0.55), (AbsenceKind.AUTRE, 0.1)),
        changes_per_year=0.2,
        rooms=True,
        aggir=False,
        female_share=0.45,
        staff=_ADULT_STAFF,
        referent_metiers=(Metier.EDUCATEUR, Metier.AIDE_SOIGNANT),
        antecedents=DISABILITY_ANTECEDENTS,
        appointments=ADULT_APPOINTMENTS,
        documents=("notifications_mdph", "grille_evaluation_ms", "cr_hospitalisation"),
    ),
    EssmsKind.FAM: Profile(
        kind=EssmsKind.FAM,
        label="FAM",
        places=("Les Ajoncs", "La Prairie", "Le Moulin", "Les Bruyères"),
        units=("Unité Arc-en-ciel", "Unité Horizon", "Unité Soleil", "Studios", "Accueil de jour"),
        modalities=((Modality.HEBERGEMENT_PERMANENT, 0.8), (Modality.ACCUEIL_JOUR, 0.12),
                    (Modality.SEQUENTIEL, 0.08)),
        generation="adult",
        age_at_admission=(20, 55),
        mean_stay_years=8,
        max_stay_years=22,
        exits_per_place_year=0.08,
        exit_reasons=((ExitReason.TRANSFERT_ESSMS, 0.45), (ExitReason.DECES, 0.2), (ExitReason.RETOUR_DOMICILE, 0.2),
                      (ExitReason.AUTRE, 0.15)),
        absences_per_year=1.5,
        absence_kinds=((AbsenceKind.HOSPITALISATION, 0.3), (AbsenceKind.VACANCES, 0.6), (AbsenceKind.AUTRE, 0.1)),
        changes_per_year=0.25,
        rooms=True,
        aggir=False,
        female_share=0.45,
        staff=_ADULT_STAFF,
        referent_metiers=(Metier.EDUCATEUR,),
        antecedents=DISABILITY_ANTECEDENTS,
        appointments=ADULT_APPOINTMENTS,
        documents=("notifications_mdph", "grille_evaluation_ms", "bilan_psychologique"),
    ),
    EssmsKind.SSIAD: Profile(
        kind=EssmsKind.SSIAD,
        label="SSIAD",
        places=("du Val d'Allier", "des Combrailles", "du Livradois", "des Dômes", "de la Limagne"),
        units=("Secteur Nord", "Secteur Sud", "Secteur Centre", "Secteur Est", "Équipe spécialisée Alzheimer"),
        modalities=((Modality.DOMICILE, 1.0),),
        generation="elderly",
        age_at_admission=(65, 96),
        mean_stay_years=1.2,
        max_stay_years=6,
        exits_per_place_year=0.8,
        exit_reasons=((ExitReason.HOSPITALISATION, 0.3), (ExitReason.TRANSFERT_ESSMS, 0.35), (ExitReason.DECES, 0.25),
                      (ExitReason.FIN_PRISE_EN_CHARGE, 0.1)),
        absences_per_year=0.8,
        absence_kinds=((AbsenceKind.HOSPITALISATION, 0.85), (AbsenceKind.AUTRE, 0.15)),
        changes_per_year=0.15,
        rooms=False,
        aggir=True,
        female_share=0.65,
        staff=_HOME_STAFF,
        referent_metiers=(Metier.IDE,),
        antecedents=ELDERLY_ANTECEDENTS,
        appointments=ELDERLY_APPOINTMENTS,
        documents=("cr_hospitalisation", "plan_soins"),
    ),
    EssmsKind.FOYER: Profile(
        kind=EssmsKind.FOYER,
        label="Foyer de vie",
        places=("Les Grillons", "La Clairière", "Le Pré Vert"),
        units=("Foyer Les Lavandes", "Foyer Les Capucines", "Appartements", "Accueil de jour"),
        modalities=((Modality.HEBERGEMENT_PERMANENT, 0.75), (Modality.ACCUEIL_JOUR, 0.2),
                    (Modality.HEBERGEMENT_TEMPORAIRE, 0.05)),
        generation="adult",
        age_at_admission=(20, 50),
        mean_stay_years=7,
        max_stay_years=20,
        exits_per_place_year=0.1,
        exit_reasons=((ExitReason.TRANSFERT_ESSMS, 0.5), (ExitReason.RETOUR_DOMICILE, 0.3), (ExitReason.DECES, 0.1),
                      (ExitReason.AUTRE, 0.1)),
        absences_per_year=2.0,
        absence_kinds=((AbsenceKind.VACANCES, 0.75), (AbsenceKind.HOSPITALISATION, 0.15), (AbsenceKind.AUTRE, 0.1)),
        changes_per_year=0.3,
        rooms=True,
        aggir=False,
        female_share=0.45,
        staff=_ADULT_STAFF,
        referent_metiers=(Metier.EDUCATEUR,),
        antecedents=DISABILITY_ANTECEDENTS,
        appointments=ADULT_APPOINTMENTS,
        documents=("notifications_mdph", "activites"),
    ),
    EssmsKind.SESSAD: Profile(
        kind=EssmsKind.SESSAD,
        label="SESSAD",
        places=("Les Petits Pas", "L'Envol", "Les Colibris"),
        units=("Antenne de Clermont", "Antenne de Riom", "Antenne d'Issoire", "Pôle autisme"),
        modalities=((Modality.DOMICILE, 0.7), (Modality.EXTERNAT, 0.3)),
        generation="child",
        age_at_admission=(3, 14),
        mean_stay_years=3,
        max_stay_years=10,
        exits_per_place_year=0.3,
        exit_reasons=((ExitReason.FIN_PRISE_EN_CHARGE, 0.6), (ExitReason.TRANSFERT_ESSMS, 0.3),
                      (ExitReason.AUTRE, 0.1)),
        absences_per_year=0.8,
        absence_kinds=((AbsenceKind.VACANCES, 0.6), (AbsenceKind.HOSPITALISATION, 0.1), (AbsenceKind.AUTRE, 0.3)),
        changes_per_year=0.4,
        rooms=False,
        aggir=False,
        female_share=0.35,
        staff=_CHILD_STAFF,
        referent_metiers=(Metier.EDUCATEUR,),
        antecedents=DISABILITY_ANTECEDENTS,
        appointments=CHILD_APPOINTMENTS,
        documents=("notifications_mdph", "projet_scolarisation", "bilan_psychomotricite"),
    ),
}  # fmt: skip

# The order in which establishment kinds are handed out (two ESSMS: an EHPAD and an IME).
KIND_CYCLE = (
    EssmsKind.EHPAD, EssmsKind.IME, EssmsKind.EHPAD, EssmsKind.MAS, EssmsKind.SSIAD,
    EssmsKind.FAM, EssmsKind.EHPAD, EssmsKind.IME, EssmsKind.FOYER, EssmsKind.SESSAD,
)  # fmt: skip
CHILDREN_KINDS = {EssmsKind.IME, EssmsKind.SESSAD}
ESSMS_PER_OG = 8
OG_NAMES = (
    "Association Les Cèdres d'Auvergne", "Association Les Papillons Blancs du Puy-de-Dôme",
    "Association Saint-Jean-de-Dieu Auvergne", "Association Val d'Allier Solidarité",
    "Association Les Amis de l'Atelier", "Association Éloïse et Hélène Bessière",
    "Association Départementale des Pupilles", "Association Le Fil d'Ariane",
)  # fmt: skip
OG_STAFF = (Metier.DIRECTION, Metier.DPO, Metier.ADMINISTRATEUR)

ALLERGENS = (
    ("Pénicilline", "Éruption cutanée", "moderee"), ("Iode", "Urticaire", "moderee"),
    ("Arachide", "Œdème de Quincke", "severe"), ("Lactose", "Troubles digestifs", "legere"),
    ("Aspirine", "Bronchospasme", "severe"), ("Latex", "Eczéma de contact", "legere"),
    ("Gluten", "Intolérance digestive", "legere"), ("Pollens de graminées", "Rhinite", "legere"),
    ("Sulfamides", "Érythème", "moderee"), ("Fruits à coque", "Prurit buccal", "moderee"),
)  # fmt: skip
TREATMENTS = (
    "Paracétamol 1 g — 3 fois par jour si douleur", "Amlodipine 5 mg — 1 cp le matin",
    "Metformine 850 mg — matin et soir", "Lévothyroxine 75 µg — 1 cp à jeun", "Furosémide 40 mg — 1 cp le matin",
    "Apixaban 2,5 mg — matin et soir", "Donépézil 10 mg — 1 cp le soir", "Oméprazole 20 mg — 1 gél. le matin",
    "Macrogol 4000 — 1 sachet par jour", "Vitamine D 100 000 UI — 1 ampoule tous les 3 mois",
    "Valproate de sodium 500 mg — matin et soir", "Rispéridone 1 mg — 1 cp le soir",
    "Mélatonine 2 mg — 1 cp au coucher", "Lévétiracétam 500 mg — matin et soir", "Sertraline 50 mg — 1 cp le matin",
    "Bisoprolol 2,5 mg — 1 cp le matin", "Atorvastatine 20 mg — 1 cp le soir", "Calcium 500 mg — midi",
)  # fmt: skip
HABITS = (
    ("Réveil", "Aime se lever tôt, vers 6 h 30, et prendre son café avant la toilette."),
    ("Toilette", "Préfère la douche le soir ; a besoin d'aide pour le dos et les pieds."),
    ("Repas", "Mange seul(e) si l'assiette est prédécoupée ; apprécie la soupe le soir."),
    ("Sommeil", "Se couche vers 21 h ; veilleuse allumée, porte entrouverte."),
    ("Habillement", "Choisit ses vêtements la veille avec l'équipe."),
    ("Sieste", "Sieste d'une heure après le déjeuner, dans le fauteuil."),
    ("Communication", "Comprend mieux les phrases courtes ; utilise quelques pictogrammes."),
)  # fmt: skip
INTERESTS = (
    ("Jardinage", "Aime s'occuper des tomates et des fleurs du potager."),
    ("Musique", "Chansons françaises : Brassens, Piaf, Aznavour."),
    ("Jeux de cartes", "Belote l'après-midi avec les autres résidents."),
    ("Cuisine", "Participe volontiers à l'atelier pâtisserie."),
    ("Sport", "Marche, piscine une fois par semaine."),
    ("Animaux", "Très attaché(e) au chat de l'établissement."),
    ("Lecture", "Journal local tous les matins ; romans en gros caractères."),
    ("Dessin", "Peinture et coloriage, expose ses œuvres au couloir."),
)  # fmt: skip
EXTERNAL_PROS = ("Kinésithérapeute", "Orthophoniste", "Pédicure-podologue", "Psychiatre", "Orthoptiste")
DOCUMENT_SOURCES = (
    "CHU Gabriel-Montpied, Clermont-Ferrand", "CHU Estaing, Clermont-Ferrand", "Centre hospitalier de Riom",
    "Clinique de la Châtaigneraie", "Laboratoire Bio Dômes", "MDPH du Puy-de-Dôme", "CPAM du Puy-de-Dôme",
    "Centre hospitalier de Thiers",
)  # fmt: skip

# Documents of a tiny but valid PDF, written once and shared by every generated version.
PDF_BYTES = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R
/Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 74 >> stream
BT /F1 14 Tf 72 770 Td (Document genere pour les mesures de volume.) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R /Size 6 >>
%%EOF
"""


# --- Helpers ------------------------------------------------------------------------------------


def luhn_digit(body: str) -> str:
    """The Luhn check digit that completes `body`."""
    for digit in "0123456789":
        if luhn_is_valid(body + digit):
            return digit
    raise AssertionError("unreachable")


def ascii_slug(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", letters)


def _weighted(rng: random.Random, choices: Sequence[tuple]) -> object:
    values = [c[0] for c in choices]
    weights = [c[-1] for c in choices]
    return rng.choices(values, weights=weights)[0]


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth): small means only."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-min(mean, 30)), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _phone(rng: random.Random, mobile: bool = True) -> str:
    head = rng.choice(("06", "07")) if mobile else "04"
    return " ".join([head, *(f"{rng.randrange(100):02d}" for _ in range(4))])


def _address(rng: random.Random) -> str:
    postcode, city = rng.choice(CITIES)
    return f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {postcode} {city}"


def _batch_size(model, wanted: int) -> int:
    columns = len(model._meta.concrete_fields)
    return max(1, min(wanted, MAX_PARAMETERS // columns))


@dataclass
class TableStat:
    rows: int = 0
    seconds: float = 0.0


@dataclass
class Report:
    tables: dict[str, TableStat] = field(default_factory=dict)
    seconds: float = 0.0
    password: str = SCALE_PASSWORD
    analyse_seconds: float = 0.0
    og_names: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(stat.rows for stat in self.tables.values())

    @property
    def insert_seconds(self) -> float:
        return sum(stat.seconds for stat in self.tables.values())


class ScaleDataRefusedError(Exception):
    """The database already holds data and --append was not given."""


# --- The generator ------------------------------------------------------------------------------


@dataclass
class _Establishment:
    essms: Essms
    profile: Profile
    units: list[Unit]
    staff: dict[str, list[User]]
    persons: int


class Generator:
    def __init__(
        self,
        *,
        essms_count: int,
        persons: int,
        years: int,
        seed: int,
        batch_size: int = DEFAULT_BATCH_SIZE,
        today: datetime.date | None = None,
        progress: Callable[[str], None] | None = None,
        transmissions_per_person_year: float = 0,
    ):
        self.rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
        # A stream of its own: the dossiers stay the same with or without transmissions.
        self.transmissions = (
            TransmissionGenerator(
                self,
                rng=random.Random(f"transmissions-{seed}"),  # noqa: S311
                per_person_year=transmissions_per_person_year,
            )
            if transmissions_per_person_year > 0
            else None
        )
        self.essms_count = essms_count
        self.persons = persons
        self.years = years
        self.batch_size = batch_size
        self.today = today or timezone.localdate()
        self.window_start = self.today - datetime.timedelta(days=round(365.25 * years))
        self.tz = timezone.get_current_timezone()
        self.progress = progress or (lambda message: None)
        self.report = Report()
        self.finess_taken = set(OrganismeGestionnaire.objects.values_list("finess_juridique", flat=True))
        self.finess_taken |= set(Essms.objects.values_list("finess", flat=True))
        self.usernames_taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
        self.matricules_taken = set(Usager.objects.exclude(ins_matricule="").values_list("ins_matricule", flat=True))
        self.password_hash = make_password(SCALE_PASSWORD)
        self.classes: dict[str, DocumentClass] = {}
        self.pdf: dict[str, object] = {}
        # Rows waiting for the next flush, per model, in dependency order.
        self.pending: dict[type, list] = defaultdict(list)

    # -- writing --

    def insert(self, model, rows: list) -> None:
        if not rows:
            return
        started = time.perf_counter()
        model.objects.bulk_create(rows, batch_size=_batch_size(model, self.batch_size))
        stat = self.report.tables.setdefault(model.__name__, TableStat())
        stat.rows += len(rows)
        stat.seconds += time.perf_counter() - started

    def queue(self, row) -> None:
        self.pending[type(row)].append(row)

    FLUSH_ORDER = (
        Usager, Sejour, Placement, Absence, CretonDecision, Contact, Referent, Antecedent, Allergy, Treatment,
        AggirEvaluation, LifeNote, Appointment, Document, DocumentVersion,
    )  # fmt: skip

    def flush(self) -> None:
        unknown = set(self.pending) - set(self.FLUSH_ORDER)
        if unknown:
            raise AssertionError(f"Modèles sans ordre d'écriture : {unknown}")
        for model in self.FLUSH_ORDER:
            self.insert(model, self.pending.pop(model, []))

    # -- dates --

    def at(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    # -- identifiers --

    def new_finess(self) -> str:
        while True:
            # Département (2), category digit, serial (5), then the Luhn check digit: 9 characters.
            body = self.rng.choice(FINESS_DEPARTMENTS) + self.rng.choice("0678") + f"{self.rng.randrange(100_000):05d}"
            number = body + luhn_digit(body)
            if number not in self.finess_taken:
                self.finess_taken.add(number)
                return number

    def new_username(self, first_name: str, last_name: str) -> str:
        base = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
        candidate, n = base, 1
        while candidate in self.usernames_taken:
            n += 1
            candidate = f"{base}{n}"
        self.usernames_taken.add(candidate)
        return candidate

    def new_matricule(self, *, sex: str, birth_date: datetime.date, birth_place: str) -> str:
        nia = self.rng.random() < 0.02
        sex_digit = {"F": "8", "M": "7"}[sex] if nia else {"F": "2", "M": "1"}[sex]
        while True:
            first13 = f"{sex_digit}{birth_date.year % 100:02d}{birth_date.month:02d}{birth_place}"
            first13 += f"{self.rng.randint(1, 999):03d}"
            matricule = f"{first13}{matricule_key(first13):02d}"
            if matricule not in self.matricules_taken:
                self.matricules_taken.add(matricule)
                return matricule

    def rpps(self) -> str:
        body = "10" + f"{self.rng.randrange(10**8):08d}"
        return body + luhn_digit(body)

    # -- names --

    def first_name(self, generation: str, sex: str) -> str:
        return self.rng.choice(FIRST_NAMES[(generation, sex)])

    def surname(self) -> str:
        return self.rng.choice(SURNAMES)

    # -- the run --

    def run(self) -> Report:
        started = time.perf_counter()
        sync_document_classes()
        self.classes = {dc.code: dc for dc in DocumentClass.objects.all()}
        self.write_pdf()
        establishments = self.organisation()
        for number, establishment in enumerate(establishments, start=1):
            self.people(establishment)
            placements = list(self.pending.get(Placement, []))
            self.flush()
            if self.transmissions is not None:
                self.transmissions.run(establishment, placements)
            self.progress(
                f"ESSMS {number}/{len(establishments)} : {establishment.essms.name} "
                f"({self.report.rows} lignes, {time.perf_counter() - started:.0f} s)"
            )
        self.report.seconds = time.perf_counter() - started
        return self.report

    def write_pdf(self) -> None:
        storage = DocumentVersion._meta.get_field("file").storage
        sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
        name = f"documents/volume/{sha256[:2]}/{sha256}.pdf"
        if not storage.exists(name):
            name = storage.save(name, ContentFile(PDF_BYTES))
        self.pdf = {"name": name, "sha256": sha256, "size": len(PDF_BYTES)}

    def organisation(self) -> list[_Establishment]:
        og_count = max(1, math.ceil(self.essms_count / ESSMS_PER_OG))
        ogs = []
        for index in range(og_count):
            name = OG_NAMES[index % len(OG_NAMES)]
            if index >= len(OG_NAMES):
                name = f"{name} ({index // len(OG_NAMES) + 1})"
            ogs.append(OrganismeGestionnaire(name=name, finess_juridique=self.new_finess()))
        self.insert(OrganismeGestionnaire, ogs)
        self.report.og_names = [og.name for og in ogs]

        used_places: dict[str, int] = defaultdict(int)
        essms_rows, profiles = [], []
        for index in range(self.essms_count):
            profile = PROFILES[KIND_CYCLE[index % len(KIND_CYCLE)]]
            place_index = used_places[profile.kind]
            used_places[profile.kind] += 1
            place = profile.places[place_index % len(profile.places)]
            if place_index >= len(profile.places):
                place = f"{place} {place_index // len(profile.places) + 1}"
            essms_rows.append(
                Essms(
                    og=ogs[index * og_count // self.essms_count],
                    name=f"{profile.label} {place}",
                    finess=self.new_finess(),
                    kind=profile.kind,
                    capacity=math.ceil(self.persons / 0.95),
                )
            )
            profiles.append(profile)
        self.insert(Essms, essms_rows)
        started = time.perf_counter()
        matrix_rows = sum(habilitations_fill_defaults(og=og) for og in ogs)
        stat = self.report.tables.setdefault("Habilitation", TableStat())
        stat.rows += matrix_rows
        stat.seconds += time.perf_counter() - started

        unit_rows = []
        units_of: dict[int, list[Unit]] = {}
        for essms, profile in zip(essms_rows, profiles, strict=True):
            names = self.rng.sample(profile.units, min(len(profile.units), self.rng.randint(3, 6)))
            units_of[id(essms)] = [Unit(essms=essms, name=name) for name in names]
            unit_rows.extend(units_of[id(essms)])
        self.insert(Unit, unit_rows)

        users, memberships = [], []
        staff_of: dict[int, dict[str, list[User]]] = {}
        for essms, profile in zip(essms_rows, profiles, strict=True):
            staff: dict[str, list[User]] = defaultdict(list)
            for metier, per_hundred, minimum in profile.staff:
                count = max(minimum, round(per_hundred * self.persons / 100))
                for _ in range(count):
                    user = self.professional()
                    users.append(user)
                    staff[metier].append(user)
                    memberships.append(self.membership(user, essms, metier))
            staff_of[id(essms)] = staff
        for og in ogs:
            og_essms = [e for e in essms_rows if e.og is og]
            for metier in OG_STAFF:
                user = self.professional()
                users.append(user)
                for essms in og_essms:
                    memberships.append(self.membership(user, essms, metier, ended=False))
                    staff_of[id(essms)][metier].append(user)
            # A few professionals shared by two ESSMS of the OG (psychologue, médecin).
            for essms in og_essms:
                sibling = self.rng.choice(og_essms)
                for metier in (Metier.PSYCHOLOGUE, Metier.MEDECIN):
                    if sibling is not essms and staff_of[id(essms)].get(metier) and self.rng.random() < 0.3:
                        user = staff_of[id(essms)][metier][0]
                        memberships.append(self.membership(user, sibling, metier, ended=False))
        self.insert(User, users)
        self.insert(Membership, memberships)

        return [
            _Establishment(
                essms=essms, profile=profile, units=units_of[id(essms)], staff=staff_of[id(essms)], persons=self.persons
            )
            for essms, profile in zip(essms_rows, profiles, strict=True)
        ]

    def professional(self) -> User:
        sex = "F" if self.rng.random() < 0.75 else "M"
        first, last = self.first_name("adult", sex), self.surname()
        return User(
            username=self.new_username(first, last),
            first_name=first,
            last_name=last,
            password=self.password_hash,
            rpps=self.rpps() if self.rng.random() < 0.2 else "",
            date_joined=self.at(self.window_start),
        )

    def membership(self, user: User, essms: Essms, metier: str, *, ended: bool | None = None) -> Membership:
        starts = self.day_between(self.window_start - datetime.timedelta(days=3650), self.today)
        if ended is None:
            ended = self.rng.random() < 0.04
        ends_at = self.at(self.day_between(starts, self.today - datetime.timedelta(days=1))) if ended else None
        return Membership(user=user, essms=essms, metier=metier, starts_at=self.at(starts, 8), ends_at=ends_at)

    # -- people of one ESSMS --

    def people(self, e: _Establishment) -> None:
        profile = e.profile
        exited = round(e.persons * self.years * profile.exits_per_place_year)
        waiting = max(1, round(e.persons * 0.04))
        abandoned = max(1, round(e.persons * 0.02))
        for _ in range(e.persons):
            self.person(e, "current")
        for _ in range(exited):
            self.person(e, "exited")
        for _ in range(waiting):
            self.person(e, "waiting")
        for _ in range(abandoned):
            self.person(e, "abandoned")

    def staff_member(self, e: _Establishment, *metiers: str) -> User:
        for metier in metiers:
            if e.staff.get(metier):
                return self.rng.choice(e.staff[metier])
        return self.rng.choice(e.staff[Metier.DIRECTION])

    def person(self, e: _Establishment, fate: str) -> None:
        rng, profile, today = self.rng, e.profile, self.today
        # The séjours first, as (first contact, admission, end, exit reason); the last one decides the fate.
        periods: list[tuple[datetime.date, datetime.date | None, datetime.date | None, str]] = []
        if fate == "current":
            stay = min(rng.expovariate(1 / profile.mean_stay_years), profile.max_stay_years)
            admitted = today - datetime.timedelta(days=max(1, round(stay * 365.25)))
            periods.append((admitted, admitted, None, ""))
        elif fate == "exited":
            ended = self.day_between(self.window_start, today - datetime.timedelta(days=1))
            stay = min(rng.expovariate(1 / profile.mean_stay_years), profile.max_stay_years)
            admitted = ended - datetime.timedelta(days=max(7, round(stay * 365.25)))
            periods.append((admitted, admitted, ended, str(_weighted(rng, profile.exit_reasons))))
        elif fate == "waiting":
            contact = today - datetime.timedelta(days=rng.randint(3, 180))
            periods.append((contact, None, None, ""))
        else:  # a pré-admission abandoned
            contact = self.day_between(self.window_start, today - datetime.timedelta(days=60))
            ended = contact + datetime.timedelta(days=rng.randint(10, 50))
            periods.append((contact, None, ended, ExitReason.AUTRE))
        # Re-admissions: an earlier séjour that ended (never by death) before the first one.
        if fate in {"current", "exited"} and rng.random() < 0.08:
            first_admitted = periods[0][1]
            prior_end = first_admitted - datetime.timedelta(days=rng.randint(30, 500))
            prior_start = prior_end - datetime.timedelta(days=rng.randint(15, 700))
            reason = rng.choice((ExitReason.RETOUR_DOMICILE, ExitReason.HOSPITALISATION, ExitReason.AUTRE))
            periods.insert(0, (prior_start, prior_start, prior_end, reason))

        first_admission = next((p[1] for p in periods if p[1]), periods[0][0])
        usager = self.usager(e, fate, first_admission)
        self.queue(usager)
        last_open_day = today
        for index, (start, admitted, ended, reason) in enumerate(periods):
            first_contact = start - datetime.timedelta(days=rng.randint(10, 120)) if admitted else start
            if index > 0 and periods[index - 1][2] is not None:
                first_contact = max(first_contact, periods[index - 1][2] + datetime.timedelta(days=1))
            self.sejour(e, usager, first_contact, admitted, ended, reason)
            last_open_day = ended or today
        if fate in {"exited", "abandoned"}:
            usager.archived_at = self.at(last_open_day, 18)
        self.entourage(e, usager, fate)
        self.medical(e, usager, fate, first_admission, last_open_day)
        self.appointments(e, usager, fate, first_admission, last_open_day)
        self.identity_documents(e, usager, first_admission)
        if fate == "current":
            self.referents(e, usager, periods[-1][1])
        if profile.kind in CHILDREN_KINDS:
            self.creton(e, usager, last_open_day)

    def usager(self, e: _Establishment, fate: str, first_admission: datetime.date) -> Usager:
        rng, profile = self.rng, e.profile
        sex = "F" if rng.random() < profile.female_share else "M"
        low, high = profile.age_at_admission
        birth_date = first_admission - datetime.timedelta(days=rng.randint(low * 365, high * 365 + 364))
        generation = profile.generation
        count = rng.choices((1, 2, 3), weights=(0.35, 0.45, 0.2))[0]
        names: list[str] = []
        while len(names) < count:
            name = self.first_name(generation, sex)
            if name not in names:
                names.append(name)
        birth_name = self.surname().upper()
        used_name = ""
        if generation == "elderly" and sex == "F" and rng.random() < 0.7:
            used_name = self.surname().upper()
        used_first_name = names[1] if len(names) > 1 and rng.random() < 0.08 else ""
        birth_place = str(_weighted(rng, BIRTH_PLACES))
        status = str(
            _weighted(
                rng,
                (
                    (IdentityStatus.QUALIFIEE, 0.55),
                    (IdentityStatus.RECUPEREE, 0.2),
                    (IdentityStatus.VALIDEE, 0.1),
                    (IdentityStatus.PROVISOIRE, 0.15),
                ),
            )
        )
        if fate == "waiting" and status == IdentityStatus.QUALIFIEE:
            status = IdentityStatus.RECUPEREE
        retrieved = status in {IdentityStatus.RECUPEREE, IdentityStatus.QUALIFIEE}
        proved = status in {IdentityStatus.VALIDEE, IdentityStatus.QUALIFIEE}
        matricule = self.new_matricule(sex=sex, birth_date=birth_date, birth_place=birth_place) if retrieved else ""
        checked_on = max(first_admission - datetime.timedelta(days=rng.randint(0, 30)), birth_date)
        proofs = (
            (IdentityProof.CNI, 0.6),
            (IdentityProof.PASSEPORT, 0.15),
            (IdentityProof.TITRE_SEJOUR, 0.05),
            *(((IdentityProof.LIVRET_FAMILLE, 0.15),) if profile.kind == EssmsKind.EHPAD else ()),
        )
        is_current_elder = fate == "current" and profile.kind == EssmsKind.EHPAD
        return Usager(
            essms=e.essms,
            birth_name=birth_name,
            first_names=" ".join(names),
            used_name=used_name,
            used_first_name=used_first_name,
            birth_date=birth_date,
            sex=sex,
            birth_place_code=birth_place,
            ins_matricule=matricule,
            ins_oid=matricule_oid(matricule) if matricule else "",
            identity_status=status,
            identity_attribute="homonyme" if rng.random() < 0.005 else "",
            insi_retrieved_at=self.at(checked_on, 9) if retrieved else None,
            identity_proof=str(_weighted(rng, proofs)) if proved else "",
            identity_validated_at=self.at(checked_on, 11) if proved else None,
            identity_validated_by=self.staff_member(e, Metier.SECRETAIRE_MEDICALE, Metier.ACCUEIL) if proved else None,
            palliative_care=is_current_elder and rng.random() < 0.04,
            has_advance_directives=profile.generation == "elderly" and rng.random() < 0.25,
            search_text=search_key(birth_name, used_name, " ".join(names), used_first_name),
        )

    def sejour(self, e, usager, first_contact, admitted, ended, reason) -> None:
        rng = self.rng
        clerk = self.staff_member(e, Metier.SECRETAIRE_MEDICALE, Metier.ASSISTANT_DIRECTION, Metier.CADRE_SANTE)
        if admitted is None:
            status = SejourStatus.CANCELLED if ended else SejourStatus.PRE_ADMISSION
        else:
            status = SejourStatus.CLOSED if ended else SejourStatus.ACTIVE
        destination = ""
        if reason == ExitReason.TRANSFERT_ESSMS:
            destination = rng.choice(("EHPAD Les Jardins de Riom", "MAS Le Grand Chêne", "FAM La Prairie", "ESAT"))
        elif reason == ExitReason.RETOUR_DOMICILE:
            destination = "Domicile familial"
        elif reason == ExitReason.HOSPITALISATION:
            destination = rng.choice(DOCUMENT_SOURCES[:4])
        sejour = Sejour(
            essms=e.essms,
            usager=usager,
            status=status,
            first_contact_on=first_contact,
            admitted_on=admitted,
            contract_signed_on=(
                min(admitted + datetime.timedelta(days=rng.randint(0, 10)), ended or self.today) if admitted else None
            ),
            ended_on=ended,
            exit_reason=reason if ended else "",
            exit_destination=destination,
            created_by=clerk,
        )
        self.queue(sejour)
        self.document(e, usager, "pre_admission", first_contact, "Dossier de pré-admission", "Famille", clerk)
        if admitted is None:
            return
        self.document(e, usager, "contrat_sejour", sejour.contract_signed_on, "Contrat de séjour", "", clerk)
        last_day = ended or self.today
        self.placements(e, usager, sejour, admitted, ended, last_day)
        self.absences(e, usager, sejour, admitted, ended, last_day)

    def placements(self, e, usager, sejour, admitted, ended, last_day) -> None:
        rng, profile = self.rng, e.profile
        years = (last_day - admitted).days / 365.25
        changes = min(8, _poisson(rng, years * profile.changes_per_year))
        span = (last_day - admitted).days
        starts = sorted(
            {admitted + datetime.timedelta(days=rng.randint(1, span)) for _ in range(changes)} if span > 1 else ()
        )
        starts = [admitted, *starts]
        unit = rng.choice(e.units)
        modality = str(_weighted(rng, profile.modalities))
        room = self.room(profile, unit)
        author = self.staff_member(e, Metier.CADRE_SANTE, Metier.SECRETAIRE_MEDICALE)
        for index, start in enumerate(starts):
            if index > 0:
                change = rng.random()
                if change < 0.45 and len(e.units) > 1:
                    unit = rng.choice([u for u in e.units if u is not unit])
                    room = self.room(profile, unit)
                elif change < 0.8 and profile.rooms:
                    room = self.room(profile, unit, avoid=room)
                elif len(profile.modalities) > 1:
                    modality = rng.choice([m for m, _ in profile.modalities if m != modality])
                else:
                    unit = rng.choice([u for u in e.units if u is not unit]) if len(e.units) > 1 else unit
            end = starts[index + 1] - datetime.timedelta(days=1) if index + 1 < len(starts) else ended
            self.queue(
                Placement(
                    essms=e.essms,
                    sejour=sejour,
                    usager=usager,
                    unit=unit,
                    room=room,
                    modality=modality,
                    starts_on=start,
                    ends_on=end,
                    created_by=author,
                )
            )

    def room(self, profile: Profile, unit: Unit, avoid: str = "") -> str:
        if not profile.rooms:
            return ""
        while True:
            room = f"{self.rng.randint(1, 3)}{self.rng.randint(1, 40):02d}"
            if room != avoid:
                return room

    def absences(self, e, usager, sejour, admitted, ended, last_day) -> None:
        rng, profile = self.rng, e.profile
        years = (last_day - admitted).days / 365.25
        count = min(12, _poisson(rng, years * profile.absences_per_year))
        span = (last_day - admitted).days
        if span < 3:
            return
        author = self.staff_member(e, Metier.IDE, Metier.EDUCATEUR, Metier.SECRETAIRE_MEDICALE)
        drafts = []
        for _ in range(count):
            kind = str(_weighted(rng, profile.absence_kinds))
            length = {
                AbsenceKind.HOSPITALISATION: rng.randint(1, 21),
                AbsenceKind.VACANCES: rng.randint(2, 21),
            }.get(kind, rng.randint(1, 4))
            start = admitted + datetime.timedelta(days=rng.randint(1, span - 1))
            drafts.append((start, start + datetime.timedelta(days=length - 1), kind))
        # Some people are away right now (in hospital, mostly): an open absence.
        if ended is None and rng.random() < 0.03:
            start = self.today - datetime.timedelta(days=rng.randint(0, 10))
            if start > admitted:
                drafts.append((start, None, AbsenceKind.HOSPITALISATION))
        previous_end = admitted
        for start, end, kind in sorted(drafts, key=lambda d: d[0]):
            if start <= previous_end:
                continue
            if end is not None:
                end = min(end, last_day if ended else self.today - datetime.timedelta(days=1))
                if end < start:
                    continue
            self.queue(
                Absence(
                    essms=e.essms,
                    sejour=sejour,
                    usager=usager,
                    kind=kind,
                    starts_on=start,
                    ends_on=end,
                    comment="Hospitalisation au " + rng.choice(DOCUMENT_SOURCES[:4])
                    if kind == AbsenceKind.HOSPITALISATION
                    else "",
                    created_by=author,
                )
            )
            if kind == AbsenceKind.HOSPITALISATION and end is not None and rng.random() < 0.5:
                self.document(
                    e,
                    usager,
                    "cr_hospitalisation",
                    end,
                    "Compte rendu d'hospitalisation",
                    rng.choice(DOCUMENT_SOURCES[:4]),
                )
            if end is None:
                break
            previous_end = end

    def entourage(self, e: _Establishment, usager: Usager, fate: str) -> None:
        rng, profile = self.rng, e.profile
        family_name = (usager.used_name or usager.birth_name).title()
        rows = []
        if rng.random() < 0.9:
            rows.append(
                Contact(
                    role=ContactRole.MEDECIN_TRAITANT,
                    last_name=self.surname(),
                    first_name=self.first_name("adult", rng.choice("FM")),
                    relationship="Médecin généraliste",
                    phone=_phone(rng, mobile=False),
                    address=_address(rng),
                    rpps=self.rpps(),
                )
            )
        if profile.generation == "child":
            for relationship, sex in (("Mère", "F"), ("Père", "M")):
                if rng.random() < 0.85:
                    rows.append(
                        Contact(
                            role=ContactRole.REPRESENTANT_LEGAL,
                            last_name=family_name if rng.random() < 0.8 else self.surname(),
                            first_name=self.first_name("adult", sex),
                            relationship=relationship,
                            phone=_phone(rng),
                            email=f"{ascii_slug(family_name)}.{rng.randint(1, 999)}@exemple.fr",
                            address=_address(rng),
                            is_emergency_contact=True,
                        )
                    )
        else:
            if rng.random() < 0.7:
                relationship, sex = rng.choice(
                    (("Fille", "F"), ("Fils", "M"), ("Nièce", "F"), ("Époux", "M"), ("Sœur", "F"))
                )
                rows.append(
                    Contact(
                        role=ContactRole.PERSONNE_CONFIANCE,
                        last_name=family_name if rng.random() < 0.6 else self.surname(),
                        first_name=self.first_name("adult", sex),
                        relationship=relationship,
                        phone=_phone(rng),
                        address=_address(rng),
                        is_emergency_contact=True,
                    )
                )
            protected = rng.random() < (0.2 if profile.generation == "elderly" else 0.6)
            if protected:
                measure = str(
                    _weighted(
                        rng,
                        (
                            (ProtectionMeasure.TUTELLE, 0.4),
                            (ProtectionMeasure.CURATELLE_RENFORCEE, 0.25),
                            (ProtectionMeasure.CURATELLE, 0.15),
                            (ProtectionMeasure.HABILITATION_FAMILIALE, 0.12),
                            (ProtectionMeasure.SAUVEGARDE_JUSTICE, 0.04),
                            (ProtectionMeasure.MANDAT_PROTECTION_FUTURE, 0.04),
                        ),
                    )
                )
                by_family = measure in {
                    ProtectionMeasure.HABILITATION_FAMILIALE,
                    ProtectionMeasure.MANDAT_PROTECTION_FUTURE,
                }
                rows.append(
                    Contact(
                        role=ContactRole.REPRESENTANT_LEGAL,
                        last_name=family_name if by_family else "UDAF du Puy-de-Dôme",
                        first_name=self.first_name("adult", rng.choice("FM")) if by_family else "",
                        relationship="Famille" if by_family else "Mandataire judiciaire",
                        phone=_phone(rng, mobile=by_family),
                        address=_address(rng),
                        protection_measure=measure,
                        protection_until=self.today + datetime.timedelta(days=rng.randint(-200, 1800)),
                    )
                )
        for _ in range(rng.choice((0, 1, 1, 2))):
            relationship, sex = rng.choice((("Petite-fille", "F"), ("Neveu", "M"), ("Frère", "M"), ("Cousine", "F")))
            rows.append(
                Contact(
                    role=rng.choice((ContactRole.FAMILLE, ContactRole.FAMILLE, ContactRole.AIDANT)),
                    last_name=family_name if rng.random() < 0.5 else self.surname(),
                    first_name=self.first_name("adult", sex),
                    relationship=relationship,
                    phone=_phone(rng),
                )
            )
        if rng.random() < 0.25:
            rows.append(
                Contact(
                    role=ContactRole.PROFESSIONNEL_EXTERNE,
                    last_name=self.surname(),
                    first_name=self.first_name("adult", rng.choice("FM")),
                    relationship=rng.choice(EXTERNAL_PROS),
                    phone=_phone(rng, mobile=False),
                    rpps=self.rpps(),
                )
            )
        for contact in rows:
            contact.essms = e.essms
            contact.usager = usager
            self.queue(contact)

    def referents(self, e: _Establishment, usager: Usager, admitted: datetime.date) -> None:
        pool = [user for metier in e.profile.referent_metiers for user in e.staff.get(metier, [])]
        if not pool:
            return
        chosen = self.rng.sample(pool, min(2, len(pool)))
        roles = (ReferentRole.REFERENT, ReferentRole.SUPPLEANT)
        for user, role in zip(chosen, roles, strict=False):
            if role == ReferentRole.SUPPLEANT and self.rng.random() < 0.4:
                continue
            self.queue(
                Referent(
                    essms=e.essms,
                    usager=usager,
                    user=user,
                    role=role,
                    starts_on=self.day_between(admitted, min(admitted + datetime.timedelta(days=60), self.today)),
                )
            )

    def medical(self, e, usager, fate, first_admission, last_day) -> None:
        rng, profile = self.rng, e.profile
        doctor = self.staff_member(e, Metier.MEDECIN_COORDONNATEUR, Metier.MEDECIN, Metier.IDE)
        nurse = self.staff_member(e, Metier.IDE, Metier.CADRE_SANTE)
        common = {"essms": e.essms, "usager": usager}
        closed = self.at(last_day, 18) if fate in {"exited", "abandoned"} else None
        count = rng.randint(2, 6) if profile.generation == "elderly" else rng.randint(1, 3)
        for label, kind in rng.sample(profile.antecedents, min(count, len(profile.antecedents))):
            year = rng.randint(max(usager.birth_date.year, first_admission.year - 40), first_admission.year)
            self.queue(Antecedent(**common, label=label, kind=kind, year=year, created_by=doctor))
        for substance, reaction, severity in rng.sample(ALLERGENS, rng.choices((0, 1, 2), weights=(0.6, 0.3, 0.1))[0]):
            self.queue(Allergy(**common, substance=substance, reaction=reaction, severity=severity, created_by=nurse))
        for line in rng.sample(TREATMENTS, rng.randint(0, 6 if profile.generation == "elderly" else 3)):
            started = self.day_between(first_admission - datetime.timedelta(days=700), last_day)
            ended_at = closed
            if ended_at is None and rng.random() < 0.15:  # stopped since
                ended_at = self.at(self.day_between(started, last_day), 18)
            self.queue(Treatment(**common, line=line, started_on=started, created_by=doctor, ended_at=ended_at))
        if profile.aggir and fate != "abandoned":
            evaluations = 1 + min(3, (last_day - first_admission).days // 365)
            gir = rng.choices(range(1, 7), weights=(0.15, 0.3, 0.2, 0.25, 0.05, 0.05))[0]
            for index in range(evaluations):
                day = min(first_admission + datetime.timedelta(days=365 * index + rng.randint(0, 30)), last_day)
                self.queue(
                    AggirEvaluation(
                        **common,
                        gir=gir,
                        evaluated_on=day,
                        evaluator=f"Dr {doctor.last_name}",
                        created_by=doctor,
                    )
                )
                gir = max(1, gir - (1 if rng.random() < 0.35 else 0))
        if fate != "abandoned":
            for kind, pool, count in (
                (LifeNoteKind.HABITUDES, HABITS, rng.randint(1, 3)),
                (LifeNoteKind.INTERETS, INTERESTS, rng.randint(0, 2)),
            ):
                for topic, text in rng.sample(pool, count):
                    self.queue(LifeNote(**common, kind=kind, topic=topic, text=text, created_by=nurse, ended_at=closed))

    def appointments(self, e, usager, fate, first_admission, last_day) -> None:
        rng, profile = self.rng, e.profile
        if fate in {"waiting", "abandoned"}:
            return
        clerk = self.staff_member(e, Metier.SECRETAIRE_MEDICALE, Metier.ACCUEIL, Metier.IDE)
        moments = []
        past_from = max(first_admission, last_day - datetime.timedelta(days=365))
        for _ in range(rng.randint(0, 4)):
            moments.append(self.day_between(past_from, last_day))
        if fate == "current":
            for _ in range(rng.choices((0, 1, 2), weights=(0.45, 0.4, 0.15))[0]):
                horizon = 7 if rng.random() < 0.6 else 45
                moments.append(self.today + datetime.timedelta(days=rng.randint(0, horizon)))
        for day in moments:
            start = self.at(day, rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
            transport = str(
                _weighted(
                    rng,
                    (
                        (Transport.AUCUN, 0.3),
                        (Transport.VSL, 0.2),
                        (Transport.AMBULANCE, 0.15),
                        (Transport.TAXI, 0.15),
                        (Transport.FAMILLE, 0.1),
                        (Transport.ETABLISSEMENT, 0.1),
                    ),
                )
            )
            title = rng.choice(profile.appointments)
            cancelled = self.at(day - datetime.timedelta(days=2), 9) if rng.random() < 0.05 else None
            self.queue(
                Appointment(
                    essms=e.essms,
                    usager=usager,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=rng.choice((30, 45, 60, 90))),
                    title=title,
                    place=rng.choice(DOCUMENT_SOURCES[:4]) if rng.random() < 0.6 else f"Cabinet du Dr {self.surname()}",
                    practitioner=f"Dr {self.surname()}",
                    transport=transport,
                    transport_booked=transport not in {Transport.AUCUN, Transport.FAMILLE} and rng.random() < 0.8,
                    accompanied_by=rng.choice(("", "", "Famille", "Aide-soignant(e)", "Éducateur(rice)")),
                    notes=rng.choice(("", "", "À jeun", "Apporter la carte Vitale et les derniers résultats")),
                    cancelled_at=cancelled,
                    created_by=clerk,
                )
            )
            if day < self.today and cancelled is None and rng.random() < 0.3:
                self.document(e, usager, "cr_consultation", day, title, f"Dr {self.surname()}")

    def identity_documents(self, e, usager, first_admission) -> None:
        rng = self.rng
        if usager.identity_proof:
            self.document(e, usager, "piece_identite", first_admission, "Pièce d'identité", "Famille")
        codes = rng.sample(COMMON_DOCUMENTS, rng.randint(0, 2)) + rng.sample(e.profile.documents, rng.randint(0, 2))
        for code in codes:
            day = self.day_between(first_admission, self.today)
            self.document(e, usager, code, day, None, rng.choice(DOCUMENT_SOURCES))

    def document(self, e, usager, code, day, title, source, author=None) -> None:
        document_class = self.classes.get(code)
        if document_class is None:
            return
        rng = self.rng
        author = author or self.staff_member(e, Metier.SECRETAIRE_MEDICALE, Metier.ASSISTANT_DIRECTION, Metier.IDE)
        day = min(day, self.today)
        document = Document(
            essms=e.essms,
            usager=usager,
            document_class=document_class,
            title=f"{title or document_class.label} du {day:%d/%m/%Y}",
            document_date=day,
            source=source,
            created_by=author,
        )
        self.queue(document)
        for number in range(1, 3 if rng.random() < 0.12 else 2):
            self.queue(
                DocumentVersion(
                    document=document,
                    number=number,
                    file=self.pdf["name"],
                    original_name=f"{code}-{day:%Y%m%d}{'-v2' if number > 1 else ''}.pdf",
                    mime_type="application/pdf",
                    size=self.pdf["size"],
                    sha256=self.pdf["sha256"],
                    uploaded_by=author,
                )
            )

    def creton(self, e, usager, last_day) -> None:
        adult_on = _add_years(usager.birth_date, 20)
        if adult_on > last_day:
            return
        author = self.staff_member(e, Metier.ASSISTANT_SOCIAL, Metier.DIRECTION)
        decided = adult_on - datetime.timedelta(days=self.rng.randint(30, 120))
        while decided <= last_day:
            self.queue(
                CretonDecision(
                    essms=e.essms,
                    usager=usager,
                    decided_on=decided,
                    valid_until=_add_years(decided, 1),
                    orientation=self.rng.choice(("MAS", "FAM", "Foyer de vie", "ESAT avec foyer d'hébergement")),
                    comment="Dans l'attente d'une place en établissement pour adultes.",
                    created_by=author,
                )
            )
            decided = _add_years(decided, 1)


# --- Transmissions ------------------------------------------------------------------------------

# Per person-year of séjour inside the window: 20 ESSMS × 300 persons × 5 years (plus the people
# who left) hold about 28 000 person-years, so 70 gives about 2 million transmissions.
DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR = 70
TRANSMISSION_BATCH_SIZE = 5000
# Who writes, and how often (weights), among the métiers of the ESSMS.
TRANSMISSION_AUTHORS = (
    (Metier.AIDE_SOIGNANT, 5), (Metier.EDUCATEUR, 5), (Metier.IDE, 3), (Metier.ASH, 1), (Metier.CADRE_SANTE, 0.5),
    (Metier.PSYCHOLOGUE, 0.4), (Metier.MEDECIN_COORDONNATEUR, 0.3), (Metier.MEDECIN, 0.3), (Metier.ANIMATEUR, 0.5),
    (Metier.ERGOTHERAPEUTE, 0.2), (Metier.ENSEIGNANT, 0.5),
)  # fmt: skip
CHILD_ONLY_CIBLES = {"Scolarité", "Apprentissages et autonomie"}
ELDERLY_ONLY_CIBLES = {"Fin de vie", "Contention"}
SEIZURE_CIBLE, FALL_CIBLE = "Crise d'épilepsie", "Chute"
UNIT_NOTE_CIBLE = "Vie de l'unité"

# (données, actions, résultats) per theme: combined at random, so that the texts vary.
DAR_BANK: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "douleur": (
        (
            "Se plaint de douleurs au genou droit à la mobilisation, EVA à 6.",
            "Grimaces lors de la toilette, algoplus à 3.",
            "Douleurs abdominales signalées après le repas de midi.",
            "Céphalées depuis le réveil.",
        ),
        (
            "Antalgique donné selon la prescription, installation au fauteuil avec coussin.",
            "Application de froid sur le genou, repos en chambre.",
            "Appel au médecin traitant, surveillance renforcée.",
        ),
        (
            "EVA à 2 une heure après, se dit soulagé(e).",
            "Douleur persistante, à réévaluer ce soir.",
            "S'est endormi(e) calmement après la prise.",
        ),
    ),
    "mobilite": (
        (
            "Retrouvé(e) au sol au pied du lit vers 3 h, conscient(e).",
            "Marche hésitante dans le couloir, se tient aux rampes.",
            "Refuse d'utiliser le déambulateur.",
            "Chute dans la salle de bain en se levant des toilettes.",
        ),
        (
            "Relevé(e) à deux avec le lève-personne, bilan des constantes, prévenu l'IDE.",
            "Accompagnement à la marche, rappel de l'usage du déambulateur.",
            "Surveillance neurologique toutes les heures, famille prévenue.",
        ),
        (
            "Pas de lésion visible, constantes stables.",
            "Hématome au coude droit, à surveiller.",
            "A accepté le déambulateur pour la fin de journée.",
        ),
    ),
    "sommeil": (
        (
            "Nuit agitée, s'est levé(e) quatre fois.",
            "Difficultés d'endormissement, réclame la lumière.",
            "Déambulation nocturne dans le couloir vers 2 h.",
        ),
        (
            "Réassurance, boisson chaude, raccompagné(e) en chambre.",
            "Veilleuse allumée, porte entrouverte.",
            "Changement de protection et réinstallation.",
        ),
        (
            "Endormi(e) vers minuit jusqu'au matin.",
            "Sommeil de courte durée, fatigue le matin.",
            "Nuit calme après la réassurance.",
        ),
    ),
    "alimentation": (
        (
            "N'a mangé que la moitié de son repas, refuse la viande.",
            "Toux pendant le repas, suspicion de fausse route.",
            "Boit peu malgré les sollicitations, lèvres sèches.",
            "Poids en baisse de 2 kg sur le mois.",
        ),
        (
            "Proposition d'un plat de substitution et d'un complément oral.",
            "Texture mixée, position assise à 90°, eau gélifiée.",
            "Feuille d'hydratation mise en place, verre toutes les heures.",
        ),
        ("A terminé le complément.", "Hydratation à 1 litre sur la journée.", "Repas pris sans difficulté le soir."),
    ),
    "elimination": (
        ("Pas de selles depuis trois jours.", "Urines foncées et malodorantes.", "Incontinence urinaire la nuit."),
        (
            "Hydratation renforcée, information à l'IDE, laxatif selon prescription.",
            "Bandelette urinaire réalisée.",
            "Changes programmés toutes les trois heures.",
        ),
        ("Selles le lendemain matin.", "Bandelette négative.", "Protection sèche au matin."),
    ),
    "comportement": (
        (
            "Agitation en fin d'après-midi, cherche à sortir de l'unité.",
            "Propos agressifs envers un autre résident.",
            "Repli en chambre, refuse de participer au repas collectif.",
            "Crie et tape sur la table pendant l'atelier.",
        ),
        (
            "Entretien au calme, proposition d'une promenade dans le jardin.",
            "Séparation des deux personnes, temps d'apaisement en chambre.",
            "Activité de médiation proposée (musique).",
        ),
        ("Apaisé(e) après la promenade.", "Reste tendu(e), à surveiller ce soir.", "A rejoint le groupe au goûter."),
    ),
    "soins": (
        (
            "Température à 38,4 °C à 16 h.",
            "Rougeur au talon gauche, stade 1.",
            "Refuse la prise du traitement du soir.",
            "Encombrement bronchique, saturation à 93 %.",
            "Crise tonico-clonique d'environ deux minutes.",
        ),
        (
            "Paracétamol selon protocole, hydratation, surveillance de la température.",
            "Mise en décharge du talon, matelas à air, effleurage.",
            "Traitement reproposé une heure plus tard.",
            "Position latérale de sécurité, chronométrage, appel de l'IDE.",
        ),
        (
            "Température à 37,6 °C à 20 h.",
            "Rougeur disparue à la levée de pression.",
            "Traitement pris.",
            "Récupération en vingt minutes, somnolent(e) ensuite.",
        ),
    ),
    "hygiene": (
        (
            "Refuse la douche ce matin.",
            "Peau sèche au niveau des jambes.",
            "Toilette faite au lavabo avec aide partielle.",
        ),
        (
            "Toilette reportée à l'après-midi, respect du refus.",
            "Application de crème hydratante.",
            "Stimulation à faire seul(e) le haut du corps.",
        ),
        ("Douche acceptée à 15 h.", "Peau mieux hydratée.", "A participé à sa toilette."),
    ),
    "vie_sociale": (
        ("A participé à l'atelier chant.", "Sortie au marché avec le groupe.", "Ne souhaite pas aller à l'activité."),
        (
            "Accompagnement et installation près de ses amis.",
            "Proposition d'une activité individuelle.",
            "Valorisation de sa participation.",
        ),
        ("Souriant(e) et détendu(e) au retour.", "A apprécié la sortie.", "Est resté(e) jusqu'à la fin."),
    ),
    "famille": (
        (
            "Visite de sa fille cet après-midi.",
            "Appel du fils inquiet de la perte de poids.",
            "Tristesse après le départ de son épouse.",
        ),
        (
            "Échange avec la famille sur le projet personnalisé.",
            "Information donnée, rendez-vous proposé avec l'IDE.",
            "Temps d'écoute et de réassurance.",
        ),
        ("Famille rassurée.", "Rendez-vous fixé la semaine prochaine.", "Apaisé(e) au dîner."),
    ),
    "educatif": (
        (
            "Difficultés de concentration en classe ce matin.",
            "A réussi à préparer son sac seul(e).",
            "Opposition aux consignes pendant l'atelier.",
        ),
        (
            "Séquences courtes, pictogrammes de la journée.",
            "Valorisation et renforcement positif.",
            "Reprise individuelle des consignes.",
        ),
        ("A terminé l'exercice.", "Autonomie acquise pour cette étape.", "Reste à retravailler demain."),
    ),
    "administratif": (
        ("Dossier MDPH à renouveler avant la fin du mois.", "Carte Vitale à mettre à jour."),
        ("Prise de contact avec l'assistante sociale.", "Courrier envoyé au représentant légal."),
        ("Dossier complet transmis.", "En attente de la réponse."),
    ),
}
NARRATIVES = (
    "Journée calme, a bien participé aux activités et pris ses repas en salle à manger.",
    "Humeur joyeuse ce matin, a beaucoup parlé de sa famille pendant la toilette.",
    "Se plaint d'être fatigué(e), a fait une sieste prolongée après le déjeuner.",
    "Visite du kinésithérapeute : séance de marche dans le couloir, bonne participation.",
    "Rendez-vous chez le dentiste reporté, la famille est prévenue.",
    "A refusé le goûter mais a bien bu dans l'après-midi.",
    "Soirée paisible devant la télévision avec les autres résidents.",
    "Inquiet(e) au sujet de son argent de poche, rassuré(e) par l'éducateur.",
    "Nouvelle paire de lunettes livrée, essayage fait, à réajuster chez l'opticien.",
    "Participation à l'atelier cuisine, a préparé la pâte à crêpes avec plaisir.",
    "Appel de la tutelle pour le renouvellement de la mesure de protection.",
    "Bonne nuit, réveil spontané à 7 h, petit déjeuner pris en chambre.",
)
UNIT_NOTES = (
    "Travaux dans la salle de bain commune : douches au 2e étage jusqu'à vendredi.",
    "Sortie au parc prévue demain après-midi, prévoir les fauteuils roulants.",
    "Épisode de gastro-entérite dans l'unité : précautions contact renforcées.",
    "Livraison de pharmacie arrivée, piluliers préparés pour la semaine.",
    "Fête d'anniversaire du mois au goûter, prévenir les familles.",
    "Ascenseur en panne, technicien appelé ; repas servis en étage.",
    "Nouveau protocole d'hydratation affiché dans l'office.",
    "Réunion d'équipe jeudi à 14 h : projets personnalisés à revoir.",
)
EVENT_PLACES = ("Chambre", "Salle de bain", "Couloir", "Salle à manger", "Jardin", "Salle d'activités")
SEIZURE_TYPES = ("Tonico-clonique généralisée", "Absence", "Partielle complexe", "Myoclonique")


class TransmissionGenerator:
    """Transmissions, events and read receipts of one ESSMS, drawn from its placements.

    Uses its own random stream (from the seed) so that the dossiers are the same with or without
    transmissions. Rows are written with PostgreSQL's COPY (bulk_create elsewhere), with ids
    reserved beforehand so that versions, events and receipts can point at their transmission.
    """

    def __init__(self, parent: "Generator", *, rng: random.Random, per_person_year: float):
        self.parent = parent
        self.rng = rng
        self.per_person_year = per_person_year
        self.search_cache: dict[tuple, str] = {}
        self.cibles: dict[int, list[tuple[int, str, str]]] = {}

    # -- catalogue --

    def catalogue(self, og: OrganismeGestionnaire) -> list[tuple[int, str, str]]:
        if og.pk not in self.cibles:
            from transmissions.models import Cible

            try:
                from transmissions.services.cibles import cibles_fill_defaults
            except ImportError:  # pragma: no cover (older layouts)
                cibles_fill_defaults = None
            if cibles_fill_defaults is not None:
                cibles_fill_defaults(og=og)
            if not Cible.objects.filter(og=og).exists():
                Cible.objects.bulk_create(
                    [Cible(og=og, label=label, theme=theme) for label, theme in (("Douleur", "douleur"),
                     ("Chute", "mobilite"), ("Sommeil", "sommeil"), ("Alimentation", "alimentation"))]
                )  # fmt: skip
            self.cibles[og.pk] = list(
                Cible.objects.filter(og=og, is_active=True).order_by("label").values_list("pk", "label", "theme")
            )
        return self.cibles[og.pk]

    # -- writing --

    def reserve_ids(self, model, count: int) -> int:
        """The first of `count` consecutive ids nobody else will get."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
                return cursor.fetchone()[0] - count + 1
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            return cursor.fetchone()[0] + 1

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(model._meta.db_table)
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            for start in range(0, len(rows), TRANSMISSION_BATCH_SIZE):
                objects = [model(**dict(zip(columns, row, strict=True))) for row in rows[start : start + 5000]]
                model.objects.bulk_create(objects, batch_size=_batch_size(model, TRANSMISSION_BATCH_SIZE))
        stat = self.parent.report.tables.setdefault(model.__name__, TableStat())
        stat.rows += len(rows)
        stat.seconds += time.perf_counter() - started

    def search_text(self, *parts: str) -> str:
        key = parts
        text = self.search_cache.get(key)
        if text is None:
            text = self.search_cache[key] = search_key(*parts)
        return text

    # -- one ESSMS --

    def authors(self, e: _Establishment) -> list[tuple[int, str]]:
        pool = []
        for metier, weight in TRANSMISSION_AUTHORS:
            for user in e.staff.get(metier, []):
                pool.extend([(user.pk, str(metier))] * max(1, round(weight * 2)))
        return pool or [(self.parent.staff_member(e, Metier.DIRECTION).pk, str(Metier.DIRECTION))]

    def run(self, e: _Establishment, placements: list[Placement]) -> None:
        from transmissions.models import Event, EventKind, ReadReceipt, Transmission
        from transmissions.visibility import MEDICAL_TEAM

        rng, parent = self.rng, self.parent
        today, window_start = parent.today, parent.window_start
        now = min(timezone.now(), parent.at(today, 23, 59))
        cibles = [
            c
            for c in self.catalogue(e.essms.og)
            if not (c[1] in CHILD_ONLY_CIBLES and e.profile.generation != "child")
            and not (c[1] in ELDERLY_ONLY_CIBLES and e.profile.generation != "elderly")
            and not (c[1] == SEIZURE_CIBLE and e.profile.generation == "elderly")
        ]
        authors = self.authors(e)
        medical = {str(m) for m in MEDICAL_TEAM}
        essms_id = e.essms.pk

        drafts = []  # (usager_id, unit_id, observed_at, cible or None, note)
        for placement in placements:
            first = max(placement.starts_on, window_start)
            last = min(placement.ends_on or today, today)
            days = (last - first).days + 1
            if days <= 0:
                continue
            count = int(self.per_person_year * days / 365.25 + rng.random())
            base = parent.at(first, 0)
            span = days * 86400
            for _ in range(count):
                # Mostly during the day shift, some at night.
                seconds = rng.randrange(span)
                observed = base + datetime.timedelta(seconds=seconds)
                if observed > now:
                    observed = now - datetime.timedelta(minutes=rng.randint(1, 600))
                drafts.append(
                    (placement.usager.pk, placement.unit.pk, observed, rng.choice(cibles) if cibles else None)
                )
        unit_drafts = []
        unit_cible = next((c for c in cibles if c[1] == "Activité"), None)
        for unit in e.units:
            for _ in range(round((today - window_start).days / 3)):
                observed = parent.at(parent.day_between(window_start, today), rng.randint(7, 20), rng.randint(0, 59))
                unit_drafts.append((None, unit.pk, min(observed, now), unit_cible))
        drafts.extend(unit_drafts)
        drafts.sort(key=lambda d: d[2])  # ids follow the observation order, as in real life
        corrections = [i for i in range(len(drafts)) if rng.random() < 0.01]
        first_id = self.reserve_ids(Transmission, len(drafts) + len(corrections))
        columns = (
            "id", "essms_id", "usager_id", "unit_id", "cible_id", "free_cible", "theme", "donnees", "actions",
            "resultats", "narrative", "observed_at", "written_at", "author_id", "author_metier", "visibility",
            "family_visible", "original_id", "version", "is_current", "search_text",
        )  # fmt: skip
        rows, events, versions = [], [], []
        seizure_kinds = {SEIZURE_CIBLE: EventKind.EPILEPSIE, FALL_CIBLE: EventKind.CHUTE}
        corrected = set(corrections)
        for index, (usager_id, unit_id, observed, cible) in enumerate(drafts):
            pk = first_id + index
            author_id, metier = rng.choice(authors)
            label = cible[1] if cible else UNIT_NOTE_CIBLE
            theme = cible[2] if cible else "autre"
            donnees = actions = resultats = narrative = ""
            if usager_id is None:
                narrative = rng.choice(UNIT_NOTES)
            elif theme in DAR_BANK and rng.random() < 0.7:
                d, a, r = DAR_BANK[theme]
                donnees, actions = rng.choice(d), rng.choice(a)
                resultats = rng.choice(r) if rng.random() < 0.85 else ""
            else:
                narrative = rng.choice(NARRATIVES)
            draw = rng.random()
            if metier in medical and draw < 0.12:
                visibility = "medical"
            elif draw < 0.6:
                visibility = "care"
            else:
                visibility = "all"
            written = min(observed + datetime.timedelta(minutes=rng.randint(0, 120)), now)
            family = visibility == "all" and usager_id is not None and rng.random() < 0.1
            row = [
                pk, essms_id, usager_id, unit_id, cible[0] if cible else None, "" if cible else UNIT_NOTE_CIBLE, theme,
                donnees, actions, resultats, narrative, observed, written, author_id, metier, visibility, family,
                None, 1, index not in corrected,
                self.search_text(label, donnees, actions, resultats, narrative),
            ]  # fmt: skip
            rows.append(row)
            kind = seizure_kinds.get(label) if usager_id is not None else None
            if kind and rng.random() < 0.6:
                events.append(self.event(essms_id, usager_id, pk, kind, observed, author_id))
        for offset, index in enumerate(corrections):
            v1 = rows[index]
            v2 = list(v1)
            v2[0] = first_id + len(drafts) + offset
            v2[12] = min(v1[12] + datetime.timedelta(hours=rng.randint(1, 30)), now)
            if v2[7] or v2[8]:
                v2[9] = (v2[9] + " " if v2[9] else "") + "Réévaluation faite, situation stable."
            else:
                v2[10] = v2[10] + " Précision apportée après relecture."
            v2[17], v2[18], v2[19] = v1[0], 2, True
            label = next((c[1] for c in cibles if c[0] == v1[4]), v1[5])
            v2[20] = self.search_text(label, v2[7], v2[8], v2[9], v2[10])
            versions.append(v2)
        self.write(Transmission, columns, [tuple(r) for r in rows] + [tuple(r) for r in versions])
        if events:
            event_columns = (
                "essms_id", "usager_id", "transmission_id", "kind", "occurred_at", "duration_seconds",
                "seizure_type", "place", "circumstances", "consequences", "treatment_given", "severity",
                "created_by_id",
            )  # fmt: skip
            self.write(Event, event_columns, events)
        self.receipts(e, rows, versions, ReadReceipt, now)

    def event(self, essms_id, usager_id, transmission_id, kind, observed, author_id) -> tuple:
        rng = self.rng
        if kind == "epilepsie":
            return (
                essms_id, usager_id, transmission_id, kind, observed, rng.randint(20, 300),
                rng.choice(SEIZURE_TYPES), rng.choice(EVENT_PLACES), "", "Somnolence après la crise",
                rng.choice(("", "", "Midazolam buccal 10 mg")), rng.choice(("faible", "moyenne", "grave")), author_id,
            )  # fmt: skip
        return (
            essms_id, usager_id, transmission_id, kind, observed, None, "", rng.choice(EVENT_PLACES),
            rng.choice(("En se levant seul(e) la nuit", "En marchant sans aide technique", "Glissade sur sol mouillé")),
            rng.choice(("Aucune lésion", "Hématome", "Douleur à la hanche, radio demandée")), "",
            rng.choice(("faible", "faible", "moyenne", "grave")), author_id,
        )  # fmt: skip

    def receipts(self, e, rows, versions, model, now) -> None:
        """The first IDE and aide-soignant(e) (the benchmark's users) read most of the last month."""
        readers = [*e.staff.get(Metier.IDE, [])[:2], *e.staff.get(Metier.AIDE_SOIGNANT, [])[:1]]
        since = now - datetime.timedelta(days=30)
        unread_after = now - datetime.timedelta(hours=12)
        current = [r for r in rows if r[19]] + versions
        recent = [r for r in current if since <= r[11] < unread_after]
        receipts = [
            (user.pk, row[0], e.essms.pk, min(row[12] + datetime.timedelta(hours=self.rng.randint(1, 48)), now))
            for user in dict.fromkeys(readers)
            for row in recent
            if self.rng.random() < 0.9
        ]
        self.write(model, ("user_id", "transmission_id", "essms_id", "read_at"), receipts)


def database_is_empty() -> tuple[bool, str]:
    essms, usagers = Essms.objects.count(), Usager.objects.count()
    if essms or usagers:
        return False, f"{essms} ESSMS et {usagers} usagers"
    return True, ""


def generate(
    *,
    essms: int,
    persons: int,
    years: int,
    seed: int,
    append: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
    transmissions_per_person_year: float = DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR,
) -> Report:
    """Write the whole data set in one transaction; refuse a non-empty database unless `append`."""
    started = time.perf_counter()
    with transaction.atomic():
        empty, content = database_is_empty()
        if not empty and not append:
            raise ScaleDataRefusedError(content)
        generator = Generator(
            essms_count=essms,
            persons=persons,
            years=years,
            seed=seed,
            batch_size=batch_size,
            today=today,
            progress=progress,
            transmissions_per_person_year=transmissions_per_person_year,
        )
        report = generator.run()
        _generate_care(report, seed=seed, today=generator.today, progress=progress)
    # Including the commit, where PostgreSQL checks the deferred foreign keys of every row.
    report.seconds = time.perf_counter() - started
    analyse_tables(report)
    return report


def _generate_care(report: Report, *, seed: int, today: datetime.date, progress) -> None:
    """The plan de soins of everyone present, and the worklist rows of the days around today."""
    from ppa.scale_data import generate_care

    started = time.perf_counter()
    care = generate_care(seed=seed, today=today, progress=progress)
    elapsed = time.perf_counter() - started
    report.tables["CarePlanItem"] = TableStat(rows=care.plan_items, seconds=elapsed / 2)
    report.tables["CareOccurrence"] = TableStat(rows=care.occurrences, seconds=elapsed / 2)


ANALYSED_MODELS = (
    OrganismeGestionnaire, Essms, Unit, User, Membership, Usager, *Generator.FLUSH_ORDER[1:],
)  # fmt: skip


def analyse_tables(report: Report) -> None:
    """Refresh the planner statistics of the tables written (PostgreSQL): right after a bulk load
    they still describe empty tables, and every plan would be chosen as if they were."""
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        from transmissions.models import Cible, Event, ReadReceipt, Transmission

        for model in (*ANALYSED_MODELS, Cible, Transmission, Event, ReadReceipt):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    report.analyse_seconds = time.perf_counter() - started
