"""The catalogue of document classes and the default habilitation matrix.

Each dossier section and document kind belongs to one class; the per-OG matrix
métier × class × {read, write, validate} starts from the defaults below and is then
edited by the OG administrator.
"""

from dataclasses import dataclass

from dui.models.people import Metier

READ, WRITE, VALIDATE = "read", "write", "validate"
ACTIONS = (READ, WRITE, VALIDATE)


class Tier:
    ADMIN = "administratif"
    SOCIAL = "social"
    LIFE = "vie"
    PROJECT = "projet"
    CARE = "soins"
    MEDICAL = "medical"
    GOVERNANCE = "gouvernance"
    ACTS = "actes"


TIER_LABELS = {
    Tier.ADMIN: "Administratif",
    Tier.SOCIAL: "Social",
    Tier.LIFE: "Vie quotidienne",
    Tier.PROJECT: "Projet personnalisé et bilans",
    Tier.CARE: "Soins",
    Tier.MEDICAL: "Médical",
    Tier.GOVERNANCE: "Gouvernance",
    Tier.ACTS: "Actes réservés",
}


@dataclass(frozen=True)
class ClassSpec:
    code: str
    label: str
    tier: str
    holds_personal_data: bool = True


DOCUMENT_CLASSES: tuple[ClassSpec, ...] = (
    # Administratif
    ClassSpec("identite", "Identité et état civil (INS)", Tier.ADMIN),
    ClassSpec("coordonnees", "Adresse et coordonnées", Tier.ADMIN),
    ClassSpec("photo", "Photo d'identification", Tier.ADMIN),
    ClassSpec("sejours", "Séjours, unités et présences", Tier.ADMIN),
    ClassSpec("entourage", "Entourage, personne de confiance, contacts", Tier.ADMIN),
    ClassSpec("referents", "Référent et suppléant", Tier.ADMIN),
    ClassSpec("pre_admission", "Dossier de pré-admission", Tier.ADMIN),
    ClassSpec("contrat_sejour", "Contrat de séjour / DIPC", Tier.ADMIN),
    ClassSpec("attestation_hebergement", "Attestation d'hébergement", Tier.ADMIN),
    ClassSpec("piece_identite", "Pièce d'identité et justificatifs", Tier.ADMIN),
    ClassSpec("droits_assurance", "Carte Vitale, attestation de droits, mutuelle", Tier.ADMIN),
    ClassSpec("financement", "Financement et facturation", Tier.ADMIN),
    ClassSpec("consentements", "Consentements et oppositions (DMP, partage)", Tier.ADMIN),
    ClassSpec("demandes_admission", "Demandes d'admission et liste d'attente", Tier.ADMIN),
    ClassSpec("portail_famille", "Portail usager / famille (consentement, invitations, messages)", Tier.ADMIN),
    # Social
    ClassSpec("protection_juridique", "Mesure de protection juridique", Tier.SOCIAL),
    ClassSpec("aides_sociales", "Aides sociales et démarches", Tier.SOCIAL),
    ClassSpec("notifications_mdph", "Notifications MDPH / CDAPH", Tier.SOCIAL),
    ClassSpec("amendement_creton", "Suivi Amendement Creton", Tier.SOCIAL),
    ClassSpec("evaluation_sociale", "Évaluation et rapport social", Tier.SOCIAL),
    # Vie quotidienne
    ClassSpec("habitudes_vie", "Habitudes de vie", Tier.LIFE),
    ClassSpec("centres_interet", "Centres d'intérêt", Tier.LIFE),
    ClassSpec("emploi_du_temps", "Emploi du temps", Tier.LIFE),
    ClassSpec("activites", "Activités et participation", Tier.LIFE),
    ClassSpec("programme_activites", "Programme des activités (catalogue et séances)", Tier.LIFE, False),
    ClassSpec("satisfaction", "Satisfaction et expression", Tier.LIFE),
    # Projet personnalisé et bilans
    ClassSpec("ppa", "Projet personnalisé (PPA / PIA)", Tier.PROJECT),
    ClassSpec("besoins_prestations", "Besoins et prestations (SERAFIN-PH)", Tier.PROJECT),
    ClassSpec("grille_evaluation_ms", "Grille d'évaluation médico-sociale", Tier.PROJECT),
    ClassSpec("bilan_educatif", "Bilan éducatif", Tier.PROJECT),
    ClassSpec("projet_scolarisation", "Projet de scolarisation (PPS)", Tier.PROJECT),
    ClassSpec("bilan_ergotherapie", "Bilan d'ergothérapie", Tier.PROJECT),
    ClassSpec("bilan_psychomotricite", "Bilan de psychomotricité", Tier.PROJECT),
    ClassSpec("bilan_apa", "Bilan d'activité physique adaptée", Tier.PROJECT),
    ClassSpec("bilan_orthophonie", "Bilan d'orthophonie", Tier.PROJECT),
    # Soins
    ClassSpec("transmissions", "Transmissions ciblées", Tier.CARE),
    ClassSpec("evenements", "Événements (chutes, crises, incidents)", Tier.CARE),
    ClassSpec("plan_soins", "Plan de soins et validations", Tier.CARE),
    ClassSpec("administration_medicaments", "Administration des médicaments", Tier.CARE),
    ClassSpec("aide_prise_medicaments", "Aide à la prise des médicaments (CASF L.313-26)", Tier.CARE),
    ClassSpec("constantes", "Constantes et surveillances", Tier.CARE),
    ClassSpec("evaluation_douleur", "Évaluations de la douleur", Tier.CARE),
    ClassSpec("pansements", "Pansements et plaies", Tier.CARE),
    ClassSpec("contention", "Contention", Tier.CARE),
    ClassSpec("allergies", "Allergies et intolérances", Tier.CARE),
    ClassSpec("regime_alimentaire", "Régime et textures alimentaires", Tier.CARE),
    ClassSpec("aggir", "Évaluation AGGIR (GIR)", Tier.CARE),
    ClassSpec("rendez_vous", "Rendez-vous et transports", Tier.CARE),
    ClassSpec("dlu", "Dossier de liaison d'urgence (DLU)", Tier.CARE),
    ClassSpec("dossier_dlu", "Informations d'urgence (DLU) du dossier", Tier.CARE),
    ClassSpec("fiche_liaison_urgence", "Fiche de liaison d'urgence", Tier.CARE),
    # Médical
    ClassSpec("antecedents", "Antécédents", Tier.MEDICAL),
    ClassSpec("traitements", "Traitements en cours", Tier.MEDICAL),
    ClassSpec("prescriptions", "Prescriptions médicales", Tier.MEDICAL),
    ClassSpec("ordonnances", "Ordonnances", Tier.MEDICAL),
    ClassSpec("cr_hospitalisation", "Compte rendu d'hospitalisation", Tier.MEDICAL),
    ClassSpec("cr_consultation", "Compte rendu de consultation", Tier.MEDICAL),
    ClassSpec("cr_biologie", "Compte rendu de biologie", Tier.MEDICAL),
    ClassSpec("imagerie", "Compte rendu d'imagerie", Tier.MEDICAL),
    ClassSpec("lettre_liaison", "Lettre de liaison", Tier.MEDICAL),
    ClassSpec("volet_synthese_medicale", "Volet de synthèse médicale (VSM)", Tier.MEDICAL),
    ClassSpec("directives_anticipees", "Directives anticipées", Tier.MEDICAL),
    ClassSpec("soins_palliatifs", "Soins palliatifs", Tier.MEDICAL),
    ClassSpec("vaccinations", "Vaccinations", Tier.MEDICAL),
    ClassSpec("certificat_medical", "Certificats médicaux", Tier.MEDICAL),
    ClassSpec("bilan_psychologique", "Bilan psychologique", Tier.MEDICAL),
    ClassSpec("coupe_pathos", "Coupe PATHOS", Tier.MEDICAL),
    ClassSpec("avis_admission", "Avis médical d'admission", Tier.MEDICAL),
    # Gouvernance
    ClassSpec("journal_acces", "Journal des accès", Tier.GOVERNANCE),
    ClassSpec("habilitations", "Matrice d'habilitation", Tier.GOVERNANCE, holds_personal_data=False),
    ClassSpec("identitovigilance", "Identitovigilance (doublons, fusions)", Tier.GOVERNANCE),
    ClassSpec(
        "parametrage_catalogues", "Paramétrage des catalogues (cibles, événements, grilles)", Tier.GOVERNANCE, False
    ),
    ClassSpec("notes_de_service", "Notes de service", Tier.GOVERNANCE, False),
    ClassSpec("gestion_demandes_techniques", "Suivi de toutes les demandes techniques", Tier.GOVERNANCE, False),
    ClassSpec("tableaux_de_bord", "Tableaux de bord de l'établissement (pilotage)", Tier.GOVERNANCE, False),
    ClassSpec("pilotage_siege", "Tableaux de bord du siège et rapports annuels", Tier.GOVERNANCE, False),
    ClassSpec("plan_continuite", "Plan de continuité (mode dégradé) : packs des unités", Tier.GOVERNANCE),
    # Actes réservés: rights that are not a section of the dossier (no rights by default).
    ClassSpec("prescription_medicale", "Prescrire, valider et arrêter une ligne de prescription", Tier.ACTS, False),
    ClassSpec("prescription_malgre_allergie", "Prescrire malgré une allergie connue", Tier.ACTS, False),
    ClassSpec("intervention_pharmaceutique", "Intervention pharmaceutique", Tier.ACTS, False),
    ClassSpec("prise_si_besoin", "Donner une prise « si besoin »", Tier.ACTS, False),
    ClassSpec("transmissions_equipe_soignante", "Transmissions réservées à l'équipe soignante", Tier.ACTS, False),
    ClassSpec("transmissions_medicales", "Transmissions réservées à l'équipe médicale", Tier.ACTS, False),
)

