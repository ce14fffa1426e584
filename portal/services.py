"""Every write of the portal: one transaction each, validated, logged.

Team side (consent, invitation, revocation, sharing, answers) needs the class portail_famille on
the dossier; relative side (acceptance, TOTP, messages, registration) acts through an access in
force, already checked by portal.selectors.access_for_portal.
"""

import datetime
import hashlib
import secrets

import pyotp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from activities.services.participation import registration_create_by_family
from dui import audit
from dui.actor import Actor, user_of
from dui.catalogue import WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Channel, Contact, Document, Referent, Usager, User
from dui.selectors.entourage import active_referents_q
from dui.services.common import refuse_archived
from portal import selectors
from portal.models import (
    GivenBy,
    PortalAccess,
    PortalAccount,
    PortalConsent,
    PortalInvitation,
    PortalMessage,
    Relation,
    SharedDocument,
    Visibility,
)

NO_CONSENT = (
    "Le consentement de la personne (ou de son représentant légal) au portail n'est pas enregistré : "
    "aucune invitation ne peut être créée."
)
ALREADY_CONSENTED = "Un consentement au portail est déjà enregistré pour cette personne."
NOTHING_TO_WITHDRAW = "Aucun consentement en cours à retirer."
NEEDS_REPRESENTATIVE = (
    "Cette personne est mineure ou protégée : le consentement est donné par son représentant légal, "
    "choisissez-le parmi ses contacts."
)
UNKNOWN_REPRESENTATIVE = "Ce représentant légal n'est pas un contact en cours de cette personne."
FUTURE_CONSENT = "La date du consentement ne peut pas être dans le futur."
INVALID_INVITATION = "Ce lien d'invitation n'est pas valide. Demandez une nouvelle invitation à l'établissement."
EXPIRED_INVITATION = "Ce lien d'invitation a expiré. Demandez une nouvelle invitation à l'établissement."
USED_INVITATION = "Ce lien d'invitation a déjà été utilisé. Connectez-vous avec l'identifiant choisi alors."
USERNAME_TAKEN = "Cet identifiant est déjà pris : choisissez-en un autre."
USERNAME_REQUIRED = "Choisissez un identifiant (par exemple votre adresse électronique)."
PASSWORDS_DIFFER = "Les deux mots de passe ne sont pas identiques."
CONTACT_REQUIRED = "Choisissez le proche invité parmi les contacts de la personne."
NO_FLAG = "Choisissez au moins une chose que ce compte pourra voir."
WRONG_CODE = "Code incorrect ou expiré : saisissez le code à 6 chiffres affiché maintenant par votre application."
EMPTY_MESSAGE = "Le message est vide."
MESSAGE_MAX_LENGTH = 4000
LONG_MESSAGE = f"Le message ne peut pas dépasser {MESSAGE_MAX_LENGTH} caractères."
ALREADY_REVOKED = "Cet accès est déjà révoqué."


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_write(actor, usager: Usager) -> None:
    selectors.require_portal_right(actor, usager, WRITE)
    refuse_archived(usager)


# --- Consent -------------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    actor, *, usager: Usager, given_by: str, given_on: datetime.date, representative: Contact | None = None
) -> PortalConsent:
    _require_write(actor, usager)
    errors: dict[str, list[str]] = {}
    if selectors.current_consent(usager) is not None:
        errors.setdefault("given_by", []).append(ALREADY_CONSENTED)
    if given_on > timezone.localdate():
        errors.setdefault("given_on", []).append(FUTURE_CONSENT)
    if given_by not in GivenBy.values:
        errors.setdefault("given_by", []).append("Choisissez qui donne le consentement.")
    elif given_by == GivenBy.REPRESENTATIVE or selectors.is_protected_or_minor(usager):
        if given_by != GivenBy.REPRESENTATIVE or representative is None:
            errors.setdefault("representative", []).append(NEEDS_REPRESENTATIVE)
        elif not selectors.legal_representatives(usager).filter(pk=representative.pk).exists():
            errors.setdefault("representative", []).append(UNKNOWN_REPRESENTATIVE)
    if errors:
        raise ValidationError(errors)
    consent = PortalConsent.objects.create(
        essms_id=usager.essms_id,
        usager=usager,
        given_by=given_by,
        representative=representative if given_by == GivenBy.REPRESENTATIVE else None,
        given_on=given_on,
        recorded_by=user_of(actor),
    )
    audit.log_access(actor, AccessAction.CREATE, consent, detail="consentement au portail enregistré")
    return consent


@transaction.atomic
def consent_withdraw(actor, *, usager: Usager) -> PortalConsent:
    """Withdrawn, the consent ends every access of the person at its next request."""
    _require_write(actor, usager)
    consent = PortalConsent.objects.select_for_update().filter(usager_id=usager.pk, withdrawn_at__isnull=True).first()
    if consent is None:
        raise ValidationError({"consent": [NOTHING_TO_WITHDRAW]})
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = user_of(actor)
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit.log_access(actor, AccessAction.UPDATE, consent, detail="consentement au portail retiré")
    return consent


