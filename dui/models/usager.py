"""The person accompanied by an ESSMS (identity, INS), and time-limited cross-ESSMS grants."""

from django.conf import settings
from django.db import models
from guardian.models import UserObjectPermissionBase

from dui.ins import IdentityProof, IdentityStatus, validate_name_trait
from dui.models.tenancy import Essms


class Sex(models.TextChoices):
    FEMALE = "F", "Féminin"
    MALE = "M", "Masculin"
    UNDETERMINED = "I", "Indéterminé"


class IdentityAttribute(models.TextChoices):
    NONE = "", "Aucun"
    DOUTEUSE = "douteuse", "Identité douteuse"
    FICTIVE = "fictive", "Identité fictive"
    HOMONYME = "homonyme", "Homonymie signalée"


class Usager(models.Model):
    document_class_code = "identite"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="usagers")
    # The 5 traits stricts, plus the names in use.
    birth_name = models.CharField("nom de naissance", max_length=100, validators=[validate_name_trait])
    first_names = models.CharField("prénoms de naissance", max_length=200, validators=[validate_name_trait])
    used_name = models.CharField("nom utilisé", max_length=100, validators=[validate_name_trait], blank=True)
    used_first_name = models.CharField("prénom utilisé", max_length=100, validators=[validate_name_trait], blank=True)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    birth_place_code = models.CharField("code INSEE du lieu de naissance", max_length=5, blank=True)
    # INS: shown, exported or sent only when the identity is qualified.
    ins_matricule = models.CharField("matricule INS", max_length=15, blank=True)
    ins_oid = models.CharField("OID du matricule", max_length=40, blank=True)
    identity_status = models.CharField(
        "statut de l'identité", max_length=5, choices=IdentityStatus.choices, default=IdentityStatus.PROVISOIRE
    )
    identity_attribute = models.CharField(
        "attribut", max_length=10, choices=IdentityAttribute.choices, blank=True, default=""
    )
    insi_retrieved_at = models.DateTimeField("récupérée par INSi le", null=True, blank=True)
    identity_proof = models.CharField(
        "justificatif d'identité", max_length=20, choices=IdentityProof.choices, blank=True
    )
    identity_validated_at = models.DateTimeField("identité validée le", null=True, blank=True)
    identity_validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    photo = models.ImageField("photo", upload_to="photos/%Y/", blank=True)
    palliative_care = models.BooleanField("soins palliatifs", default=False)
    has_advance_directives = models.BooleanField("directives anticipées rédigées", default=False)
    # Safety alerts shown on the patient banner of every page about the person.
    fall_risk = models.BooleanField("risque de chute", default=False)
    swallowing_disorder = models.BooleanField("troubles de la déglutition (fausse route)", default=False)
    isolation_bmr = models.BooleanField("isolement (BMR / BHRe)", default=False)
    search_text = models.CharField(max_length=500, blank=True, editable=False)
    archived_at = models.DateTimeField("archivé le", null=True, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "usager"
        ordering = ["birth_name", "first_names"]
        indexes = [
            models.Index(fields=["essms", "birth_name"], name="usager_essms_name"),
            models.Index(fields=["essms", "birth_date"], name="usager_essms_birth"),
            models.Index(fields=["essms", "ins_matricule"], name="usager_essms_ins"),
        ]

    def __str__(self) -> str:
        name = self.used_name or self.birth_name
        first = self.used_first_name or self.first_names.split(" ")[0]
        return f"{name.upper()} {first}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_qualified(self) -> bool:
        return self.identity_status == IdentityStatus.QUALIFIEE

    @property
    def shareable_matricule(self) -> str:
        """The matricule INS, only for a qualified identity (RNIV): '' otherwise."""
        return self.ins_matricule if self.is_qualified else ""


class UsagerGrant(UserObjectPermissionBase):
    """A guardian object permission on one dossier, for a professional of another ESSMS of the same OG."""

    content_object = models.ForeignKey(Usager, on_delete=models.CASCADE, related_name="grants")
    expires_at = models.DateTimeField("expire le")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("motif", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "accès exceptionnel à un dossier"
        verbose_name_plural = "accès exceptionnels à un dossier"