CLASS_BY_CODE = {spec.code: spec for spec in DOCUMENT_CLASSES}

_TIER_ORDER = (Tier.ADMIN, Tier.SOCIAL, Tier.LIFE, Tier.PROJECT, Tier.CARE, Tier.MEDICAL)

# Rights per tier, in the order of _TIER_ORDER: "r" read, "w" write, "v" validate.
_TIER_DEFAULTS: dict[str, tuple[str, ...]] = {
    Metier.DIRECTION: ("rwv", "rw", "r", "rv", "r", ""),
    Metier.CADRE_SANTE: ("rw", "r", "rw", "rwv", "rwv", "r"),
    Metier.MEDECIN_COORDONNATEUR: ("r", "r", "r", "rw", "rwv", "rwv"),
    Metier.MEDECIN: ("r", "r", "r", "rw", "rwv", "rwv"),
    Metier.IDE: ("r", "r", "rw", "rw", "rwv", "rw"),
    Metier.AIDE_SOIGNANT: ("r", "", "rw", "r", "rw", ""),
    Metier.AES: ("r", "", "rw", "r", "rw", ""),
    Metier.ASH: ("r", "", "r", "", "r", ""),
    Metier.EDUCATEUR: ("r", "r", "rw", "rw", "rw", ""),
    Metier.ENSEIGNANT: ("r", "", "r", "rw", "", ""),
    Metier.PSYCHOLOGUE: ("r", "r", "rw", "rw", "rw", "r"),
    Metier.ERGOTHERAPEUTE: ("r", "", "rw", "rw", "rw", ""),
    Metier.APA: ("r", "", "rw", "rw", "r", ""),
    Metier.DIETETICIEN: ("r", "", "rw", "rw", "rw", ""),
    Metier.ANIMATEUR: ("r", "", "rw", "r", "", ""),
    Metier.PHARMACIEN: ("r", "", "", "", "r", "rw"),
    Metier.SECRETAIRE_MEDICALE: ("rw", "r", "", "r", "r", "rw"),
    Metier.ASSISTANT_SOCIAL: ("rw", "rwv", "r", "rw", "", ""),
    Metier.ASSISTANT_DIRECTION: ("rw", "r", "", "", "", ""),
    Metier.ACCUEIL: ("rw", "", "", "", "", ""),
    Metier.QUALITE: ("r", "", "r", "r", "r", ""),
    Metier.TECHNIQUE: ("", "", "", "", "", ""),
    Metier.DPO: ("r", "", "", "", "", ""),
    Metier.ADMINISTRATEUR: ("r", "", "", "", "", ""),
    Metier.PARTENAIRE: ("rw", "", "", "", "", ""),
}

