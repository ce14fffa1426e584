"""Portal services: consent, invitation lifecycle, visibility, messages and receipts, TOTP, registrations."""

import datetime

import pyotp
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Registration
from dui.actor import Actor
from dui.errors import NotFound
from dui.models import AccessLog, Channel, ContactRole, Metier, ProtectionMeasure, Referent
from portal import selectors, services
from portal.models import GivenBy, PortalAccess, PortalAccount, PortalInvitation, PortalMessage, Relation
from tests.activities.factories import activity, admitted, session
from tests.factories import UsagerFactory, professional
from tests.portal.factories import (
    ALL_FLAGS,
    RELATIVE_PASSWORD,
    consented,
    future,
    invite,
    portal_actor,
    relative_contact,
    relative_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadre(essms):
    return professional(essms, Metier.CADRE_SANTE)


def _accept(token, username="claire", password=RELATIVE_PASSWORD, again=None):
    return services.invitation_accept(None, token=token, username=username, password=password,
                                      password_again=password if again is None else again)  # fmt: skip


def _portal(user):
    return portal_actor(user)


# --- Consent -------------------------------------------------------------------------------------


def test_consent_given_then_withdrawn_ends_every_access(usager, cadre):
    user = relative_of(usager, by=cadre)
    account = user.portal_account
    assert list(selectors.accesses_in_force(account))
    services.consent_withdraw(cadre, usager=usager)
    assert not selectors.accesses_in_force(account).exists()
    with pytest.raises(ValidationError, match="Aucun consentement en cours"):
        services.consent_withdraw(cadre, usager=usager)


def test_minor_or_protected_person_needs_the_legal_representative(usager, cadre):
    representative = relative_contact(
        usager, role=ContactRole.REPRESENTANT_LEGAL, protection_measure=ProtectionMeasure.TUTELLE
    )
    with pytest.raises(ValidationError) as refused:
        services.consent_record(cadre, usager=usager, given_by=GivenBy.PERSON, given_on=timezone.localdate())
    assert "représentant légal" in str(refused.value)
    assert selectors.current_consent(usager) is None
    consent = services.consent_record(
        cadre,
        usager=usager,
        given_by=GivenBy.REPRESENTATIVE,
        given_on=timezone.localdate(),
        representative=representative,
    )
    assert consent.representative == representative


def test_minor_is_detected(essms):
    child = UsagerFactory(essms=essms, birth_date=timezone.localdate() - datetime.timedelta(days=365 * 10))
    assert selectors.is_protected_or_minor(child)


def test_consent_in_the_future_is_refused(usager, cadre):
    with pytest.raises(ValidationError, match="futur"):
        services.consent_record(cadre, usager=usager, given_by=GivenBy.PERSON,
                                given_on=timezone.localdate() + datetime.timedelta(days=2))  # fmt: skip


def test_consent_needs_the_portal_class(usager, essms):
    animateur = professional(essms, Metier.ANIMATEUR)
    with pytest.raises(Exception):  # noqa: B017  RightRefused: no right on portail_famille
        services.consent_record(animateur, usager=usager, given_by=GivenBy.PERSON, given_on=timezone.localdate())
    assert selectors.current_consent(usager) is None


# --- Invitations ---------------------------------------------------------------------------------


def test_invitation_without_consent_is_refused(usager, cadre):
    with pytest.raises(ValidationError, match="consentement"):
        invite(usager, by=cadre)
    assert not PortalInvitation.objects.exists()


def test_invitation_lifecycle_keeps_only_the_hash(usager, cadre):
    consented(usager, by=cadre)
    invitation, token = invite(usager, by=cadre)
    assert token not in invitation.token_hash and invitation.token_hash == services.hash_token(token)
    assert invitation.expires_at - timezone.now() > datetime.timedelta(hours=71)
    account = _accept(token)
    access = account.accesses.get()
    assert access.usager == usager and access.relation == Relation.RELATIVE and access.flags() == ALL_FLAGS
    assert not account.user.memberships.exists()
    assert account.user.check_password(RELATIVE_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_is_e_mailed_when_an_address_is_known(usager, cadre):
    consented(usager, by=cadre)
    invitation, token = invite(usager, by=cadre)
    assert services.invitation_send(invitation, f"https://dui.example/portail/invitation/{token}/")
    assert mail.outbox[0].to == ["claire.martin@example.org"] and token in mail.outbox[0].body


def test_expired_invitation_writes_nothing(usager, cadre):
    consented(usager, by=cadre)
    _, token = invite(usager, by=cadre)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=73)):
        with pytest.raises(ValidationError, match="expiré"):
            _accept(token)
    assert not PortalAccount.objects.exists()


def test_reused_invitation_writes_nothing(usager, cadre):
    consented(usager, by=cadre)
    _, token = invite(usager, by=cadre)
    _accept(token)
    with pytest.raises(ValidationError, match="déjà été utilisé"):
        _accept(token, username="autre")
    assert PortalAccount.objects.count() == 1


def test_short_password_is_refused(usager, cadre):
    consented(usager, by=cadre)
    _, token = invite(usager, by=cadre)
    with pytest.raises(ValidationError) as refused:
        _accept(token, password="court-11car")
    assert "password" in refused.value.message_dict
    assert not PortalAccount.objects.exists()
    assert PortalInvitation.objects.get().accepted_at is None


