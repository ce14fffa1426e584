"""Professionals, their métier and their dated memberships in ESSMS."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dui.models.tenancy import Essms
from dui.rpps import validate_rpps


class User(AbstractUser):
    """A person who logs in: a professional, or the technical account of a partner system."""

    rpps = models.CharField(
        "RPPS",
        max_length=11,
        blank=True,
        validators=[validate_rpps],
        help_text="11 chiffres, clé de contrôle comprise ; sert à la connexion Pro Santé Connect.",
    )
    is_partner_system = models.BooleanField("système partenaire", default=False)

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.UniqueConstraint(
                fields=["rpps"],
                condition=~Q(rpps=""),
                name="user_rpps_unique_when_set",
                violation_error_message="Ce numéro RPPS est déjà celui d'un autre compte.",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Metier(models.TextChoices):
    DIRECTION = "direction", "Direction"
    CADRE_SANTE = "cadre_sante", "Cadre de santé / IDEC"
    MEDECIN_COORDONNATEUR = "medecin_coordonnateur", "Médecin coordonnateur"
    MEDECIN = "medecin", "Médecin"
    IDE = "ide", "Infirmier(ère) (IDE)"
    AIDE_SOIGNANT = "aide_soignant", "Aide-soignant(e)"
    AES = "aes", "Accompagnant(e) éducatif(ve) et social(e) (AES)"
    ASH = "ash", "Agent de service hospitalier (ASH)"
    EDUCATEUR = "educateur", "Éducateur(rice)"
    ENSEIGNANT = "enseignant", "Enseignant(e)"
    PSYCHOLOGUE = "psychologue", "Psychologue"
    ERGOTHERAPEUTE = "ergotherapeute", "Ergothérapeute"
    APA = "apa", "Enseignant(e) APA"
    DIETETICIEN = "dieteticien", "Diététicien(ne)"
    ANIMATEUR = "animateur", "Animateur(rice)"
    PHARMACIEN = "pharmacien", "Pharmacien(ne)"
    SECRETAIRE_MEDICALE = "secretaire_medicale", "Secrétaire médicale"
    ASSISTANT_SOCIAL = "assistant_social", "Assistant(e) de service social"
    ASSISTANT_DIRECTION = "assistant_direction", "Assistant(e) de direction / administratif(ve)"
    ACCUEIL = "accueil", "Accueil"
    QUALITE = "qualite", "Qualité"
    TECHNIQUE = "technique", "Services techniques / entretien"
    DPO = "dpo", "Délégué(e) à la protection des données (DPO)"
    ADMINISTRATEUR = "administrateur", "Administrateur(rice)"
    PARTENAIRE = "partenaire", "Système partenaire (API)"


class MembershipQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at)


class Membership(models.Model):
    """User × ESSMS × métier, dated: ending it removes access at the next request."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="memberships")
    metier = models.CharField("métier", max_length=32, choices=Metier.choices)
    starts_at = models.DateTimeField("début", default=timezone.now)
    ends_at = models.DateTimeField("fin", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "affectation"
        ordering = ["essms__name", "metier"]
        indexes = [models.Index(fields=["essms", "user"], name="membership_essms_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_metier_display()} — {self.essms}"

    @property
    def og_id(self) -> int:
        return self.essms.og_id

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at and (self.ends_at is None or self.ends_at > at)
