"""Messages received in the ESSMS's organisational MSSanté box: kept until filed, never dropped."""

from django.conf import settings
from django.db import models


class InboxState(models.TextChoices):
    WAITING = "waiting", "À rapprocher"
    FILED = "filed", "Classé"


class InboxItem(models.Model):
    essms = models.ForeignKey("dui.Essms", on_delete=models.PROTECT, related_name="+")
    message_id = models.CharField("identifiant du message", max_length=255)
    received_at = models.DateTimeField("reçu le", auto_now_add=True)
    source = models.CharField("boîte", max_length=20)
    sender = models.CharField("expéditeur", max_length=254, blank=True)
    subject = models.CharField("objet", max_length=300, blank=True)
    raw = models.FileField("message", upload_to="inbox/%Y/%m/")
    state = models.CharField("état", max_length=10, choices=InboxState.choices, default=InboxState.WAITING)
    problem = models.CharField("motif", max_length=300, blank=True)
    # What the message says about the person and the document (from the CDA or the metadata).
    ins = models.CharField("INS", max_length=15, blank=True)
    family = models.CharField("nom", max_length=100, blank=True)
    given = models.CharField("prénoms", max_length=200, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    sex = models.CharField("sexe", max_length=1, blank=True)
    type_code = models.CharField("code LOINC", max_length=20, blank=True)
    document_date = models.DateField("date du document", null=True, blank=True)
    author = models.CharField("auteur", max_length=200, blank=True)
    title = models.CharField("titre", max_length=200, blank=True)
    filed_document = models.ForeignKey(
        "dui.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField("classé le", null=True, blank=True)

    class Meta:
        verbose_name = "message reçu"
        verbose_name_plural = "messages reçus"
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["essms", "message_id"], name="inbox_message_once")]

    def __str__(self) -> str:
        return self.subject or self.message_id

    @property
    def document_class_code(self) -> str:
        return "cr_hospitalisation"