def test_taken_username_and_different_passwords_are_refused(usager, cadre, essms):
    professional(essms, username="claire")
    consented(usager, by=cadre)
    _, token = invite(usager, by=cadre)
    with pytest.raises(ValidationError) as refused:
        _accept(token, again="Autre-mot-de-passe-2026")
    assert set(refused.value.message_dict) == {"username", "password_again"}


def test_an_invitation_shows_at_least_one_thing(usager, cadre):
    consented(usager, by=cadre)
    with pytest.raises(ValidationError, match="au moins une chose"):
        invite(usager, by=cadre, flags={"sees_planning": False})


def test_revoking_one_access_is_immediate_and_leaves_the_others(usager, cadre):
    first = relative_of(usager, by=cadre)
    second = relative_of(usager, by=cadre)
    access = first.portal_account.accesses.get()
    services.access_revoke(cadre, access=access)
    with pytest.raises(NotFound):
        selectors.access_for_portal(_portal(first), access.pk)
    assert selectors.accesses_in_force(second.portal_account).exists()


# --- Visibility and the access log ---------------------------------------------------------------


def test_flags_choose_the_sections_and_reads_are_logged(usager, cadre):
    user = relative_of(usager, by=cadre, flags={"sees_planning": True})
    access = user.portal_account.accesses.get()
    usager.appointments.create(essms=usager.essms, starts_at=future(), title="Dentiste", created_by=cadre)
    page = selectors.person_page(_portal(user), access=access)
    assert [a.title for a in page.appointments] == ["Dentiste"]
    assert page.news == [] and page.documents == [] and page.sessions == []
    with pytest.raises(NotFound):
        selectors.thread(_portal(user), access=access)
    logged = AccessLog.objects.filter(user=user, channel=Channel.PORTAL, action="read")
    assert logged.filter(object_type="dui.appointment").exists() and logged.filter(object_type="dui.usager").exists()


def test_another_persons_access_is_a_404(usager, essms, cadre):
    user = relative_of(usager, by=cadre)
    other = relative_of(UsagerFactory(essms=essms), by=cadre)
    with pytest.raises(NotFound):
        selectors.access_for_portal(_portal(user), other.portal_account.accesses.get().pk)


# --- Messages and read receipts ------------------------------------------------------------------


def test_messages_both_ways_with_receipts_and_referent_notified(
    usager, essms, cadre, django_capture_on_commit_callbacks
):
    referent = professional(essms, Metier.EDUCATEUR, email="ref@example.org")
    Referent.objects.create(essms=essms, usager=usager, user=referent, role="referent",
                            starts_on=datetime.date(2024, 1, 1))  # fmt: skip
    user = relative_of(usager, by=cadre)
    access = user.portal_account.accesses.get()
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.message_from_relative(_portal(user), access=access, body="Comment va maman ?")
    assert mail.outbox[-1].to == ["ref@example.org"] and "maman" not in mail.outbox[-1].body
    assert services.thread_mark_read(access=access, by_team=True) == 1
    asked.refresh_from_db()
    assert asked.read_at is not None
    answer = services.message_from_team(referent, access=access, body="Très bien, elle a fait du loto.")
    assert answer.read_at is None
    services.thread_mark_read(access=access, by_team=False)
    answer.refresh_from_db()
    assert answer.read_at is not None


def test_empty_message_is_refused(usager, cadre):
    user = relative_of(usager, by=cadre)
    with pytest.raises(ValidationError, match="vide"):
        services.message_from_relative(_portal(user), access=user.portal_account.accesses.get(), body="   ")
    assert not PortalMessage.objects.exists()


# --- TOTP ----------------------------------------------------------------------------------------


def test_totp_enable_with_the_right_code_only(usager, cadre):
    user = relative_of(usager, by=cadre)
    account = user.portal_account
    secret = services.totp_new_secret()
    with pytest.raises(ValidationError, match="Code incorrect"):
        services.totp_enable(_portal(user), account=account, secret=secret, code="000000")
    account.refresh_from_db()
    assert not account.totp_enabled
    services.totp_enable(_portal(user), account=account, secret=secret, code=pyotp.TOTP(secret).now())
    account.refresh_from_db()
    assert account.totp_enabled and services.totp_check(account.totp_secret, pyotp.TOTP(secret).now())
    assert not services.totp_check(account.totp_secret, "12ab56")


# --- Activities ----------------------------------------------------------------------------------


def test_registration_allowed_only_on_a_session_open_to_families(usager, essms, cadre):
    animateur = professional(essms, Metier.ANIMATEUR)
    admitted(usager, by=cadre)
    user = relative_of(usager, by=cadre)
    access = user.portal_account.accesses.get()
    loto = activity(essms, by=animateur)
    closed = session(loto, by=animateur, starts_at=future(48))
    with pytest.raises(ValidationError, match="pas ouverte"):
        services.register_to_session(_portal(user), access=access, session=closed)
    opened = session(loto, by=animateur, starts_at=future(72))
    opened.open_to_families = True
    opened.save(update_fields=["open_to_families"])
    registration = services.register_to_session(_portal(user), access=access, session=opened)
    assert registration.created_by == user
    with pytest.raises(ValidationError, match="déjà inscrite"):
        services.register_to_session(_portal(user), access=access, session=opened)
    assert Registration.objects.filter(usager=usager).count() == 1


def test_registration_refused_without_the_activities_flag(usager, essms, cadre):
    user = relative_of(usager, by=cadre, flags={"sees_planning": True})
    access = user.portal_account.accesses.get()
    with pytest.raises(NotFound):
        selectors.session_for_portal(access=access, pk=1)
    assert isinstance(access, PortalAccess) and Actor(user=user).membership is None
