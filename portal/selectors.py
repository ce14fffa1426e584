"""Every read of the portal, already scoped.

Relative side: an account reaches only its accesses in force (not revoked, consent not
withdrawn: checked at every request, never cached in the session), and through an access only
what its flags open; every row shown is written to the access log with the portal channel.
Team side: the dossier is reached through dui's access_usager, then the class portail_famille.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from activities.models import ActivitySession, Registration, SessionStatus
from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Appointment, ContactRole, Document, Usager
from dui.permissions import require
from dui.selectors.documents import documents_for_usager
from portal.models import PortalAccess, PortalAccount, PortalConsent, PortalInvitation, PortalMessage, SharedDocument
from transmissions.models import Transmission

UPCOMING_DAYS = 60
NEWS_LIMIT = 10


def account_of(user) -> PortalAccount | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return PortalAccount.objects.filter(user_id=user.pk).first()


def pending_account(user_pk) -> PortalAccount | None:
    """The account whose password was right, waiting for its TOTP code (login's second step)."""
    return PortalAccount.objects.select_related("user").filter(user_id=user_pk, user__is_active=True).first()


def current_consent(usager: Usager) -> PortalConsent | None:
    return PortalConsent.objects.filter(usager_id=usager.pk, withdrawn_at__isnull=True).first()


def _consent_in_force():
    return Exists(PortalConsent.objects.filter(usager_id=OuterRef("usager_id"), withdrawn_at__isnull=True))


def accesses_in_force(account: PortalAccount) -> QuerySet[PortalAccess]:
    """The account's accesses that work now: not revoked, the person's consent not withdrawn."""
    return (
        PortalAccess.objects.filter(account=account, revoked_at__isnull=True, usager__archived_at__isnull=True)
        .filter(_consent_in_force())
        .select_related("usager", "essms")
    )


def access_for_portal(actor, pk) -> PortalAccess:
    """One access of the acting account, in force; anything else (another person's) is a 404."""
    account = account_of(actor.user)
    access = accesses_in_force(account).filter(pk=valid_pk(pk)).first() if account else None
    if access is None:
        raise NotFound
    return access


def is_protected_or_minor(usager: Usager, today: datetime.date | None = None) -> bool:
    """Consent is then the legal representative's: a minor, or a protection measure on a contact."""
    today = today or timezone.localdate()
    birthday_18 = _add_years(usager.birth_date, 18)
    if birthday_18 > today:
        return True
    return usager.contacts.filter(ended_at__isnull=True).exclude(protection_measure="").exists()


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def legal_representatives(usager: Usager):
    return usager.contacts.filter(ended_at__isnull=True, role=ContactRole.REPRESENTANT_LEGAL)


# --- Relative side -------------------------------------------------------------------------------


@dataclass
class PersonPage:
    access: PortalAccess
    appointments: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    registrations: list = field(default_factory=list)
    registered_session_ids: set = field(default_factory=set)
    documents: list = field(default_factory=list)
    news: list = field(default_factory=list)
    unread: int = 0


def person_page(actor, *, access: PortalAccess, now: datetime.datetime | None = None) -> PersonPage:
    """What one access shows, section by section as its flags say; every row shown is logged."""
    now = now or timezone.now()
    usager = access.usager
    page = PersonPage(access=access)
    until = now + datetime.timedelta(days=UPCOMING_DAYS)
    if access.sees_planning:
        page.appointments = list(
            Appointment.objects.filter(
                essms_id=access.essms_id, usager_id=usager.pk, starts_at__gte=now, starts_at__lt=until,
                cancelled_at__isnull=True,
            ).order_by("starts_at")[:NEWS_LIMIT]
        )  # fmt: skip
    if access.sees_activities:
        page.registrations = list(
            Registration.objects.filter(
                essms_id=access.essms_id, usager_id=usager.pk, session__starts_at__gte=now,
                session__starts_at__lt=until,
            ).select_related("session__activity").order_by("session__starts_at")[:NEWS_LIMIT]
        )  # fmt: skip
        page.registered_session_ids = {r.session_id for r in page.registrations}
        page.sessions = [
            session
            for session in ActivitySession.objects.filter(
                essms_id=access.essms_id, open_to_families=True, starts_at__gte=now, starts_at__lt=until,
                status=SessionStatus.PLANNED,
            ).select_related("activity").order_by("starts_at")[:NEWS_LIMIT]
            if session.pk not in page.registered_session_ids
        ]  # fmt: skip
    if access.sees_documents:
        page.documents = list(shared_documents(access))
    if access.sees_transmissions:
        page.news = list(
            Transmission.objects.filter(
                essms_id=access.essms_id, usager_id=usager.pk, family_visible=True, is_current=True
            )
            .select_related("cible")
            .order_by("-observed_at")[:NEWS_LIMIT]
        )
    if access.sees_messages:
        page.unread = PortalMessage.objects.filter(access=access, from_team=True, read_at__isnull=True).count()
    audit.log_reads(
        actor,
        [usager, *page.appointments, *page.registrations, *page.documents, *page.news],
        detail="portail : page de la personne",
    )
    return page


def shared_documents(access: PortalAccess) -> QuerySet[Document]:
    shared = SharedDocument.objects.filter(essms_id=access.essms_id, usager_id=access.usager_id)
    return (
        Document.objects.filter(essms_id=access.essms_id, usager_id=access.usager_id)
        .filter(pk__in=shared.values("document_id"))
        .order_by("-document_date", "-id")
    )


def shared_document_for_portal(actor, *, access: PortalAccess, pk):
    """The latest version of a document shared on the portal, for an access that sees documents."""
    if not access.sees_documents:
        raise NotFound
    try:
        document = shared_documents(access).get(pk=valid_pk(pk))
    except Document.DoesNotExist:
        raise NotFound from None
    version = document.versions.order_by("-number").first()
    if version is None:
        raise NotFound
    audit.log_access(actor, AccessAction.READ, document, detail="portail : document partagé téléchargé")
    return version


def thread(actor, *, access: PortalAccess) -> list[PortalMessage]:
    """The messages of an access (relative's view); logged as reads."""
    if not access.sees_messages:
        raise NotFound
    rows = list(PortalMessage.objects.filter(access=access).select_related("sender"))
    audit.log_reads(actor, rows, detail="portail : messages")
    return rows


def session_for_portal(*, access: PortalAccess, pk) -> ActivitySession:
    if not access.sees_activities:
        raise NotFound
    try:
        return ActivitySession.objects.select_related("activity").get(
            pk=valid_pk(pk), essms_id=access.essms_id, open_to_families=True
        )
    except ActivitySession.DoesNotExist:
        raise NotFound from None


# --- Team side -----------------------------------------------------------------------------------


def require_portal_right(actor, usager: Usager, action: str = READ) -> None:
    require(actor, action, PortalConsent(essms_id=usager.essms_id, usager=usager))


@dataclass
class TeamPage:
    usager: Usager
    consent: PortalConsent | None
    accesses: list
    invitations: list
    shared_ids: set
    documents: list
    needs_representative: bool


def team_page(actor, *, usager: Usager) -> TeamPage:
    """The dossier's « Portail famille » page: consent, accesses, pending invitations, sharing."""
    require_portal_right(actor, usager)
    accesses = list(
        PortalAccess.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, revoked_at__isnull=True)
        .select_related("account", "contact")
        .annotate(
            unread=Exists(PortalMessage.objects.filter(access=OuterRef("pk"), from_team=False, read_at__isnull=True))
        )
    )
    invitations = list(
        PortalInvitation.objects.filter(
            essms_id=usager.essms_id, usager_id=usager.pk, accepted_at__isnull=True, cancelled_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
    )  # fmt: skip
    documents = list(documents_for_usager(actor, usager=usager).order_by("-document_date", "-id")[:50])
    shared_ids = set(
        SharedDocument.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk).values_list(
            "document_id", flat=True
        )
    )
    consent = current_consent(usager)
    audit.log_reads(actor, [*(x for x in [consent] if x), *accesses], detail="portail famille du dossier")
    return TeamPage(usager, consent, accesses, invitations, shared_ids, documents, is_protected_or_minor(usager))


def access_for_team(actor, *, usager: Usager, pk) -> PortalAccess:
    require_portal_right(actor, usager)
    try:
        return PortalAccess.objects.select_related("account").get(
            pk=valid_pk(pk), essms_id=usager.essms_id, usager_id=usager.pk
        )
    except PortalAccess.DoesNotExist:
        raise NotFound from None


def team_thread(actor, *, access: PortalAccess) -> list[PortalMessage]:
    rows = list(PortalMessage.objects.filter(access=access).select_related("sender"))
    audit.log_reads(actor, rows, detail="portail famille : messages")
    return rows