# Who gives a dose: "write" on administration_medicaments (an act of the IDE, or of the médecins and
# cadre de santé); a dose the prescription marks "aide à la prise" (CASF L.313-26) is of the class
# aide_prise_medicaments, which AS and AES may also write. The other métiers keep their tier's read.
_GIVERS = {m: "rwv" for m in (Metier.IDE, Metier.CADRE_SANTE, Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR)}
_READ_ONLY_CARE = {
    m: ("r" if "r" in rights[4] else "")
    for m, rights in _TIER_DEFAULTS.items()
    if "w" in rights[4] and m not in _GIVERS
}

_DOCTORS = (Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR)
_MEDICAL_TEAM = (*_DOCTORS, Metier.IDE, Metier.CADRE_SANTE, Metier.PHARMACIEN)
_CARE_TEAM = (
    *_MEDICAL_TEAM,
    Metier.AIDE_SOIGNANT,
    Metier.ASH,
    Metier.EDUCATEUR,
    Metier.PSYCHOLOGUE,
    Metier.ERGOTHERAPEUTE,
    Metier.APA,
    Metier.DIETETICIEN,
)


def _only(metiers, rights: str) -> dict[str, str]:
    return {metier: rights for metier in metiers}


# Who reads the establishment's figures: steering, secretariat, therapists and animation.
_DASHBOARD_READERS = (
    Metier.DIRECTION, Metier.CADRE_SANTE, Metier.QUALITE, Metier.MEDECIN_COORDONNATEUR, Metier.ADMINISTRATEUR,
    Metier.PARTENAIRE, Metier.SECRETAIRE_MEDICALE, Metier.ERGOTHERAPEUTE, Metier.PSYCHOLOGUE, Metier.APA,
    Metier.DIETETICIEN, Metier.ANIMATEUR,
)  # fmt: skip
# The activity programme: read by the teams, written by those who run activities.
_ACTIVITY_RUNNERS = (
    Metier.ANIMATEUR, Metier.AES, Metier.EDUCATEUR, Metier.CADRE_SANTE, Metier.ERGOTHERAPEUTE, Metier.APA,
)  # fmt: skip
_PROGRAMME_RIGHTS = {
    **{metier: "r" for metier in Metier.values if metier not in (Metier.TECHNIQUE, Metier.PARTENAIRE)},
    **_only(_ACTIVITY_RUNNERS, "rw"),
}


