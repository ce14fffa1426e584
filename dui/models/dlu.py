"""The dossier's "Informations d'urgence (DLU)" section: what the HAS DLU asks and no other
section holds (preferred hospital, état psychique, déficits, mobility, risks, BMR, vaccinations,
where the directives anticipées are, prostheses, documents to take along).

One row per dossier, edited in place; the DLU document is generated from it and the other sections.
"""

from django.conf import settings
from django.db import models

from dui.models.tenancy import Essms
from dui.models.usager import Usager


class PsychicState(models.TextChoices):
    ALERTE = "alerte", "Vigilant, alerte"
    DESORIENTE = "desoriente", "Désorienté (temps, espace)"
    AGITATION = "agitation", "Agitation"
    OPPOSITION = "opposition", "Opposition aux soins"
    RISQUE_SUICIDAIRE = "risque_suicidaire", "Risque suicidaire"
    TROUBLES_COGNITIFS = "troubles_cognitifs", "Troubles cognitifs connus"


class Deficit(models.TextChoices):
    VISION = "vision", "Déficit visuel"
    AUDITION = "audition", "Déficit auditif"
    LANGAGE = "langage", "Trouble du langage (aphasie, ne parle pas français…)"
    COGNITIF = "cognitif", "Déficit cognitif (mémoire, compréhension)"


class Mobility(models.TextChoices):
    AUTONOME = "autonome", "Marche seul"
    AIDE_TECHNIQUE = "aide_technique", "Marche avec aide technique (canne, déambulateur)"
    AIDE_HUMAINE = "aide_humaine", "Marche avec aide humaine"
    FAUTEUIL = "fauteuil", "Fauteuil roulant"
    ALITE = "alite", "Alité"


class MobilityRisk(models.TextChoices):
    DEAMBULATION = "deambulation", "Déambulation"
    FUGUE = "fugue", "Risque de fugue"
    CONTENTION = "contention", "Contention"


class Prosthesis(models.TextChoices):
    LUNETTES = "lunettes", "Lunettes"
    APPAREIL_AUDITIF = "appareil_auditif", "Appareils auditifs"
    PROTHESE_DENTAIRE = "prothese_dentaire", "Prothèse dentaire"
    STIMULATEUR = "stimulateur", "Stimulateur cardiaque (carte de porteur)"
    SONDE = "sonde", "Sonde, stomie ou cathéter"
    OXYGENE = "oxygene", "Oxygénothérapie"


class TakeAlong(models.TextChoices):
    VITALE = "vitale", "Carte Vitale"
    MUTUELLE = "mutuelle", "Carte de mutuelle"
    IDENTITE = "identite", "Pièce d'identité"
    AGGIR = "aggir", "Dernière grille AGGIR"
    DIRECTIVES = "directives", "Directives anticipées"
    ORDONNANCES = "ordonnances", "Ordonnances en cours"
    PLAN_ADMINISTRATION = "plan_administration", "Plan d'administration des médicaments"
    BIOLOGIE = "biologie", "Biologie récente"
    CRH = "crh", "Dernier compte rendu d'hospitalisation"
    FICHE_BMR = "fiche_bmr", "Fiche BMR"
    TRANSMISSIONS = "transmissions", "Dernières transmissions"
    CARTE_STIMULATEUR = "carte_stimulateur", "Carte de porteur de stimulateur"
    GROUPE_SANGUIN = "groupe_sanguin", "Carte de groupe sanguin"
    CAPACITES_SOINS = "capacites_soins", "Capacités de soins de l'établissement"


class DossierDlu(models.Model):
    document_class_code = "dossier_dlu"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.OneToOneField(Usager, on_delete=models.PROTECT, related_name="dlu_section")
    preferred_hospital = models.CharField("établissement de santé de préférence", max_length=200, blank=True)
    active_problems = models.TextField("problèmes de santé actifs", max_length=1000, blank=True)
    psychic_states = models.JSONField("état psychique", default=list, blank=True)
    psychic_comment = models.CharField("état psychique : précisions", max_length=300, blank=True)
    deficits = models.JSONField("déficits", default=list, blank=True)
    mobility = models.CharField("mobilité", max_length=16, choices=Mobility.choices, blank=True)
    mobility_risks = models.JSONField("déambulation, fugue, contention", default=list, blank=True)
    pressure_ulcer_risk = models.BooleanField("risque d'escarre", default=False)
    pressure_ulcer_present = models.BooleanField("escarre constituée", default=False)
    bmr_detail = models.CharField("BMR / BHRe : germe, site, date", max_length=200, blank=True)
    vaccinations = models.CharField("vaccinations (grippe, COVID-19, pneumocoque…)", max_length=300, blank=True)
    advance_directives_location = models.CharField(
        "directives anticipées : où se trouve le document", max_length=200, blank=True
    )
    prostheses = models.JSONField("prothèses et appareillages", default=list, blank=True)
    blood_group = models.CharField("groupe sanguin", max_length=10, blank=True)
    take_along = models.JSONField("documents à joindre en cas de transfert", default=list, blank=True)
    # DLU-Dom 2021, synthèse environnementale (services à domicile)
    housing = models.CharField("logement (accès, étage, digicode, clés)", max_length=300, blank=True)
    carers = models.CharField("aidants et intervenants à domicile", max_length=300, blank=True)
    pharmacist = models.CharField("pharmacie habituelle", max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "informations d'urgence (DLU)"
        verbose_name_plural = "informations d'urgence (DLU)"

    def __str__(self) -> str:
        return f"Informations d'urgence de {self.usager}"
