"""Documents of a dossier: a class, a date, a source, and immutable hashed versions."""

from django.conf import settings
from django.db import models

from dui.models.habilitations import DocumentClass
from dui.models.tenancy import Essms
from dui.models.usager import Usager


class Document(models.Model):
    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="documents")
    document_class = models.ForeignKey(DocumentClass, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("titre", max_length=200)
    document_date = models.DateField("date du document")
    source = models.CharField("source / auteur", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document"
        ordering = ["-document_date", "-id"]
        indexes = [models.Index(fields=["essms", "usager", "-document_date"], name="document_essms_usager")]

    def __str__(self) -> str:
        return self.title

    @property
    def document_class_code(self) -> str:
        return self.document_class.code


def version_path(instance: "DocumentVersion", filename: str) -> str:
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[instance.mime_type]
    return f"documents/{instance.document.essms_id}/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("version")
    file = models.FileField(upload_to=version_path)
    original_name = models.CharField("nom du fichier", max_length=255)
    mime_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField("taille")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version de document"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]