# Admission requests: handled by the secretariat and the steering team, read by the IDE; nobody else.
_ADMISSION_RIGHTS = {
    **{metier: "" for metier in Metier.values},
    **_only((Metier.SECRETAIRE_MEDICALE, Metier.DIRECTION, Metier.CADRE_SANTE, Metier.MEDECIN_COORDONNATEUR), "rw"),
    Metier.IDE: "r",
}
# The médecin coordonnateur's opinion on a request, read by the steering team; the medical secretariat
# (medical tier "rw" by default) files it into the pré-admission dossier it creates, so it also writes
# the class (the matrix has no write without read); giving the opinion needs "validate": the médecin's act.
_OPINION_RIGHTS = {
    **{metier: "" for metier in Metier.values},
    Metier.MEDECIN_COORDONNATEUR: "rwv",
    Metier.DIRECTION: "r",
    Metier.CADRE_SANTE: "r",
    Metier.SECRETAIRE_MEDICALE: "rw",
}


# The portal: the team that follows the person day to day invites, shares and answers; others read.
_PORTAL_WRITERS = (Metier.DIRECTION, Metier.CADRE_SANTE, Metier.SECRETAIRE_MEDICALE, Metier.IDE, Metier.EDUCATEUR)
_PORTAL_RIGHTS = {
    **{metier: "" for metier in Metier.values},
    **_only((Metier.MEDECIN_COORDONNATEUR, Metier.ASSISTANT_SOCIAL, Metier.PSYCHOLOGUE), "r"),
    **_only(_PORTAL_WRITERS, "rw"),
}

