"""Admission requests of an ESSMS: who asks for a place, what was received, where the request stands.

A request is not a dossier: it lives here until it is turned into a pré-admission dossier
(`services.conversion`). Rights: the request and its administrative part belong to the class
`demandes_admission`; its medical part to `certificat_medical`; the médecin coordonnateur's
opinion to `avis_admission` (dui/catalogue.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dui.models import ContactRole, Essms, Usager
from dui.models.usager import Sex

ADMISSION_CLASS = "demandes_admission"
OPINION_CLASS = "avis_admission"
# The dossier classes the received parts are filed under (and whose read right opens them here).
MEDICAL_PART_CLASS = "certificat_medical"
ADMINISTRATIVE_PART_CLASS = "pre_admission"


class Source(models.TextChoices):
    VIATRAJECTOIRE = "viatrajectoire", "ViaTrajectoire"
    DIRECTE = "directe", "Demande directe"
    HOPITAL = "hopital", "Hôpital"
    AUTRE = "autre", "Autre"


class Status(models.TextChoices):
    RECUE = "recue", "Reçue"
    EN_ETUDE = "en_etude", "En étude"
    VISITE = "visite", "Visite"
    AVIS_MEDICAL = "avis_medical", "Avis médical"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    ENTREE_PLANIFIEE = "entree_planifiee", "Entrée planifiée"
    ANNULEE = "annulee", "Annulée (retirée)"


# The workflow: from each status, where a request may go next.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECUE: (Status.EN_ETUDE, Status.REFUSEE, Status.ANNULEE),
    Status.EN_ETUDE: (Status.VISITE, Status.AVIS_MEDICAL, Status.ACCEPTEE, Status.REFUSEE, Status.ANNULEE),
    Status.VISITE: (Status.AVIS_MEDICAL, Status.ACCEPTEE, Status.REFUSEE, Status.ANNULEE),
    Status.AVIS_MEDICAL: (Status.VISITE, Status.ACCEPTEE, Status.REFUSEE, Status.ANNULEE),
    Status.ACCEPTEE: (Status.ENTREE_PLANIFIEE, Status.ANNULEE),
    Status.ENTREE_PLANIFIEE: (Status.ANNULEE,),
    Status.REFUSEE: (),
    Status.ANNULEE: (),
}
CLOSED = (Status.REFUSEE, Status.ANNULEE)
CONVERTIBLE = (Status.ACCEPTEE, Status.ENTREE_PLANIFIEE)
DECISIONS = (Status.ACCEPTEE, Status.REFUSEE)


class Priority(models.IntegerChoices):
    URGENTE = 1, "Urgente"
    HAUTE = 2, "Haute"
    NORMALE = 3, "Normale"


class Accommodation(models.TextChoices):
    PERMANENT = "permanent", "Hébergement permanent"
    TEMPORAIRE = "temporaire", "Hébergement temporaire"
    ACCUEIL_JOUR = "accueil_jour", "Accueil de jour"
    INTERNAT = "internat", "Internat"
    SEMI_INTERNAT = "semi_internat", "Semi-internat"
    AUTRE = "autre", "Autre"


class AdmissionRequest(models.Model):
    """One demande d'admission: the person's identity traits, where it comes from, its status."""

    document_class_code = ADMISSION_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("origine", max_length=16, choices=Source.choices)
    external_ref = models.CharField("référence externe", max_length=40, blank=True)
    birth_name = models.CharField("nom de naissance", max_length=100)
    first_names = models.CharField("prénoms de naissance", max_length=200)
    used_name = models.CharField("nom utilisé", max_length=100, blank=True)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    birth_place_code = models.CharField("code INSEE du lieu de naissance", max_length=5, blank=True)
    ins_matricule = models.CharField("matricule INS", max_length=15, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    accommodation = models.CharField("accueil demandé", max_length=16, choices=Accommodation.choices)
    sending_facility = models.CharField("établissement et service adresseur", max_length=200, blank=True)
    received_at = models.DateTimeField("reçue le")
    status = models.CharField("statut", max_length=16, choices=Status.choices, default=Status.RECUE)
    priority = models.PositiveSmallIntegerField("priorité", choices=Priority.choices, default=Priority.NORMALE)
    refusal_reason = models.CharField("motif du refus", max_length=300, blank=True)
    planned_entry_on = models.DateField("entrée prévue le", null=True, blank=True)
    notes = models.TextField("observations", blank=True)
    usager = models.ForeignKey(
        Usager, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="dossier créé"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "demande d'admission"
        ordering = ["priority", "received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["essms", "source", "external_ref"],
                condition=~Q(external_ref=""),
                name="admission_request_external_ref_unique",
            )
        ]
        indexes = [models.Index(fields=["essms", "status", "priority", "received_at"], name="admission_waiting_list")]

    def __str__(self):
        return f"{self.birth_name} {self.first_names.split(' ')[0]}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED and self.usager_id is None


class AdmissionContact(models.Model):
    """A relative or professional named by the request, carried over as a dossier contact."""

    document_class_code = ADMISSION_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(AdmissionRequest, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField("rôle", max_length=32, choices=ContactRole.choices, default=ContactRole.FAMILLE)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    relationship = models.CharField("lien", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "contact d'une demande d'admission"
        ordering = ["pk"]


class Part(models.TextChoices):
    MEDICAL = "medical", "Volet médical"
    ADMINISTRATIVE = "administratif", "Volet administratif"


def admission_file_path(instance: "AdmissionDocument", filename: str) -> str:
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[instance.mime_type]
    return f"admissions/{instance.essms_id}/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class AdmissionDocument(models.Model):
    """A part received with the request (PDF, JPEG, PNG: the dossier's upload rules)."""

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(AdmissionRequest, on_delete=models.CASCADE, related_name="documents")
    part = models.CharField("volet", max_length=16, choices=Part.choices)
    title = models.CharField("titre", max_length=200)
    file = models.FileField(upload_to=admission_file_path, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=255)
    mime_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField("taille")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document d'une demande d'admission"
        ordering = ["part", "pk"]

    @property
    def document_class_code(self) -> str:
        return MEDICAL_PART_CLASS if self.part == Part.MEDICAL else ADMINISTRATIVE_PART_CLASS


class Verdict(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    RESERVE = "reserve", "Réservé"
    DEFAVORABLE = "defavorable", "Défavorable"


class AdmissionOpinion(models.Model):
    """The médecin coordonnateur's opinion: a medical document (class `avis_admission`)."""

    document_class_code = OPINION_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(AdmissionRequest, on_delete=models.CASCADE, related_name="opinions")
    verdict = models.CharField("avis", max_length=12, choices=Verdict.choices)
    text = models.TextField("motivation")
    given_on = models.DateField("date de l'avis")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "avis médical d'admission"
        ordering = ["-given_on", "-pk"]


class AdmissionStatusChange(models.Model):
    """One step of the workflow (the first one, to « reçue », at the reception date): delays come from here."""

    document_class_code = ADMISSION_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(AdmissionRequest, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("de", max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField("vers", max_length=16, choices=Status.choices)
    at = models.DateTimeField("le")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField("commentaire", max_length=300, blank=True)

    class Meta:
        verbose_name = "changement de statut d'une demande d'admission"
        ordering = ["at", "pk"]


class AdmissionSettings(models.Model):
    """Per-ESSMS rules of the admissions (one row, created with its defaults on first read)."""

    document_class_code = ADMISSION_CLASS

    essms = models.OneToOneField(Essms, on_delete=models.PROTECT, related_name="+")
    opinion_required = models.BooleanField("avis médical obligatoire avant acceptation", default=True)
    connector_enabled = models.BooleanField("import automatique ViaTrajectoire", default=False)
    connector_synced_at = models.DateTimeField("dernier import ViaTrajectoire", null=True, blank=True)

    class Meta:
        verbose_name = "réglages des admissions"
