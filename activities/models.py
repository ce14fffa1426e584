"""Activities of an ESSMS: the catalogue, the dated sessions, who is registered and who came.

The catalogue and the sessions hold no personal data (class `programme_activites`); a
registration names one person and carries the attendance and satisfaction (class `activites`).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from dui.models import Essms, Unit, Usager

PROGRAMME_CLASS = "programme_activites"
PARTICIPATION_CLASS = "activites"


class ActivityKind(models.TextChoices):
    ANIMATION = "animation", "Animation"
    ATELIER = "atelier", "Atelier"
    SORTIE = "sortie", "Sortie"
    THERAPEUTIQUE = "therapeutique", "Activité thérapeutique"
    PHYSIQUE = "physique", "Activité physique adaptée"
    FETE = "fete", "Fête et événement"


class Activity(models.Model):
    """One activity of the ESSMS's catalogue (loto, atelier mémoire, sortie au marché...)."""

    document_class_code = PROGRAMME_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type", max_length=16, choices=ActivityKind.choices)
    name = models.CharField("nom", max_length=120)
    default_place = models.CharField("lieu habituel", max_length=120, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "activité"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["essms", "name"], name="activity_name_unique_in_essms")]

    def __str__(self):
        return self.name


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    HELD = "held", "Réalisée"
    CANCELLED = "cancelled", "Annulée"


class ActivitySession(models.Model):
    """One dated occurrence of an activity, for some units, run by some professionals."""

    document_class_code = PROGRAMME_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin", null=True, blank=True)
    place = models.CharField("lieu", max_length=120, blank=True)
    status = models.CharField("statut", max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    units = models.ManyToManyField(Unit, related_name="+", blank=True, verbose_name="unités")
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name="professionnels"
    )
    comment = models.CharField("commentaire", max_length=300, blank=True)
    # The person or a relative may register from the portal (portail usager / famille).
    open_to_families = models.BooleanField("ouverte aux inscriptions des familles", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "séance d'activité"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["essms", "starts_at"], name="activity_session_essms_start")]

    def __str__(self):
        return f"{self.activity.name} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


class Attendance(models.TextChoices):
    PRESENT = "present", "Présent(e)"
    ABSENT = "absent", "Absent(e)"
    REFUSED = "refused", "A refusé"


class Registration(models.Model):
    """A person registered to a session; the tablet fills in the attendance, the person may rate it."""

    document_class_code = PARTICIPATION_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(ActivitySession, on_delete=models.PROTECT, related_name="registrations")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="activity_registrations")
    attendance = models.CharField("présence", max_length=8, choices=Attendance.choices, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    satisfaction = models.PositiveSmallIntegerField(
        "satisfaction (1 à 5)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = models.CharField("commentaire", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "inscription à une activité"
        ordering = ["session_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "usager"], name="registration_unique_per_session"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="registration_satisfaction_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["essms", "usager"], name="registration_essms_usager")]