# --- Invitations and accounts --------------------------------------------------------------------


def _clean_flags(flags: dict) -> dict[str, bool]:
    cleaned = {flag: bool(flags.get(flag)) for flag in Visibility.FLAGS}
    if not any(cleaned.values()):
        raise ValidationError({"sees_planning": [NO_FLAG]})
    return cleaned


@transaction.atomic
def invitation_create(
    actor, *, usager: Usager, relation: str, contact: Contact | None = None, email: str = "", flags: dict
) -> tuple[PortalInvitation, str]:
    """A one-time link (token shown once, only its hash kept); needs the consent in force."""
    _require_write(actor, usager)
    if selectors.current_consent(usager) is None:
        raise ValidationError({"relation": [NO_CONSENT]})
    if relation not in Relation.values:
        raise ValidationError({"relation": ["Choisissez qui est invité."]})
    if relation == Relation.RELATIVE:
        if contact is None or not usager.contacts.filter(pk=contact.pk, ended_at__isnull=True).exists():
            raise ValidationError({"contact": [CONTACT_REQUIRED]})
    else:
        contact = None
    cleaned = _clean_flags(flags)
    token = secrets.token_urlsafe(32)
    invitation = PortalInvitation.objects.create(
        essms_id=usager.essms_id,
        usager=usager,
        relation=relation,
        contact=contact,
        email=(email or (contact.email if contact else "")).strip(),
        token_hash=hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(hours=settings.PORTAL_INVITATION_HOURS),
        created_by=user_of(actor),
        **cleaned,
    )
    audit.log_access(actor, AccessAction.CREATE, invitation, detail="invitation au portail créée")
    return invitation, token


def invitation_send(invitation: PortalInvitation, link: str) -> bool:
    """E-mail the link (through Django's e-mail backend) when an address is known."""
    if not invitation.email:
        return False
    send_mail(
        "Invitation au portail des familles",
        f"Bonjour,\n\nVous êtes invité(e) à créer votre compte sur le portail de l'établissement.\n"
        f"Ce lien est valable {settings.PORTAL_INVITATION_HOURS} heures et ne sert qu'une fois :\n{link}\n",
        None,
        [invitation.email],
    )
    return True


def invitation_by_token(token: str) -> PortalInvitation:
    """The invitation a link names, usable now; otherwise a clear French refusal."""
    invitation = (
        PortalInvitation.objects.select_related("usager", "essms").filter(token_hash=hash_token(token or "")).first()
    )
    if invitation is None or invitation.cancelled_at is not None:
        raise ValidationError(INVALID_INVITATION, code="invalid")
    if invitation.accepted_at is not None:
        raise ValidationError(USED_INVITATION, code="used")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(EXPIRED_INVITATION, code="expired")
    if selectors.current_consent(invitation.usager) is None:
        raise ValidationError(INVALID_INVITATION, code="invalid")
    return invitation


