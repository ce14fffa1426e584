"""Portal pages over HTTP: the two kinds of accounts kept apart, login with TOTP, bad input, team pages."""

import datetime

import pyotp
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, Channel, DocumentClass, Metier
from portal import services
from portal.models import PortalAccount, PortalConsent, PortalInvitation, SharedDocument
from tests.factories import TEST_PASSWORD, UsagerFactory, professional
from tests.portal.factories import RELATIVE_PASSWORD, consented, relative_contact, relative_of
from transmissions.services.transmissions import transmission_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadre(essms):
    return professional(essms, Metier.CADRE_SANTE)


@pytest.fixture
def relative(usager, cadre):
    return relative_of(usager, by=cadre, username="claire")


def _login(client, username="claire", password=RELATIVE_PASSWORD):
    return client.post(reverse("portal-login"), {"username": username, "password": password})


def test_relative_logs_in_and_sees_the_home(client, relative, usager):
    response = _login(client)
    assert response.status_code == 302 and response["Location"] == reverse("portal-home")
    page = client.get(reverse("portal-home"))
    assert page.status_code == 200
    assert "Bonjour Claire MARTIN" in page.content.decode() and str(usager) in page.content.decode()
    assert AccessLog.objects.filter(user=relative, channel=Channel.PORTAL, object_type="dui.usager").exists()


@pytest.mark.parametrize(
    "path", ["/", "/usagers/", "/api/v1/", "/api/v1/usagers/", "/fhir/metadata", "/admin/", "/transmissions/"]
)
def test_relative_gets_404_outside_the_portal(client, relative, path):
    client.force_login(relative)
    response = client.get(path)
    assert response.status_code == 404
    assert "Portail des familles" in response.content.decode()


def test_relative_gets_404_on_another_persons_page(client, relative, essms, cadre):
    other = relative_of(UsagerFactory(essms=essms), by=cadre)
    access = other.portal_account.accesses.get()
    client.force_login(relative)
    for name in ("portal-person", "portal-thread"):
        assert client.get(reverse(name, kwargs={"access_pk": access.pk})).status_code == 404


def test_professional_gets_404_on_portal_pages(client, essms, relative):
    access = relative.portal_account.accesses.get()
    client.force_login(professional(essms, Metier.DIRECTION))
    assert client.get(reverse("portal-home")).status_code == 404
    assert client.get(reverse("portal-person", kwargs={"access_pk": access.pk})).status_code == 404


def test_each_login_refuses_the_other_kind(client, relative, essms):
    pro = professional(essms, Metier.IDE, username="ide")
    refused = client.post(reverse("login"), {"username": "claire", "password": RELATIVE_PASSWORD})
    assert refused.status_code == 200 and "Identifiant ou mot de passe incorrect." in refused.content.decode()
    refused = _login(client, username=pro.username, password=TEST_PASSWORD)
    assert refused.status_code == 200 and "Identifiant ou mot de passe incorrect." in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_consent_withdrawn_while_logged_in_ends_at_the_next_request(client, relative, usager, cadre):
    _login(client)
    assert client.get(reverse("portal-home")).status_code == 200
    services.consent_withdraw(cadre, usager=usager)
    response = client.get(reverse("portal-home"))
    assert response.status_code == 404 and "Votre accès au portail a pris fin" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_revoked_access_ends_at_the_next_request(client, relative, cadre):
    _login(client)
    services.access_revoke(cadre, access=relative.portal_account.accesses.get())
    assert client.get(reverse("portal-home")).status_code == 404
    assert "_auth_user_id" not in client.session


def test_totp_login_asks_the_code_and_refuses_a_wrong_one(client, relative):
    account = relative.portal_account
    account.totp_secret = pyotp.random_base32()
    account.save(update_fields=["totp_secret"])
    response = _login(client)
    assert response["Location"] == reverse("portal-login-code")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("portal-login-code"), {"code": "000000"})
    assert wrong.status_code == 400 and "Code incorrect" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("portal-login-code"), {"code": pyotp.TOTP(account.totp_secret).now()})
    assert right["Location"] == reverse("portal-home")
    assert client.session["_auth_user_id"] == str(relative.pk)


