"""Transmissions ciblées (cible + DAR or narrative), structured events, read receipts,
internal messages and notes de service, technical requests."""

from django.conf import settings
from django.db import models

from dui.models import Essms, EssmsKind, OrganismeGestionnaire, Unit, Usager


def every_essms_kind() -> list[str]:
    return list(EssmsKind.values)


class Theme(models.TextChoices):
    SOINS = "soins", "Soins et santé"
    DOULEUR = "douleur", "Douleur"
    ALIMENTATION = "alimentation", "Alimentation et hydratation"
    ELIMINATION = "elimination", "Élimination"
    SOMMEIL = "sommeil", "Sommeil"
    MOBILITE = "mobilite", "Mobilité et chutes"
    COMPORTEMENT = "comportement", "Comportement et humeur"
    HYGIENE = "hygiene", "Hygiène et confort"
    VIE_SOCIALE = "vie_sociale", "Vie sociale et activités"
    FAMILLE = "famille", "Famille et entourage"
    EDUCATIF = "educatif", "Éducatif et scolarité"
    ADMINISTRATIF = "administratif", "Administratif"
    AUTRE = "autre", "Autre"


class Visibility(models.TextChoices):
    """Who may read a transmission, on top of the habilitation matrix."""

    ALL_STAFF = "all", "Tous les professionnels"
    CARE_STAFF = "care", "Équipe soignante"
    MEDICAL = "medical", "Équipe médicale"


class Cible(models.Model):
    """An entry of the per-OG catalogue of targets (problem, need or event)."""

    og = models.ForeignKey(OrganismeGestionnaire, on_delete=models.CASCADE, related_name="cibles")
    label = models.CharField("cible", max_length=120)
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    is_active = models.BooleanField("active", default=True)
    # The kinds of establishment where it is offered (dui.essms_kinds gives the defaults).
    essms_kinds = models.JSONField("types d'établissement", default=every_essms_kind)

    class Meta:
        verbose_name = "cible"
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["og", "label"], name="cible_label_unique_in_og")]

    def __str__(self) -> str:
        return self.label


class Transmission(models.Model):
    """One version of a written, dated, signed observation; a correction is a new version."""

    document_class_code = "transmissions"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="unité"
    )
    cible = models.ForeignKey(Cible, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    free_cible = models.CharField("cible libre", max_length=120, blank=True)
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    donnees = models.TextField("données", blank=True)
    actions = models.TextField("actions", blank=True)
    resultats = models.TextField("résultats", blank=True)
    narrative = models.TextField("note", blank=True)
    observed_at = models.DateTimeField("observé le")
    written_at = models.DateTimeField("écrit le")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_metier = models.CharField("métier de l'auteur", max_length=32)
    visibility = models.CharField("visibilité", max_length=8, choices=Visibility.choices)
    family_visible = models.BooleanField("peut être lue par la famille", default=False)
    # Versions: every version points at the first one; only the latest is current.
    original = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "transmission"
        ordering = ["-observed_at", "-id"]
        indexes = [
            models.Index(fields=["essms", "is_current", "-observed_at"], name="transmission_feed"),
            models.Index(fields=["essms", "usager", "-observed_at"], name="transmission_usager"),
            models.Index(fields=["essms", "unit", "-observed_at"], name="transmission_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.cible_label} — {self.observed_at:%d/%m/%Y %H:%M}"

    @property
    def cible_label(self) -> str:
        return self.cible.label if self.cible_id else (self.free_cible or "Note")

    @property
    def thread_id(self) -> int:
        return self.original_id or self.pk


class ReadReceipt(models.Model):
    """A user has read a transmission (the thread's original id, so a new version is unread again)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    transmission = models.ForeignKey(Transmission, on_delete=models.CASCADE, related_name="+")
    essms = models.ForeignKey(Essms, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "transmission"], name="read_receipt_unique")]
        indexes = [models.Index(fields=["essms", "user"], name="read_receipt_user")]


class EventKind(models.TextChoices):
    EPILEPSIE = "epilepsie", "Crise d'épilepsie"
    CHUTE = "chute", "Chute"
    INCIDENT = "incident", "Incident"
    COMPORTEMENT = "comportement", "Trouble du comportement"


class EventSeverity(models.TextChoices):
    FAIBLE = "faible", "Faible"
    MOYENNE = "moyenne", "Moyenne"
    GRAVE = "grave", "Grave"


class Event(models.Model):
    """A structured event; its transmission carries the narrative and appears in the feed."""

    document_class_code = "evenements"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    transmission = models.OneToOneField(Transmission, on_delete=models.PROTECT, related_name="event")
    kind = models.CharField("type", max_length=16, choices=EventKind.choices)
    occurred_at = models.DateTimeField("survenu le")
    duration_seconds = models.PositiveIntegerField("durée (secondes)", null=True, blank=True)
    seizure_type = models.CharField("type de crise", max_length=80, blank=True)
    place = models.CharField("lieu", max_length=120, blank=True)
    circumstances = models.TextField("circonstances", blank=True)
    consequences = models.TextField("conséquences", blank=True)
    treatment_given = models.CharField("traitement administré", max_length=200, blank=True)
    severity = models.CharField("gravité", max_length=10, choices=EventSeverity.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "événement"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["essms", "usager", "-occurred_at"], name="event_usager")]


class MessageKind(models.TextChoices):
    MESSAGE = "message", "Message"
    NOTE_DE_SERVICE = "note_de_service", "Note de service"


class Message(models.Model):
    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type", max_length=16, choices=MessageKind.choices)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)
    requires_ack = models.BooleanField("accusé de lecture demandé", default=False)
    # What the sender chose, kept for display; recipients are expanded into MessageRecipient rows.
    audience = models.JSONField("destinataires choisis", default=dict)

    class Meta:
        verbose_name = "message"
        ordering = ["-sent_at", "-id"]


class MessageRecipient(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField("ouvert le", null=True, blank=True)
    acknowledged_at = models.DateTimeField("lu et approuvé le", null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="message_recipient_unique")]
        indexes = [models.Index(fields=["user", "opened_at"], name="message_recipient_inbox")]


class RequestCategory(models.TextChoices):
    PLOMBERIE = "plomberie", "Plomberie"
    ELECTRICITE = "electricite", "Électricité"
    CHAUFFAGE = "chauffage", "Chauffage / climatisation"
    MOBILIER = "mobilier", "Mobilier"
    EQUIPEMENT = "equipement", "Équipement médical (lit, fauteuil…)"
    INFORMATIQUE = "informatique", "Informatique / téléphonie"
    MENAGE = "menage", "Ménage / hygiène des locaux"
    AUTRE = "autre", "Autre"


class RequestStatus(models.TextChoices):
    NOUVELLE = "nouvelle", "Nouvelle"
    PRISE_EN_CHARGE = "prise_en_charge", "Prise en charge"
    FAITE = "faite", "Faite"
    ANNULEE = "annulee", "Annulée"


class MaintenanceRequest(models.Model):
    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    place = models.CharField("lieu", max_length=120)
    category = models.CharField("catégorie", max_length=16, choices=RequestCategory.choices)
    description = models.TextField("description")
    status = models.CharField("statut", max_length=16, choices=RequestStatus.choices, default=RequestStatus.NOUVELLE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "demande technique"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["essms", "status"], name="maintenance_essms_status")]


class MaintenanceStatusChange(models.Model):
    request = models.ForeignKey(MaintenanceRequest, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=16, choices=RequestStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField("commentaire", max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
