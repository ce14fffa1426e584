"""The portal's rows: consent, invitations, accounts and their accesses, shared documents, messages.

Every row carries the ESSMS of the person it is about: the portal is scoped like the dossier.
A portal account is a dui User with no membership plus a PortalAccount; what it may see is the
union of its PortalAccess rows, each for one person and with its own visibility choices.
"""

from django.conf import settings
from django.db import models

from dui.models import Contact, Document, Essms, Usager

DOCUMENT_CLASS = "portail_famille"


class GivenBy(models.TextChoices):
    PERSON = "personne", "La personne elle-même"
    REPRESENTATIVE = "representant", "Son représentant légal"


class Relation(models.TextChoices):
    PERSON = "personne", "La personne elle-même"
    RELATIVE = "proche", "Un proche"


class PortalConsent(models.Model):
    """The person's (or legal representative's) consent to the portal; withdrawn, it ends every access."""

    document_class_code = DOCUMENT_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    given_by = models.CharField("donné par", max_length=12, choices=GivenBy.choices)
    representative = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="représentant légal"
    )
    given_on = models.DateField("date du consentement")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "consentement au portail"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["essms", "usager"], condition=models.Q(withdrawn_at__isnull=True), name="portal_consent_current"
            )
        ]


class Visibility(models.Model):
    """What one access shows: chosen per relative when invited, changeable afterwards."""

    sees_planning = models.BooleanField("planning et rendez-vous", default=True)
    sees_activities = models.BooleanField("activités et inscriptions", default=True)
    sees_documents = models.BooleanField("documents partagés", default=False)
    sees_transmissions = models.BooleanField("nouvelles de l'équipe (transmissions pour la famille)", default=True)
    sees_messages = models.BooleanField("messages avec l'équipe", default=True)

    FLAGS = ("sees_planning", "sees_activities", "sees_documents", "sees_transmissions", "sees_messages")

    class Meta:
        abstract = True

    def flags(self) -> dict[str, bool]:
        return {flag: getattr(self, flag) for flag in self.FLAGS}


class PortalInvitation(Visibility):
    """A one-time link: only the token's SHA-256 is kept; accepted once, before it expires."""

    document_class_code = DOCUMENT_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField("lien", max_length=10, choices=Relation.choices)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    email = models.EmailField("courriel", blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("expire le")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation au portail"
        ordering = ["-created_at", "-id"]


class PortalAccount(models.Model):
    """The portal side of a User: never a membership, an optional TOTP second factor."""

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account")
    display_name = models.CharField("nom affiché", max_length=200)
    totp_secret = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "compte du portail"

    @property
    def totp_enabled(self) -> bool:
        return bool(self.totp_secret)


class PortalAccess(Visibility):
    """One account's access to one person; revoked, it ends at the account's next request."""

    document_class_code = DOCUMENT_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="accesses")
    relation = models.CharField("lien", max_length=10, choices=Relation.choices)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    invitation = models.OneToOneField(PortalInvitation, on_delete=models.PROTECT, related_name="access")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "accès au portail"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["essms", "usager"], name="portal_access_usager")]


class SharedDocument(models.Model):
    """A document of the dossier the team chose to show on the portal (to accesses that see documents)."""

    document_class_code = DOCUMENT_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="+")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document partagé sur le portail"
        ordering = ["-shared_at", "-id"]


class PortalMessage(models.Model):
    """One message of the thread of an access, from the relative or from the team; read_at is the receipt."""

    document_class_code = DOCUMENT_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    access = models.ForeignKey(PortalAccess, on_delete=models.PROTECT, related_name="messages")
    from_team = models.BooleanField(default=False)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("message")
    sent_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        verbose_name = "message du portail"
        ordering = ["sent_at", "id"]