@transaction.atomic
def invitation_accept(actor, *, token: str, username: str, password: str, password_again: str) -> PortalAccount:
    """Create the account and its access in one go; a used or expired link writes nothing.
    `actor`: the anonymous visitor of the link (its address); the new account is the one logged."""
    invitation = invitation_by_token(token)
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # accepted by a concurrent request meanwhile
        raise ValidationError(USED_INVITATION, code="used")
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors.setdefault("username", []).append(USERNAME_REQUIRED)
    elif User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(USERNAME_TAKEN)
    if password != password_again:
        errors.setdefault("password_again", []).append(PASSWORDS_DIFFER)
    user = User(username=username, email=invitation.email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors.setdefault("password", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    contact = invitation.contact
    name = str(contact) if contact else str(invitation.usager)
    account = PortalAccount.objects.create(essms_id=invitation.essms_id, user=user, display_name=name)
    access = PortalAccess.objects.create(
        essms_id=invitation.essms_id,
        usager_id=invitation.usager_id,
        account=account,
        relation=invitation.relation,
        contact=contact,
        invitation=invitation,
        **invitation.flags(),
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    as_user = Actor(user=user, channel=Channel.PORTAL, ip=actor.ip if actor else None)
    audit.log_access(as_user, AccessAction.CREATE, access, detail="invitation au portail acceptée")
    return account


@transaction.atomic
def invitation_attach(actor, *, token: str, account: PortalAccount) -> PortalAccess:
    """A relative who already has an account adds the person of a new invitation to it."""
    invitation = invitation_by_token(token)
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(USED_INVITATION, code="used")
    access = PortalAccess.objects.create(
        essms_id=invitation.essms_id, usager_id=invitation.usager_id, account=account, relation=invitation.relation,
        contact=invitation.contact, invitation=invitation, **invitation.flags(),
    )  # fmt: skip
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.log_access(actor, AccessAction.CREATE, access, detail="invitation au portail acceptée (compte existant)")
    return access


@transaction.atomic
def access_revoke(actor, *, access: PortalAccess) -> PortalAccess:
    """Immediate: the relative's next request no longer sees the person."""
    _require_write(actor, access.usager)
    if access.revoked_at is not None:
        raise ValidationError({"access": [ALREADY_REVOKED]})
    access.revoked_at = timezone.now()
    access.revoked_by = user_of(actor)
    access.save(update_fields=["revoked_at", "revoked_by"])
    audit.log_access(actor, AccessAction.UPDATE, access, detail="accès au portail révoqué")
    return access


@transaction.atomic
def access_set_flags(actor, *, access: PortalAccess, flags: dict) -> PortalAccess:
    _require_write(actor, access.usager)
    cleaned = _clean_flags(flags)
    PortalAccess.objects.filter(pk=access.pk).update(**cleaned)
    for name, value in cleaned.items():
        setattr(access, name, value)
    audit.log_access(actor, AccessAction.UPDATE, access, detail="ce que voit l'accès au portail")
    return access


# --- Shared documents ----------------------------------------------------------------------------


@transaction.atomic
def document_share(actor, *, usager: Usager, document: Document, shared: bool) -> None:
    """Show (or stop showing) one document of the dossier on the portal; the caller reached it
    through dui's access_document (its class readable by the actor)."""
    _require_write(actor, usager)
    if document.usager_id != usager.pk or document.essms_id != usager.essms_id:
        raise NotFound
    existing = SharedDocument.objects.filter(document_id=document.pk).first()
    if shared and existing is None:
        row = SharedDocument.objects.create(
            essms_id=usager.essms_id, usager=usager, document=document, shared_by=user_of(actor)
        )
        audit.log_access(actor, AccessAction.GRANT, row, detail=f"document partagé sur le portail : {document.title}")
    elif not shared and existing is not None:
        audit.log_access(actor, AccessAction.DELETE, existing, detail=f"partage retiré du portail : {document.title}")
        existing.delete()


# --- Messages ------------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [EMPTY_MESSAGE]})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"body": [LONG_MESSAGE]})
    return body


@transaction.atomic
def message_from_relative(actor, *, access: PortalAccess, body: str) -> PortalMessage:
    """The relative writes to the team; the person's référents are notified by e-mail."""
    if not access.sees_messages:
        raise NotFound
    message = PortalMessage.objects.create(
        essms_id=access.essms_id, usager_id=access.usager_id, access=access, from_team=False,
        sender=user_of(actor), body=_clean_body(body),
    )  # fmt: skip
    audit.log_access(actor, AccessAction.CREATE, message, detail="portail : message à l'équipe")
    emails = list(
        Referent.objects.filter(active_referents_q(), essms_id=access.essms_id, usager_id=access.usager_id)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if emails:
        transaction.on_commit(lambda: _notify_referents(emails))
    return message


def _notify_referents(emails: list[str]) -> None:
    """No health data in an e-mail: only that a message waits in the dossier."""
    send_mail(
        "Portail des familles : nouveau message",
        "Un proche d'une personne dont vous êtes référent(e) a écrit sur le portail. "
        "Lisez-le dans le dossier, page « Portail famille ».",
        None,
        emails,
        fail_silently=True,
    )


@transaction.atomic
def message_from_team(actor, *, access: PortalAccess, body: str) -> PortalMessage:
    _require_write(actor, access.usager)
    message = PortalMessage.objects.create(
        essms_id=access.essms_id, usager_id=access.usager_id, access=access, from_team=True,
        sender=user_of(actor), body=_clean_body(body),
    )  # fmt: skip
    audit.log_access(actor, AccessAction.CREATE, message, detail="portail famille : réponse de l'équipe")
    return message


def thread_mark_read(*, access: PortalAccess, by_team: bool) -> int:
    """Read receipts: opening the thread marks the other side's messages read."""
    return PortalMessage.objects.filter(access=access, from_team=not by_team, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Second factor -------------------------------------------------------------------------------


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_uri(account: PortalAccount, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account.user.username, issuer_name="Portail DUI")


def totp_check(secret: str, code: str) -> bool:
    code = "".join((code or "").split())
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


@transaction.atomic
def totp_enable(actor, *, account: PortalAccount, secret: str, code: str) -> PortalAccount:
    """Turn the second factor on once the code of the new secret is right; a wrong one writes nothing."""
    if not totp_check(secret, code):
        raise ValidationError({"code": [WRONG_CODE]})
    account.totp_secret = secret
    account.save(update_fields=["totp_secret"])
    return account


# --- Activities ----------------------------------------------------------------------------------


def register_to_session(actor, *, access: PortalAccess, session):
    """Through the activities service, so that every check of a registration applies."""
    if not access.sees_activities:
        raise NotFound
    return registration_create_by_family(actor, session=session, usager=access.usager)