def test_security_page_turns_totp_on(client, relative):
    client.force_login(relative)
    page = client.get(reverse("portal-security"))
    assert "<svg" in page.content.decode()
    secret = client.session["portal_totp_setup"]
    wrong = client.post(
        reverse("portal-security"), {"code": "123456" if pyotp.TOTP(secret).now() != "123456" else "654321"}
    )
    assert wrong.status_code == 400
    client.post(reverse("portal-security"), {"code": pyotp.TOTP(secret).now()})
    assert PortalAccount.objects.get(user=relative).totp_secret == secret


def _invite_link(client, usager):
    response = client.post(reverse("portal-invite", kwargs={"pk": usager.pk}), {
        "relation": "proche", "contact": relative_contact(usager).pk, "email": "", "sees_planning": "on",
        "sees_messages": "on",
    })  # fmt: skip
    return response


def test_invitation_page_shows_the_link_once_and_it_works_once(client, usager, cadre):
    consented(usager, by=cadre)
    client.force_login(cadre)
    response = _invite_link(client, usager)
    assert response.status_code == 200
    link = response.context["new_link"]
    path = link.split("testserver", 1)[1]
    client.logout()
    assert client.get(path).status_code == 200
    short = client.post(path, {"username": "paul", "password": "court", "password_again": "court"})
    assert short.status_code == 400 and "12 caractères" in short.content.decode()
    assert not PortalAccount.objects.exists()
    done = client.post(path, {"username": "paul", "password": RELATIVE_PASSWORD, "password_again": RELATIVE_PASSWORD})
    assert done.status_code == 302
    reused = client.get(path)
    assert reused.status_code == 404 and "déjà été utilisé" in reused.content.decode()
    assert PortalAccount.objects.count() == 1


def test_expired_invitation_link_is_refused(client, usager, cadre):
    consented(usager, by=cadre)
    invitation, token = services.invitation_create(
        cadre, usager=usager, relation="personne", flags={"sees_planning": True}
    )
    PortalInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    data = {"username": "m", "password": RELATIVE_PASSWORD, "password_again": RELATIVE_PASSWORD}
    response = client.post(reverse("portal-accept", kwargs={"token": token}), data)
    assert response.status_code == 404 and "a expiré" in response.content.decode()
    assert not PortalAccount.objects.exists()


def test_invitation_without_consent_is_refused_on_the_page(client, usager, cadre):
    client.force_login(cadre)
    response = _invite_link(client, usager)
    assert response.status_code == 400 and "consentement" in response.content.decode()
    assert not PortalInvitation.objects.exists()


def test_team_records_consent_and_shares_a_document(client, usager, cadre):
    client.force_login(cadre)
    response = client.post(reverse("portal-consent-record", kwargs={"pk": usager.pk}),
                           {"given_by": "personne", "given_on": timezone.localdate().isoformat()})  # fmt: skip
    assert response.status_code == 302 and PortalConsent.objects.filter(usager=usager).exists()
    kind = DocumentClass.objects.get(code="contrat_sejour")
    document = usager.documents.create(essms=usager.essms, document_class=kind, title="Contrat",
                                       document_date=timezone.localdate(), created_by=cadre)  # fmt: skip
    client.post(reverse("portal-share", kwargs={"pk": usager.pk, "document_pk": document.pk}), {"shared": "1"})
    assert SharedDocument.objects.filter(document=document).exists()
    assert "Portail famille de" in client.get(reverse("portal-manage", kwargs={"pk": usager.pk})).content.decode()


