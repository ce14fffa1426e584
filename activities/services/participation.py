"""Writes of the participation (class `activites`): registrations, attendance and satisfaction.

A person is registered only when accompanied by the session's ESSMS (a séjour in progress);
attendance is recorded only for a registered person, once the session's day has come, and marks
the session held. Satisfaction is a score from 1 to 5 the person may give, with a comment.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import ActivitySession, Attendance, Registration, SessionStatus
from activities.services.programme import CANCELLED
from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import AccessAction, Sejour, SejourStatus, Usager
from dui.permissions import require
from dui.services.common import refuse_archived

NOT_REGISTERED = "Cette personne n'est pas inscrite à cette séance."
OTHER_ESSMS = "Cette personne n'est pas accompagnée par l'établissement de la séance."
NO_SEJOUR = "Cette personne n'a pas de séjour en cours dans l'établissement."
ALREADY = "Cette personne est déjà inscrite à cette séance."
TOO_EARLY = "La présence se saisit le jour de la séance ou après."
SCORE = "La satisfaction est une note de 1 à 5."
ONLY_PRESENT = "Seule une personne présente à la séance peut donner sa satisfaction."


NOT_OPEN = "Cette séance n'est pas ouverte aux inscriptions des familles."
PAST = "Cette séance a déjà commencé : l'inscription n'est plus possible."


@transaction.atomic
def registration_create(actor, *, session: ActivitySession, usager: Usager) -> Registration:
    registration = Registration(essms_id=session.essms_id, session=session, usager=usager, created_by=user_of(actor))
    require(actor, WRITE, registration)
    return _register(actor, registration)


@transaction.atomic
def registration_create_by_family(actor, *, session: ActivitySession, usager: Usager) -> Registration:
    """The person or a relative registers from the portal (the caller checked their access to the
    person): no habilitation, but only a future session the team opened to families, and every
    check of a registration by the team."""
    if not session.open_to_families:
        raise ValidationError({"session": [NOT_OPEN]})
    if session.starts_at <= timezone.now():
        raise ValidationError({"session": [PAST]})
    registration = Registration(essms_id=session.essms_id, session=session, usager=usager, created_by=user_of(actor))
    return _register(actor, registration)


def _register(actor, registration: Registration) -> Registration:
    session, usager = registration.session, registration.usager
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"session": [CANCELLED]})
    if usager.essms_id != session.essms_id:
        raise ValidationError({"usager": [OTHER_ESSMS]})
    refuse_archived(usager)
    if not Sejour.objects.filter(essms_id=session.essms_id, usager_id=usager.pk, status=SejourStatus.ACTIVE).exists():
        raise ValidationError({"usager": [NO_SEJOUR]})
    if Registration.objects.filter(session_id=session.pk, usager_id=usager.pk).exists():
        raise ValidationError({"usager": [ALREADY]})
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # registered by someone else at the same moment
        raise ValidationError({"usager": [ALREADY]}) from None
    audit.log_access(actor, AccessAction.CREATE, registration, detail=session.activity.name)
    return registration


@transaction.atomic
def registration_cancel(actor, *, registration: Registration) -> None:
    """Withdraw a registration whose attendance is not recorded yet (a recorded one is history)."""
    require(actor, WRITE, registration)
    if registration.attendance:
        raise ValidationError({"usager": ["La présence est déjà saisie : l'inscription ne peut plus être retirée."]})
    audit.log_access(actor, AccessAction.DELETE, registration, detail=registration.session.activity.name)
    registration.delete()


def _score(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"satisfaction": [SCORE]}) from None
    if str(score) != str(value).strip() or not 1 <= score <= 5:
        raise ValidationError({"satisfaction": [SCORE]})
    return score


_UNSET = object()


@transaction.atomic
def attendance_record(
    actor, *, session: ActivitySession, usager_id: int, attendance: str, satisfaction=_UNSET, comment=None
) -> Registration:
    """Record (or correct) one registered person's attendance, optionally with satisfaction and comment."""
    registration = (
        Registration.objects.select_for_update()
        .filter(session_id=session.pk, usager_id=usager_id)
        .select_related("usager")
        .first()
    )
    if registration is None:
        raise ValidationError({"usager": [NOT_REGISTERED]})
    require(actor, WRITE, registration)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"session": [CANCELLED]})
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": ["Présence inconnue : présent, absent ou refus."]})
    if timezone.localtime(session.starts_at).date() > timezone.localdate():
        raise ValidationError({"attendance": [TOO_EARLY]})
    refuse_archived(registration.usager)
    score = registration.satisfaction if satisfaction is _UNSET else _score(satisfaction)
    if comment is not None:
        comment = comment.strip()
        if len(comment) > 300:
            raise ValidationError({"comment": ["Le commentaire ne doit pas dépasser 300 caractères."]})
        registration.satisfaction_comment = comment
    if attendance != Attendance.PRESENT:
        if satisfaction is not _UNSET and score is not None:
            raise ValidationError({"satisfaction": [ONLY_PRESENT]})
        score = None
    registration.attendance = attendance
    registration.satisfaction = score
    registration.attendance_recorded_at = timezone.now()
    registration.attendance_recorded_by = user_of(actor)
    registration.save(
        update_fields=[
            "attendance", "satisfaction", "satisfaction_comment", "attendance_recorded_at", "attendance_recorded_by",
        ]
    )  # fmt: skip
    if session.status == SessionStatus.PLANNED:
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
    audit.log_access(
        actor, AccessAction.UPDATE, registration, detail=f"présence : {registration.get_attendance_display()}"
    )
    return registration
