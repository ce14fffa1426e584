"""Scale data: the establishment profiles (kinds, units, modalities, stays, staff, antecedents,
appointments, documents), the kinds' cycle and the organismes' names."""

from dataclasses import dataclass

from dui.models import AbsenceKind, Essms, EssmsKind, ExitReason, Metier, Modality, Unit, User

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


@dataclass
class _Establishment:
    essms: Essms
    profile: Profile
    units: list[Unit]
    staff: dict[str, list[User]]
    persons: int