def test_relative_sees_only_what_is_shared(client, usager, cadre, essms):
    relative = relative_of(usager, by=cadre, username="claire")
    kind = DocumentClass.objects.get(code="contrat_sejour")
    shown = usager.documents.create(essms=essms, document_class=kind, title="Menu de la semaine",
                                    document_date=timezone.localdate(), created_by=cadre)  # fmt: skip
    shown.versions.create(number=1, file=ContentFile(b"%PDF-1.4", name="menu.pdf"), original_name="menu.pdf",
                          mime_type="application/pdf", size=8, sha256="0" * 64, uploaded_by=cadre)  # fmt: skip
    hidden = usager.documents.create(essms=essms, document_class=kind, title="Bilan confidentiel",
                                     document_date=timezone.localdate(), created_by=cadre)  # fmt: skip
    services.document_share(cadre, usager=usager, document=shown, shared=True)
    ide = professional(essms, Metier.IDE)
    family = transmission_create(ide, usager=usager, free_cible="Moral", narrative="A chanté au loto.",
                                 observed_at=timezone.now())  # fmt: skip
    type(family).objects.filter(pk=family.pk).update(family_visible=True)
    transmission_create(ide, usager=usager, free_cible="Selles", narrative="Constipation.", observed_at=timezone.now())
    client.force_login(relative)
    body = client.get(reverse("portal-home")).content.decode()
    assert "Menu de la semaine" in body and "Bilan confidentiel" not in body
    assert "A chanté au loto." in body and "Constipation." not in body
    access = relative.portal_account.accesses.get()
    ok = client.get(reverse("portal-document", kwargs={"access_pk": access.pk, "document_pk": shown.pk}))
    assert ok.status_code == 200
    refused = client.get(reverse("portal-document", kwargs={"access_pk": access.pk, "document_pk": hidden.pk}))
    assert refused.status_code == 404


def test_messages_page_shows_read_receipts(client, relative, essms, usager):
    access = relative.portal_account.accesses.get()
    client.force_login(relative)
    assert (
        client.post(reverse("portal-thread", kwargs={"access_pk": access.pk}), {"body": "Bonjour"}).status_code == 302
    )
    empty = client.post(reverse("portal-thread", kwargs={"access_pk": access.pk}), {"body": " "})
    assert empty.status_code == 400
    team = _client_for(professional(essms, Metier.IDE))
    page = team.get(reverse("portal-team-thread", kwargs={"pk": usager.pk, "access_pk": access.pk}))
    assert "Bonjour" in page.content.decode()
    assert "Lu le" in client.get(reverse("portal-thread", kwargs={"access_pk": access.pk})).content.decode()


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_logged_in_relative_adds_a_second_person_to_her_account(client, relative, essms, cadre):
    brother = consented(UsagerFactory(essms=essms, birth_name="MARTIN", first_names="Paul"), by=cadre)
    _, token = services.invitation_create(
        cadre, usager=brother, relation="proche", contact=relative_contact(brother), flags={"sees_planning": True}
    )
    client.force_login(relative)
    path = reverse("portal-accept", kwargs={"token": token})
    assert "Ajouter à mon compte" in client.get(path).content.decode()
    assert client.post(path)["Location"] == reverse("portal-home")
    assert relative.portal_account.accesses.count() == 2
    assert PortalAccount.objects.count() == 1
    assert client.post(path).status_code == 404  # used: nothing more written
    assert relative.portal_account.accesses.count() == 2


def test_ids_beyond_a_bigint_are_404_not_a_database_error(client, relative):
    access = relative.portal_account.accesses.get()
    huge = 2**64
    client.force_login(relative)
    assert client.get(reverse("portal-person", kwargs={"access_pk": huge})).status_code == 404
    document = reverse("portal-document", kwargs={"access_pk": access.pk, "document_pk": huge})
    assert client.get(document).status_code == 404
    register = reverse("portal-register", kwargs={"access_pk": access.pk, "session_pk": huge})
    assert client.post(register).status_code == 404