# Per-class exceptions to the tier defaults.
_CLASS_OVERRIDES: dict[str, dict[str, str]] = {
    "administration_medicaments": _READ_ONLY_CARE | _GIVERS,
    "aide_prise_medicaments": _READ_ONLY_CARE | _GIVERS | {Metier.AIDE_SOIGNANT: "rw", Metier.AES: "rw"},
    "rendez_vous": {Metier.SECRETAIRE_MEDICALE: "rw", Metier.ACCUEIL: "r", Metier.ASSISTANT_DIRECTION: "r"},
    "allergies": {Metier.ANIMATEUR: "r", Metier.ENSEIGNANT: "r", Metier.APA: "r"},
    "regime_alimentaire": {Metier.ANIMATEUR: "r", Metier.ENSEIGNANT: "r"},
    "contention": {Metier.CADRE_SANTE: "rw", Metier.IDE: "rw"},
    "prescriptions": {Metier.IDE: "r", Metier.SECRETAIRE_MEDICALE: "r"},
    "soins_palliatifs": {Metier.AIDE_SOIGNANT: "r"},
    "dlu": {Metier.AIDE_SOIGNANT: "r", Metier.EDUCATEUR: "r"},
    "dossier_dlu": {Metier.AIDE_SOIGNANT: "r", Metier.EDUCATEUR: "r"},
    "identite": {Metier.TECHNIQUE: "", Metier.SECRETAIRE_MEDICALE: "rwv", Metier.ACCUEIL: "rwv"},
    "journal_acces": {Metier.DIRECTION: "r", Metier.DPO: "r", Metier.ADMINISTRATEUR: "r"},
    "habilitations": {Metier.ADMINISTRATEUR: "rwv", Metier.DIRECTION: "r", Metier.DPO: "r"},
    "identitovigilance": {
        Metier.DIRECTION: "rwv",
        Metier.SECRETAIRE_MEDICALE: "rw",
        Metier.ACCUEIL: "rw",
        Metier.QUALITE: "r",
    },
    "parametrage_catalogues": _only((Metier.DIRECTION, Metier.CADRE_SANTE, Metier.ADMINISTRATEUR), "rw"),
    "notes_de_service": _only(
        (Metier.DIRECTION, Metier.CADRE_SANTE, Metier.QUALITE, Metier.ADMINISTRATEUR, Metier.ASSISTANT_DIRECTION), "rw"
    ),
    "gestion_demandes_techniques": _only(
        (Metier.TECHNIQUE, Metier.DIRECTION, Metier.CADRE_SANTE, Metier.ADMINISTRATEUR), "rw"
    ),
    # Figures carry no personal data; the persons behind one are read under their own class.
    "tableaux_de_bord": _only(_DASHBOARD_READERS, "r"),
    "pilotage_siege": _only((Metier.DIRECTION, Metier.QUALITE, Metier.ADMINISTRATEUR), "rw"),
    "programme_activites": _PROGRAMME_RIGHTS,
    "demandes_admission": _ADMISSION_RIGHTS,
    "avis_admission": _OPINION_RIGHTS,
    # The unit's continuity pack (everything the night needs when the DUI is down): read (download) by the
    # care management and the nurses, the night IDE included; generated on demand by the cadre and IDE.
    "plan_continuite": {
        Metier.CADRE_SANTE: "rw",
        Metier.IDE: "rw",
        Metier.DIRECTION: "r",
        Metier.MEDECIN_COORDONNATEUR: "r",
    },
    "portail_famille": _PORTAL_RIGHTS,
    "activites": _only(_ACTIVITY_RUNNERS, "rw"),
    "prescription_medicale": _only(_DOCTORS, "rwv"),
    "prescription_malgre_allergie": _only(_DOCTORS, "rw"),
    "intervention_pharmaceutique": _only((Metier.PHARMACIEN,), "rw"),
    "prise_si_besoin": _only((*_DOCTORS, Metier.IDE, Metier.CADRE_SANTE), "rw"),
    "transmissions_equipe_soignante": _only(_CARE_TEAM, "rw"),
    "transmissions_medicales": _only(_MEDICAL_TEAM, "rw"),
}


def default_rights(metier: str, code: str) -> str:
    """The default rights string ("", "r", "rw", "rwv"...) of one métier on one class."""
    overrides = _CLASS_OVERRIDES.get(code, {})
    if metier in overrides:
        return overrides[metier]
    tier = CLASS_BY_CODE[code].tier
    if tier in (Tier.GOVERNANCE, Tier.ACTS):
        return ""
    return _TIER_DEFAULTS[metier][_TIER_ORDER.index(tier)]


# LOINC typeCode (JDV_J07) of the classes whose documents can leave as a CDA R2 N1 (DMP, MSSanté);
# a class absent here is never sent as CDA.
LOINC_CODES: dict[str, tuple[str, str]] = {
    "dlu": ("74207-2", "Document de liaison d'urgence"),
    "ppa": ("80788-3", "Projet personnalisé d'accompagnement"),
    "grille_evaluation_ms": ("34842-5", "Grille d'évaluation médico-sociale"),
    "cr_hospitalisation": ("34112-3", "CR d'hospitalisation (séjour)"),
    "lettre_liaison": ("11490-0", "Lettre de liaison à la sortie d'un établissement de santé"),
    "cr_consultation": ("11488-4", "CR de consultation"),
    "cr_biologie": ("11502-2", "CR d'examens biologiques"),
    "imagerie": ("18748-4", "CR d'imagerie médicale"),
    "vaccinations": ("11369-6", "Historique des vaccinations"),
    "directives_anticipees": ("42348-3", "Directives anticipées"),
}
